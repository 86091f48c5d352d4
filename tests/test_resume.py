"""`jpnews crawl --resume` after a real SIGKILL mid-crawl: the second run finishes the work,
fetches no article it had stored, stores every article exactly once, and closes the killed
run's row."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from conftest import ROOT, SAMPLE_NOW

from crawler.demo.server import SiteServer
from crawler.demo.site import SampleSite, article_path, generate_site
from crawler.jobs import MARKER
from crawler.urls import canonicalize_url

ARTICLES = 240


_SETTINGS = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "JPNEWS_MAX_LISTING_PAGES=1000",
             "-s", "JPNEWS_STORE_BATCH_SIZE=15", "-s", "JPNEWS_STORE_FLUSH_SECONDS=0.5",
             "-s", f"JPNEWS_NOW={SAMPLE_NOW.isoformat()}"]


def _command(db: str, base_url: str, via: str = "jpnews",
             job: Path | None = None) -> list[str]:
    """`jpnews crawl --resume`, or `scrapy crawl -s JOBDIR=job` as Scrapy's users resume."""
    if via == "scrapy":
        return [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday",
                "-s", f"DATABASE_URL={db}", "-s", f"JOBDIR={job}",
                "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": base_url}), *_SETTINGS]
    return [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--resume",
            "--database-url", db, "--base-url", f"japantoday={base_url}", *_SETTINGS]


def _stored(db: str) -> set[str]:
    with psycopg.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}


def _slow_site(seed: int) -> tuple[SampleSite, set[str]]:
    """A generated site slow enough for a crawl to be stopped in the middle, and its article
    paths."""
    site = generate_site(ARTICLES, SAMPLE_NOW, seed=seed)
    paths = {article_path(a) for a in site.articles}
    for path in paths:
        site.pages[path].delay = 0.08
    return site, paths


def _stop_a_quarter_in(command: list[str], db: str, env: dict[str, str],
                       how: signal.Signals) -> int:
    """Start the crawl, send `how` to it once a quarter of the articles are stored, wait for
    it to end; returns its process id."""
    crawl = subprocess.Popen(command, cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_stored(db)) < ARTICLES // 4:
        assert crawl.poll() is None, "the crawl ended before it could be stopped"
        assert time.monotonic() < deadline
        time.sleep(0.1)
    os.killpg(crawl.pid, how)
    crawl.wait(timeout=60)
    return crawl.pid


@pytest.mark.parametrize("via", ["jpnews", "scrapy"])
def test_a_killed_crawl_resumes_without_refetching_or_losing_articles(
        db: str, tmp_path: Path, via: str) -> None:
    site, paths = _slow_site(seed=5)
    env = {**os.environ, "JPNEWS_DATA_DIR": str(tmp_path)}
    job = tmp_path / "jobs" / "japantoday" if via == "jpnews" else tmp_path / "scrapy-job"
    with SiteServer(site) as server:
        command = _command(db, server.base_url, via, job)
        killed = _stop_a_quarter_in(command, db, env, signal.SIGKILL)
        before_kill = _stored(db)
        answered = len(server.log)
        assert json.loads((job / MARKER).read_text())["pid"] == killed  # left behind
        assert 0 < len(before_kill) < ARTICLES

        resumed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=240)
        again = [path for path, _ in server.log[answered:] if path in paths]

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "was killed" in resumed.stderr and "Traceback" not in resumed.stderr
    expected = {canonicalize_url(site.url(a)) for a in site.articles}
    assert _stored(db) == expected  # the work is finished
    stored_paths = {article_path(a) for a in site.articles
                    if canonicalize_url(site.url(a)) in before_kill}
    assert not stored_paths & set(again)  # nothing stored before the kill fetched again
    assert len(again) == len(set(again)) == ARTICLES - len(before_kill)
    with psycopg.connect(db) as conn:
        versions = conn.execute("SELECT count(*), count(DISTINCT article_id), max(version) "
                                "FROM article_versions").fetchone()
        assert versions == (ARTICLES, ARTICLES, 1)  # every article exactly once
        runs = conn.execute("SELECT finish_reason, finished_at IS NOT NULL FROM crawl_runs "
                            "ORDER BY id").fetchall()
    assert runs == [("interrupted", True), ("finished", True)]
    assert not any(p.name != MARKER for p in job.iterdir())  # done: the next is a new job



def test_a_crawl_stopped_by_a_signal_continues_from_its_job_directory(
        db: str, tmp_path: Path) -> None:
    """SIGINT: Scrapy closes its queue cleanly, and `--resume` goes on with the requests it
    left pending instead of starting over; still nothing is fetched twice."""
    site, paths = _slow_site(seed=6)
    env = {**os.environ, "JPNEWS_DATA_DIR": str(tmp_path)}
    with SiteServer(site) as server:
        _stop_a_quarter_in(_command(db, server.base_url), db, env, signal.SIGINT)
        job = tmp_path / "jobs" / "japantoday"
        assert (job / MARKER).read_text() == ""  # closed, its queue kept
        assert any(p.name != MARKER for p in job.iterdir())
        first = [path for path, _ in server.log if path in paths]
        answered = len(server.log)
        resumed = subprocess.run(_command(db, server.base_url), cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=240)
        again = [path for path, _ in server.log[answered:] if path in paths]
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert _stored(db) == {canonicalize_url(site.url(a)) for a in site.articles}
    assert not set(first) & set(again) and len(first) + len(again) == ARTICLES
    with psycopg.connect(db) as conn:
        runs = conn.execute("SELECT finish_reason, stats->>'jpnews/job/resumed' FROM crawl_runs "
                            "ORDER BY id").fetchall()
    assert runs == [("interrupted", None), ("finished", "continued")]
