"""`jpnews crawl` over every outlet with fixture pages, in one Scrapy process: the registry's
feeds, the spiders, the mirrors and the parsers together, into Postgres.

Each outlet gets a loopback server holding its fixture pages at their own paths and a feed at
the path of the outlet's first declared feed (for NHK World, its JSON API's list and details).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

import psycopg
import pytest
from conftest import FIXTURES, run_jpnews

from crawler.demo.server import SiteServer
from crawler.demo.site import Page, SampleSite
from crawler.parsers.nhk_world import DETAIL_URL
from crawler.sources import SOURCES

OUTLETS = sorted(p.name for p in FIXTURES.iterdir()
                 if p.is_dir() and p.name not in ("japantoday",))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def outlet_site(outlet: str) -> tuple[SampleSite, list[dict]]:
    """The outlet's fixture pages behind a feed of them; returns the site and what it holds."""
    source = SOURCES[outlet]
    pages: dict[str, Page] = {}
    expected: list[dict] = []
    folder = FIXTURES / outlet
    if outlet == "nhk_world":
        pages[_path(source.feeds[0])] = Page((folder / "news-list.json").read_bytes(),
                                             "application/json")
        for answer in sorted(folder.glob("*.expected.json")):
            article_id = answer.name.split(".")[0]
            pages[_path(DETAIL_URL.format(id=article_id))] = Page(
                (folder / f"{article_id}.json").read_bytes(), "application/json")
            expected.append(json.loads(answer.read_text()))
    else:
        items = []
        for page in sorted(folder.glob("*.html")):
            data = json.loads(page.with_suffix(".json").read_text())
            pages[_path(data["url"])] = Page(page.read_bytes())
            expected.append(data)
            stamp = format_datetime(datetime.fromisoformat(data["published_at"]))
            items.append(f"<item><title>t</title><link>{data['url']}</link>"
                         f"<pubDate>{stamp}</pubDate></item>")
        feed = f"<rss version='2.0'><channel>{''.join(items)}</channel></rss>".encode()
        pages[_path(source.feeds[0])] = Page(feed, "application/rss+xml")
    return SampleSite(datetime.now(timezone.utc), pages, []), expected


@pytest.fixture
def servers() -> Iterator[dict[str, tuple[SiteServer, list[dict]]]]:
    with ExitStack() as stack:
        running = {}
        for outlet in OUTLETS:
            site, expected = outlet_site(outlet)
            running[outlet] = (stack.enter_context(SiteServer(site)), expected)
        yield running


def test_crawl_all_fixture_outlets_in_one_process(db: str, servers) -> None:
    args = ["crawl", *OUTLETS, "--database-url", db, "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "RETRY_TIMES=0"]
    for outlet, (server, _) in servers.items():
        args += ["--base-url", f"{outlet}={server.base_url}"]
    done = run_jpnews(*args)
    assert done.returncode == 0, done.stderr[-3000:]
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT source, title, canonical_url, language FROM articles"
                              ).fetchall()
        runs = conn.execute("SELECT spider, articles_new FROM crawl_runs").fetchall()
    for outlet, (_, expected) in servers.items():
        titles = {title for source, title, _, _ in stored if source == outlet}
        assert titles == {e["title"] for e in expected}, outlet
    assert {spider for spider, _ in runs} == set(OUTLETS)
    assert all(new > 0 for _, new in runs)
    assert all(language == "en" for *_, language in stored)
