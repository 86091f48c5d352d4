"""The shared crawl frontier is for crawls of outlets only, each cycle into one database from one
origin, and a Redis URL it cannot use is a one-line refusal."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from conftest import REDIS_URL, ROOT, SAMPLE_NOW, fresh_database, run_jpnews, run_scrapy
from test_redis_frontier import _crawl_line, _served, _site

from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.demo.warcs import article_paths, site_records, write_warc

NO_REDIS = "redis://127.0.0.1:9/0"  # nothing listens there


def test_a_backfill_keeps_scrapys_scheduler_whatever_the_environment_says(
        db: str, tmp_path: Path) -> None:
    """A worker host exports JPNEWS_REDIS_URL for its crawls; a backfill run there is no
    cycle of an outlet's crawl and must not need, or join, the frontier."""
    site = build_sample_site(SAMPLE_NOW)
    pages = article_paths(site)[:5]
    warc = write_warc(tmp_path / "five.warc.gz",
                      site_records(site, SAMPLE_NOW + timedelta(hours=1), pages))
    done = run_jpnews("backfill", str(warc), "--database-url", db,
                      env={"JPNEWS_REDIS_URL": NO_REDIS})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "Redis" not in done.stderr
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_scrapy_crawl_takes_the_frontier_from_the_environment() -> None:
    """Scrapy's convention holds for `scrapy crawl`: settings.py reads the environment."""
    done = run_scrapy("settings", "--get", "SCHEDULER", env={"JPNEWS_REDIS_URL": NO_REDIS})
    assert done.stdout.strip() == "crawler.frontier.RedisFrontier", done.stderr[-2000:]
    done = run_scrapy("settings", "--get", "SCHEDULER", env={"JPNEWS_REDIS_URL": ""})
    assert done.stdout.strip() != "crawler.frontier.RedisFrontier"


@pytest.mark.parametrize(("url", "says"), [
    ("foo", "not a Redis URL: foo"),
    ("http://127.0.0.1:6379/0", "not a Redis URL: http://127.0.0.1:6379/0"),
    ("redis://127.0.0.1:99999/0", "not a Redis URL: redis://127.0.0.1:99999/0"),
])
def test_a_url_that_is_no_redis_url_is_one_line(url: str, says: str) -> None:
    done = run_jpnews("crawl", "japantoday", "--database-url",
                      "postgresql://nobody@127.0.0.1:9/none", "--redis", url,
                      env={"JPNEWS_REDIS_URL": ""})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jpnews: error: ") and says in lines[0], \
        done.stderr


def test_a_crawl_into_another_database_does_not_join_the_running_cycle(
        db: str, admin_url: str, redis_prefix: str) -> None:
    """Same Redis, same prefix, another database: the second crawl would take the cycle's
    requests and store the pages where the first never sees them. It refuses instead, and
    the first crawl stores the whole site."""
    import redis

    site = _site(delay=0.2)  # slow enough for the first cycle to run when the second starts
    server_redis = redis.Redis.from_url(REDIS_URL)
    with SiteServer(site) as server, fresh_database(admin_url) as other:
        first = subprocess.Popen([sys.executable, "-m", "crawler.cli",
                                  *_crawl_line(db, server, redis_prefix)],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            deadline = time.monotonic() + 60
            while not server_redis.exists(f"{redis_prefix}:japantoday:cycle"):
                assert first.poll() is None and time.monotonic() < deadline, "no cycle began"
                time.sleep(0.1)
            second = run_jpnews(*_crawl_line(other, server, redis_prefix))
            _, first_err = first.communicate(timeout=240)
        finally:
            first.kill()
        with psycopg.connect(other) as conn:
            taken = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert second.returncode == 1
    errors = [line for line in second.stderr.splitlines() if line.startswith("jpnews: error")]
    assert errors == [f"jpnews: error: crawl failed: japantoday: the Redis frontier "
                      f"{redis_prefix}:japantoday runs a crawl into database "
                      + errors[0].split(" runs a crawl into database ", 1)[1]], second.stderr
    assert "JPNEWS_REDIS_PREFIX of its own" in errors[0]
    assert taken == 0
    assert first.returncode == 0, first_err[-3000:]
    with psycopg.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}
    assert stored == _served(site)
