"""No overlap (issue 10): one crawl of an outlet at a time, held in Postgres, real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest
from conftest import ROOT, SAMPLE_NOW, run_jpnews, run_scrapy

from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.outcome import EXIT_SKIPPED

HOLD = """
import sys
from psycopg_pool import ConnectionPool
from crawler.storage.articles import ArticleStore
from crawler.storage.lock import OutletLock

url = sys.argv[1]
lock = OutletLock(url, "japantoday")
assert lock.acquire() is None
with ConnectionPool(url, min_size=1, max_size=1) as pool:
    run_id = ArticleStore(pool).begin_run("japantoday")
lock.claim(run_id)
print(run_id, lock.conn.info.backend_pid, flush=True)
sys.stdin.read()  # held until killed
"""


@pytest.fixture
def sample_server() -> Iterator[SiteServer]:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        yield server


@pytest.fixture
def holder(db: str) -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    """Another process holding japantoday's lock as a running crawl does: its run row, its
    lock; yields the process, its run id and its server process id."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    run_id, backend_pid = map(int, proc.stdout.readline().split())
    yield proc, run_id, backend_pid
    proc.kill()
    proc.wait()


def crawl_args(db: str, server: SiteServer) -> list[str]:
    return ["crawl", "japantoday", "--database-url", db,
            "--base-url", f"japantoday={server.base_url}", "-s", "DOWNLOAD_DELAY=0"]


def started(db: str, run_id: int) -> str:
    with psycopg.connect(db) as conn:
        at = conn.execute("SELECT started_at FROM crawl_runs WHERE id = %s",
                          (run_id,)).fetchone()[0]
    return at.astimezone().strftime("%H:%M")


def test_second_jpnews_crawl_skips_an_outlet_being_crawled(
        db: str, sample_server: SiteServer, holder: tuple[subprocess.Popen[str], int, int]
) -> None:
    _, run_id, _ = holder
    done = run_jpnews(*crawl_args(db, sample_server))
    assert done.returncode == EXIT_SKIPPED, done.stderr[-3000:]
    line = f"japantoday: already being crawled by run {run_id} since {started(db, run_id)}"
    assert done.stdout.strip() == line
    assert "Traceback" not in done.stderr and "error" not in done.stderr
    assert sample_server.requests == 0
    with psycopg.connect(db) as conn:  # the skipped run leaves no row of its own
        assert conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == 1


def test_second_scrapy_crawl_skips_an_outlet_being_crawled(
        db: str, sample_server: SiteServer, holder: tuple[subprocess.Popen[str], int, int]
) -> None:
    _, run_id, _ = holder
    done = run_scrapy("crawl", "japantoday", "-s", f"DATABASE_URL={db}",
                      "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": sample_server.base_url}))
    assert done.returncode == EXIT_SKIPPED, done.stderr[-3000:]
    line = f"japantoday: already being crawled by run {run_id} since {started(db, run_id)}"
    assert f"WARNING: {line}" in done.stderr
    assert "crawl failed" not in done.stderr and "Traceback" not in done.stderr
    assert sample_server.requests == 0


def test_a_sigkilled_holder_never_blocks_the_next_crawl(
        db: str, sample_server: SiteServer, holder: tuple[subprocess.Popen[str], int, int]
) -> None:
    proc, killed_run, backend_pid = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with psycopg.connect(db, autocommit=True) as conn:
        # the server notices the dropped connection; waiting for that is not a timed guess
        while conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s",
                           (backend_pid,)).fetchone():
            conn.execute("SELECT pg_sleep(0.05)")
    done = run_jpnews(*crawl_args(db, sample_server))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "already being crawled" not in done.stdout
    assert sample_server.requests > 0
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        # the killed crawl's row is closed by the next run of its outlet
        assert conn.execute("SELECT finish_reason, finished_at IS NOT NULL FROM crawl_runs "
                            "WHERE id = %s", (killed_run,)).fetchone() == ("interrupted", True)
    assert f"crawl run {killed_run} did not finish (killed?)" in done.stderr

