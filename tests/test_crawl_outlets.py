"""`jpnews crawl` over every outlet with fixture pages, in one Scrapy process: the registry's
feeds, the spiders, the mirrors and the parsers together, into Postgres.

Each outlet gets a loopback server holding its fixture pages at their own paths and a feed at
the path of the outlet's first declared feed (for NHK World, its JSON API's list and details);
an outlet that declares no feed is found through its sitemap, an index of news sitemaps.
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

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
OUTLETS = sorted(p.name for p in FIXTURES.iterdir()
                 if p.is_dir() and p.name not in ("japantoday",))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def outlet_site(outlet: str, sitemap_depth: int = 1, count: int | None = None
                ) -> tuple[SampleSite, list[dict]]:
    """The outlet's fixture pages behind a feed of them (or a sitemap `sitemap_depth` indexes
    down, for an outlet without a feed); returns the site and what it holds. `count` keeps the
    first HTML pages only, by file name: the site before its later articles appeared."""
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
        items, urls = [], []
        for page in sorted(folder.glob("*.html"))[:count]:
            data = json.loads(page.with_suffix(".json").read_text())
            pages[_path(data["url"])] = Page(page.read_bytes())
            expected.append(data)
            stamp = format_datetime(datetime.fromisoformat(data["published_at"]))
            items.append(f"<item><title>t</title><link>{data['url']}</link>"
                         f"<pubDate>{stamp}</pubDate></item>")
            urls.append(data["url"])
        if outlet == "nhk_easy":  # its news list is JSON: news ids by day
            days: dict[str, list[dict]] = {}
            for data in expected:
                when = datetime.fromisoformat(data["published_at"])
                days.setdefault(f"{when:%Y-%m-%d}", []).append(
                    {"news_id": data["url"].rsplit("/", 1)[-1].removesuffix(".html"),
                     "news_prearranged_time": f"{when:%Y-%m-%d %H:%M:%S}"})
            pages[_path(source.feeds[0])] = Page(json.dumps([days]).encode(), "application/json")
        elif source.feeds:
            feed = f"<rss version='2.0'><channel>{''.join(items)}</channel></rss>".encode()
            pages[_path(source.feeds[0])] = Page(feed, "application/rss+xml")
        else:
            pages.update(sitemap_chain(source.sitemaps[0], urls, sitemap_depth))
    return SampleSite(datetime.now(timezone.utc), pages, []), expected


def sitemap_chain(root: str, urls: list[str], depth: int) -> dict[str, Page]:
    """Sitemap indexes, each naming the next, from `root` down to a news sitemap `depth` levels
    below it that lists `urls`."""
    base = root.rsplit("/", 1)[0]
    locations = [root] + [f"{base}/sitemap-news-{level}.xml" for level in range(1, depth + 1)]
    pages = {}
    for here, below in zip(locations, locations[1:], strict=False):
        pages[_path(here)] = Page(
            f"<sitemapindex xmlns='{SITEMAP_NS}'><sitemap><loc>{below}</loc></sitemap>"
            "</sitemapindex>".encode(), "application/xml")
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    pages[_path(locations[-1])] = Page(f"<urlset xmlns='{SITEMAP_NS}'>{entries}</urlset>".encode(),
                                       "application/xml")
    return pages


@pytest.fixture
def servers() -> Iterator[dict[str, tuple[SiteServer, list[dict]]]]:
    with ExitStack() as stack:
        running = {}
        for outlet in OUTLETS:
            site, expected = outlet_site(outlet)
            running[outlet] = (stack.enter_context(SiteServer(site)), expected)
        yield running


def crawl(db: str, servers: dict[str, SiteServer], *extra: str) -> None:
    """`jpnews crawl` of the given outlets, each from its loopback mirror."""
    args = ["crawl", *servers, *extra, "--database-url", db, "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "RETRY_TIMES=0"]
    for outlet, server in servers.items():
        args += ["--base-url", f"{outlet}={server.base_url}"]
    done = run_jpnews(*args)
    assert done.returncode == 0, done.stderr[-3000:]


def test_crawl_all_fixture_outlets_in_one_process(db: str, servers) -> None:
    assert {o for o in OUTLETS if not SOURCES[o].feeds and not SOURCES[o].listings} >= \
        {"yomiuri", "nikkei", "tokyo_np"}  # found only through their sitemaps
    crawl(db, {outlet: server for outlet, (server, _) in servers.items()})
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT source, title, canonical_url, language FROM articles"
                              ).fetchall()
        runs = conn.execute("SELECT spider, articles_new FROM crawl_runs").fetchall()
    for outlet, (_, expected) in servers.items():
        titles = {title for source, title, _, _ in stored if source == outlet}
        assert titles == {e["title"] for e in expected}, outlet
    assert {spider for spider, _ in runs} == set(OUTLETS)
    assert all(new > 0 for _, new in runs)
    languages = {e["title"]: e["language"] for _, expected in servers.values() for e in expected}
    assert {title: language for _, title, _, language in stored} == languages


def test_sitemap_indexes_are_followed_two_levels_down_and_no_further(db: str) -> None:
    """An index of sitemaps is followed; an archive of indexes is not walked to the bottom."""
    with ExitStack() as stack:
        yomiuri, shallow = outlet_site("yomiuri", sitemap_depth=2)
        tokyo_np, deep = outlet_site("tokyo_np", sitemap_depth=3)
        crawl(db, {"yomiuri": stack.enter_context(SiteServer(yomiuri)),
                   "tokyo_np": stack.enter_context(SiteServer(tokyo_np))})
    with psycopg.connect(db) as conn:
        stored = dict(conn.execute("SELECT title, source FROM articles").fetchall())
        runs = dict(conn.execute("SELECT spider, stats FROM crawl_runs").fetchall())
    assert stored == {e["title"]: "yomiuri" for e in shallow}
    assert runs["tokyo_np"].get("jpnews/discovery/sitemap_links", 0) == 0
    assert deep  # the page was there to be found


def test_a_changed_description_alone_refreshes_the_article(db: str) -> None:
    """Only metadata changed on the second crawl: the article is refreshed, not a new version
    and not 'unchanged'."""
    site, expected = outlet_site("tokyo_np")
    with SiteServer(site) as server:
        crawl(db, {"tokyo_np": server})
    path = _path(expected[0]["url"])
    page = site.pages[path]
    described = page.body.replace(
        b"</head>", '<meta property="og:description" content="区が野鳥観察エリアを整備">'
        "</head>".encode())
    assert described != page.body
    site.pages[path] = Page(described, page.content_type)
    with SiteServer(site) as server:  # a known article is fetched again only by a full crawl
        crawl(db, {"tokyo_np": server}, "--full")
    with psycopg.connect(db) as conn:
        runs = conn.execute("SELECT articles_new, articles_updated, articles_refreshed,"
                            " articles_unchanged FROM crawl_runs ORDER BY id").fetchall()
        summary, version = conn.execute("SELECT summary, version FROM articles").fetchone()
    assert runs == [(1, 0, 0, 0), (0, 0, 1, 0)]
    assert summary == "区が野鳥観察エリアを整備" and version == 1
