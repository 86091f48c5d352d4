"""Crawl throughput with several crawler processes on one Redis frontier (crawler/frontier.py).

Serves the generated Japan Today site of bench/crawl_throughput.py from a separate process and
crawls all of it with politeness off, into a fresh database each time:

* one process without Redis (Scrapy's own scheduler): the baseline;
* `jpnews crawl --redis URL --workers N` for each N of `--workers` (default 1,2).

For each it reports articles stored, the command's wall time (process start-up included), the
crawl window (the first run's start to the last run's end, from `crawl_runs`), articles per
second over that window, the CPU seconds of the crawler processes, the store's wall time per
article (Postgres' work, story matching under its advisory lock included), the most
connections the crawl held on the database at once and how often one of them waited for the
story-matching lock (both sampled from pg_stat_activity).

    python bench/workers.py [--articles 2000] [--workers 1,2] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.crawl_throughput import NO_POLITENESS, start_server  # noqa: E402
from crawler.storage.db import scratch_database  # noqa: E402

SECTION = "crawl-workers"


@dataclass
class Run:
    label: str
    processes: int
    articles: int
    wall_s: float
    window_s: float
    cpu_s: float
    store_ms: float
    connections: int
    lock_wait: float
    """Share of samples in which a connection waited for the story-matching lock."""


class DatabaseWatch:
    """What the crawl asks of Postgres, sampled every 50 ms from pg_stat_activity: the most
    connections to the bench database at once, and how often a connection was waiting for an
    advisory lock (the story-matching lock of crawler/storage/stories.py: the outlet lock is
    only ever tried, never waited for)."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.peak = 0
        self.samples = 0
        self.waiting = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.05):
                count, waiting = conn.execute(
                    "SELECT count(*), count(*) FILTER (WHERE wait_event_type = 'Lock' "
                    "AND wait_event = 'advisory') FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
                self.peak = max(self.peak, count)
                self.samples += 1
                self.waiting += bool(waiting)

    def __enter__(self) -> DatabaseWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def admin_database(explicit: str | None) -> str:
    """The configured server, else the local one on 5432 (this bench needs a server that many
    processes reach over TCP, as crawlers on several hosts would)."""
    return (explicit or os.environ.get("JPNEWS_BENCH_DATABASE_URL")
            or "postgresql://postgres@127.0.0.1:5432/postgres")


def crawl(label: str, base_url: str, admin_url: str, redis_url: str | None,
          workers: int) -> Run:
    with scratch_database(admin_url, "jpnews_bench_workers") as database_url:
        return _crawl(label, base_url, database_url, redis_url, workers)


def _crawl(label: str, base_url: str, database_url: str, redis_url: str | None,
           workers: int) -> Run:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--database-url",
               database_url, "--base-url", f"japantoday={base_url}"]
    for name, value in NO_POLITENESS.items():
        command += ["-s", f"{name}={value}"]
    if redis_url:
        command += ["--redis", redis_url, "--workers", str(workers),
                    "-s", f"JPNEWS_REDIS_PREFIX=bench-{uuid.uuid4().hex[:8]}"]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with DatabaseWatch(database_url) as watch, tempfile.TemporaryDirectory() as data:
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "JPNEWS_DATA_DIR": data})  # spills stay here
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    import psycopg

    with psycopg.connect(database_url) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        first, last, store_ms = conn.execute(
            "SELECT min(started_at), max(finished_at), "
            "sum(coalesce((stats->>'jpnews/wall_ms/store')::float, 0)) FROM crawl_runs"
        ).fetchone()
    return Run(label, workers, articles, wall, (last - first).total_seconds(), cpu,
               store_ms / max(articles, 1), watch.peak, watch.waiting / max(watch.samples, 1))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render(n: int, runs: list[Run]) -> str:
    lines = [
        f"Generated site: {n} articles served by a separate process on 127.0.0.1; politeness "
        f"off; measured {datetime.now(timezone.utc):%Y-%m-%d} on {os.cpu_count()} cores, which "
        "the site server, Postgres, Redis and the crawler processes share.",
        "",
        "| crawl | processes | articles stored | command wall s | crawl window s | "
        "articles/s (window) | crawler CPU s | store wall ms/article | peak DB connections | "
        "story lock waited |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run.label} | {run.processes} | {run.articles} | {run.wall_s:.1f} | "
            f"{run.window_s:.1f} | **{run.articles / max(run.window_s, 1e-9):.0f}** | "
            f"{run.cpu_s:.1f} | {run.store_ms:.2f} | {run.connections} | "
            f"{run.lock_wait:.0%} of samples |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2,4")
    parser.add_argument("--redis", default=os.environ.get("JPNEWS_REDIS_URL",
                                                          "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database-url", help="admin URL of the server to bench on")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    admin = admin_database(args.database_url)
    server, base_url = start_server(args.articles)
    try:
        runs = [crawl("one process, no Redis", base_url, admin, None, 1)]
        runs += [crawl("`--redis --workers N`", base_url, admin, args.redis, n)
                 for n in counts]
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = render(args.articles, runs)
    print(report)
    results_file.write_section(SECTION, "Several crawler processes, one frontier "
                               "(`bench/workers.py`)", report)


if __name__ == "__main__":
    main()
