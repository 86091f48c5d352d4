"""The crawl history `jpnews crawl --every` schedules from and reports on, read from Postgres."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg


@dataclass(frozen=True)
class FinishedRun:
    id: int
    finish_reason: str | None
    started_at: datetime
    finished_at: datetime | None
    stats: dict[str, Any]


_RUN_COLUMNS = "id, finish_reason, started_at, finished_at, stats"
"""A FinishedRun's fields, in its order."""


def last_runs(conn: psycopg.Connection, outlets: list[str]) -> dict[str, tuple[int, datetime]]:
    """Per outlet, the id and start of its newest run (outlets never crawled are absent)."""
    # newest first by primary key: an outlet crawled lately is found among the last rows
    rows = conn.execute(
        """SELECT o.spider, r.id, r.started_at FROM unnest(%s::text[]) AS o(spider)
           CROSS JOIN LATERAL (SELECT id, started_at FROM crawl_runs
                               WHERE spider = o.spider ORDER BY id DESC LIMIT 1) r""",
        (outlets,)).fetchall()
    return {spider: (run_id, started_at) for spider, run_id, started_at in rows}


def run_after(conn: psycopg.Connection, outlet: str, after_id: int,
              worker_prefix: str) -> FinishedRun | None:
    """The outlet's newest run made after run `after_id` by the crawl just launched, for a
    crawl that died before it named its run (run_by_id serves the others). A
    one-process crawl holds the outlet's lock alone, so no other run can be newer; crawls on
    the Redis frontier share it (one per host and scheduler, crawler/frontier.py), so a run
    that names a frontier worker must be this crawl's own: `worker_prefix` is
    "HOST:PID:" of its process."""
    row = conn.execute(
        f"""SELECT {_RUN_COLUMNS} FROM crawl_runs
           WHERE spider = %s AND id > %s
             AND coalesce(stats->>'jpnews/frontier/worker' LIKE %s, true)
           ORDER BY id DESC LIMIT 1""",
        (outlet, after_id, worker_prefix.replace("%", r"\%").replace("_", r"\_") + "%")
    ).fetchone()
    return FinishedRun(*row) if row else None


def run_by_id(conn: psycopg.Connection, run_id: int) -> FinishedRun | None:
    row = conn.execute(
        f"SELECT {_RUN_COLUMNS} FROM crawl_runs WHERE id = %s", (run_id,)).fetchone()
    return FinishedRun(*row) if row else None
