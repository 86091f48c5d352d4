"""The crawl history `crawler.health` judges, read from Postgres."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from crawler.health import BASELINE_DAYS, RECENT, ArticleRow, RunRow

# The runs of the judged windows, and each outlet's last run and last finished run however old
# (an outlet that stopped being crawled a month ago still shows when it last ran).
_RUNS = """
    SELECT spider, started_at, finished_at, finish_reason, stats, dropped, monitors
    FROM crawl_runs
    WHERE started_at >= %(since)s
       OR id IN (SELECT max(id) FROM crawl_runs GROUP BY spider)
       OR id IN (SELECT max(id) FROM crawl_runs WHERE finish_reason = 'finished'
                 GROUP BY spider)
"""
_ARTICLES = """
    SELECT source, first_seen_at, provenance FROM articles
    WHERE first_seen_at >= %(since)s AND first_seen_at <= %(now)s
"""
_LAST_SEEN = "SELECT source, max(first_seen_at) FROM articles GROUP BY source"


def fetch(conn: psycopg.Connection, now: datetime
          ) -> tuple[list[RunRow], list[ArticleRow], dict[str, datetime]]:
    since = now - RECENT - timedelta(days=BASELINE_DAYS)
    with conn.cursor(row_factory=dict_row) as cur:
        runs = [RunRow(**row) for row in cur.execute(_RUNS, {"since": since})]
        articles = [ArticleRow(**row) for row in cur.execute(_ARTICLES,
                                                             {"since": since, "now": now})]
    last_seen = dict(conn.execute(_LAST_SEEN).fetchall())
    return runs, articles, last_seen
