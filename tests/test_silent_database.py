"""A database that goes silent mid-write (issue 11, point 2): the crawl abandons the stalled
write, says so on one line, stores the batch again on a new connection and finishes; the server
ends the stalled transaction, so another crawler gets the story-matching lock meanwhile.

The relay black-holes the crawl's connection right after it took the story-matching lock, as a
stuck proxy does: its backend sits "idle in transaction" holding the lock, and its client waits
for a reply that never comes. TCP keepalives cannot see this (the relay's kernel still answers),
so the client's own reply timeout and the server's idle-in-transaction timeout are what end it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import psycopg
from conftest import ROOT, SAMPLE_NOW
from relay import relay_to

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import article_path, build_sample_site
from crawler.storage.db import DbTimeouts, open_pool
from crawler.storage.stories import DEDUP_LOCK

STORABLE = [a for a in SAMPLE_ARTICLES if a.kind != "not-article"]
SILENT = {"JPNEWS_DB_REPLY_TIMEOUT": "3", "JPNEWS_DB_IDLE_IN_TRANSACTION_TIMEOUT": "1",
          "JPNEWS_STORE_BATCH_SIZE": "4"}


def test_a_write_stalled_holding_the_story_lock_is_abandoned_and_stored_again(db: str) -> None:
    with relay_to(db) as relay, SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        # the statement after the lock: the backend has the lock, the client never hears back
        relay.stall_on(b"DELETE FROM lsh_bands")
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--database-url",
             relay.url(db), "--base-url", f"japantoday={server.base_url}",
             "-s", "DOWNLOAD_DELAY=0"],
            cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **SILENT})
        errors: list[str] = []  # read meanwhile: a full pipe would stall the crawl itself
        reader = threading.Thread(target=lambda: errors.append(crawl.communicate()[1]))
        reader.start()
        try:
            assert relay.stalled.wait(120), "the crawl never reached story matching"
            # another crawler's wait for the lock is bounded, and the lock is freed meanwhile
            with psycopg.connect(db) as other:
                other.execute("SET lock_timeout = '60s'")
                other.execute("SELECT pg_advisory_xact_lock(%s)", (DEDUP_LOCK,))
            crawl.wait(timeout=120)  # a hang guard: the crawl waits seconds, not minutes
        finally:
            crawl.kill()
            reader.join()
    err = errors[0]
    assert crawl.returncode == 0, err[-3000:]
    stalled = [line for line in err.splitlines() if "no reply from Postgres" in line]
    assert len(stalled) == 1, err[-3000:]
    assert re.search(r"ERROR: could not store \d+ articles: no reply from Postgres in 3 s: "
                     r"connection abandoned$", stalled[0]), stalled
    assert "Traceback" not in err and "saved to" not in err
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        run = conn.execute("SELECT finish_reason, stats FROM crawl_runs").fetchone()
    assert stored == len(STORABLE)
    assert run[0] == "finished"
    assert run[1]["jpnews/store/failed_batches"] == 1


def test_a_raw_page_write_gone_silent_never_stops_the_crawl_fetching(db: str) -> None:
    """Raw pages are written by the store's writer thread: while their write waits on a silent
    database the reactor goes on fetching (a write on the reactor's thread would freeze the
    whole crawl for the reply timeout), and the pages are stored once the write is abandoned."""
    with relay_to(db) as relay, SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        relay.stall_on(b"staging_pages")  # the first raw-page write, at the fourth page
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--database-url",
             relay.url(db), "--base-url", f"japantoday={server.base_url}",
             "-s", "DOWNLOAD_DELAY=0.15", "-s", "AUTOTHROTTLE_ENABLED=0"],
            cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **SILENT, "JPNEWS_DB_REPLY_TIMEOUT": "8"})
        errors: list[str] = []
        reader = threading.Thread(target=lambda: errors.append(crawl.communicate()[1]))
        reader.start()
        try:
            assert relay.stalled.wait(120), "the crawl never wrote a raw page"
            time.sleep(0.5)  # requests already under way when the write stalled are answered
            before = server.requests
            time.sleep(3)  # the write stays stalled for 8 s
            during = server.requests - before
            crawl.wait(timeout=120)
        finally:
            crawl.kill()
            reader.join()
        answered = {urlsplit(path).path for path, status in server.log if status == 200}
    err = errors[0]
    assert during > 0, "no page was fetched while a raw-page write was stalled"
    assert crawl.returncode == 0, err[-3000:]
    assert re.search(r"ERROR: could not store \d+ raw pages: no reply from Postgres in 8 s",
                     err), err[-3000:]
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        pages = {urlsplit(row[0]).path for row in conn.execute("SELECT url FROM raw_pages")}
    assert stored == len(STORABLE)
    articles = {article_path(a) for a in SAMPLE_ARTICLES}  # raw pages are kept of these only
    assert pages == answered & articles, (sorted(pages ^ answered & articles), err[-3000:])


def test_the_timeouts_keep_the_options_of_the_database_url(db: str) -> None:
    """The crawl's sessions get their timeouts through libpq's `options`, which replaces the
    URL's own: a search_path given there must still hold, or a crawl writes elsewhere."""
    sep = "&" if "?" in db else "?"
    url = f"{db}{sep}options=-c%20search_path%3Delsewhere%2Cpublic"
    pool = open_pool(url, timeout=5, timeouts=DbTimeouts(statement_timeout=7))
    try:
        with pool.connection() as conn:
            assert conn.execute("SHOW search_path").fetchone()[0] == "elsewhere,public"
            assert conn.execute("SHOW statement_timeout").fetchone()[0] == "7s"
    finally:
        pool.close()
