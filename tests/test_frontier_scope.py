"""The shared crawl frontier is for crawls of outlets only, and a Redis URL it cannot use is a
one-line refusal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from conftest import SAMPLE_NOW, run_jpnews, run_scrapy

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
