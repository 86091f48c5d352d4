"""The spider every outlet shares: discovery from feeds and listings, parsing by the page parser.

An outlet module declares `source` (from crawler.sources) and nothing else unless its site needs
it. The spider can crawl a mirror of the outlet (the demo site, a test server): with a base URL
set, requests go to the mirror while every URL the pipeline sees stays the outlet's own, so a
mirror crawl and a live crawl store the same identities.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from crawler.dates import parse_date
from crawler.discovery import feed_entries, listing_entries, next_page, sitemap_entries
from crawler.extract import extract_raw
from crawler.html import UndecodablePage, decode_html, parse_html
from crawler.items import RawArticle, RawPage, page_fetched
from crawler.normalize import Rejected
from crawler.outcome import (
    FAILED,
    FETCHED,
    SKIPPED,
    failure_reason,
    quiet_failed_requests,
    summary,
    why_failed,
)
from crawler.sources import Source, owns_host

log = logging.getLogger(__name__)


class NewsSpider(Spider):
    source: ClassVar[Source]
    field_coverage: ClassVar[dict[str, float]] = {}
    """Article field → share of a run's articles that must have it, for what this outlet alone
    prints (a credit line): added to SPIDERMON_FIELD_COVERAGE_RULES (crawler/monitors.py)."""

    def __init__(self, *args: Any, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.allowed_domains = list(self.source.domains)
        self.max_listing_pages = 3

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        if cls.field_coverage:  # at spider priority: rules given with `-s` still win
            rules = settings.getdict("SPIDERMON_FIELD_COVERAGE_RULES")
            rules.update({f"Article/{name}": share for name, share in cls.field_coverage.items()})
            settings.set("SPIDERMON_FIELD_COVERAGE_RULES", rules, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        mirrors = crawler.settings.getdict("JPNEWS_BASE_URLS")
        if cls.source.id in mirrors and "base_url" not in kwargs:
            kwargs["base_url"] = mirrors[cls.source.id]
        quiet_failed_requests()
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_listing_pages = crawler.settings.getint("JPNEWS_MAX_LISTING_PAGES", 3)
        if spider.base_url:
            spider.allowed_domains = None  # the mirror's host is not the outlet's
        return spider

    # ---- outlet URLs ↔ fetched URLs ------------------------------------------------------------

    def to_fetch(self, url: str) -> str:
        """Where to fetch an outlet URL: on the mirror, when one is set, at the same path."""
        parts = urlsplit(url)
        if self.base_url and owns_host(self.source, parts.hostname or ""):
            return self.base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return url

    @staticmethod
    def public_url(response: Response) -> str:
        """The outlet URL a response answers (the request carries it, through redirects)."""
        return response.meta.get("public_url", response.url)

    def _request(self, url: str, callback: Any, **meta: Any) -> Request:
        return Request(self.to_fetch(url), callback=callback, errback=self.on_error,
                       meta={"public_url": url, **meta})

    # ---- discovery ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if self.crawler.stats.get_value(SKIPPED):  # another run crawls this outlet now
            return
        for url in self.source.feeds:
            yield self._request(url, self.parse_feed, jpnews_kind="feed")
        for url in self.source.sitemaps:
            yield self._request(url, self.parse_sitemap, jpnews_kind="sitemap", sitemap_depth=0)
        for url in self.source.listings:
            yield self._request(url, self.parse_listing, jpnews_kind="listing", listing_page=1)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value(FETCHED)
        entries = feed_entries(response.body, self.public_url(response))
        self.crawler.stats.inc_value("jpnews/discovery/feed_links", len(entries))
        for entry in entries:
            if self.source.is_article_url(entry.url):
                yield self._article_request(entry.url, entry.published, "feed")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value(FETCHED)
        pages, children = sitemap_entries(response.body, self.public_url(response))
        self.crawler.stats.inc_value("jpnews/discovery/sitemap_links", len(pages))
        for entry in pages:
            if self.source.is_article_url(entry.url):
                yield self._article_request(entry.url, entry.published, "sitemap")
        depth = response.meta.get("sitemap_depth", 0)
        if depth < 2:  # an index of sitemaps, not an archive to walk to the bottom
            for url in children[: self.max_listing_pages * 10]:
                yield self._request(url, self.parse_sitemap, jpnews_kind="sitemap",
                                    sitemap_depth=depth + 1)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        self.crawler.stats.inc_value(FETCHED)
        public = self.public_url(response)
        try:
            text, _ = decode_html(response.body, _content_type(response))
        except UndecodablePage:
            self._count_failure("listing_undecodable", response.url, "undecodable listing")
            return
        tree = parse_html(text)
        entries = listing_entries(tree, public, self.source)
        self.crawler.stats.inc_value("jpnews/discovery/listing_links", len(entries))
        for entry in entries:
            yield self._article_request(entry.url, entry.published, "listing")
        page = response.meta.get("listing_page", 1)
        following = next_page(tree, public)
        if following and page < self.max_listing_pages:
            yield self._request(following, self.parse_listing, jpnews_kind="listing",
                                listing_page=page + 1)

    def _article_request(self, url: str, published: str | None, found_in: str) -> Request:
        """The article's request, carrying the date its listing printed, resolved now: "6 hours
        ago" means six hours before the listing was read, not before the article is fetched."""
        when = parse_date(published, tz=self.source.timezone, now=datetime.now(timezone.utc))
        return self._request(url, self.parse_article, jpnews_kind="article",
                             listed_published=when.isoformat() if when else None,
                             found_in=found_in)

    # ---- articles -------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[RawArticle]:
        self.crawler.stats.inc_value(FETCHED)
        public = self.public_url(response)
        crawled_at = datetime.now(timezone.utc)
        content_type = _content_type(response)
        # The page itself is kept first, parseable or not: a parser fixed later repairs it.
        self.crawler.signals.send_catch_log(
            page_fetched, page=RawPage(url=public, source=self.source.id, body=response.body,
                                       status=response.status, headers=_headers(response),
                                       fetched_at=crawled_at))
        raw = read_page(self.crawler.stats, public, response.body, crawled_at, content_type,
                        self.source)
        if raw is None:
            return
        listed = response.meta.get("listed_published")
        if not raw.published and listed:
            raw.published = listed
            raw.provenance["published"] = response.meta.get("found_in", "listing")
        yield raw

    def _count_failure(self, reason: str, url: str, detail: str) -> None:
        count_drop(self.crawler.stats, reason, url, detail)

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted and logged, never fatal."""
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("jpnews_kind", "page")
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"jpnews/errors/{kind}/{type(failure.value).__name__}")
        self.crawler.stats.inc_value(FAILED + reason)
        log.warning("failed %s %s: %s", kind, request.meta.get("public_url", request.url),
                    reason)

    def closed(self, reason: str) -> None:
        """The outlet's summary line; a crawl in which no request succeeded is an error, which
        `scrapy crawl` turns into its exit status (crawler/commands/crawl.py)."""
        stats = self.crawler.stats.get_stats()
        if skipped := stats.get(SKIPPED):
            log.warning("%s", skipped)
            return
        log.info(summary(self.name, stats))
        failed = why_failed(stats)
        if failed and reason == "finished":
            log.error("%s: crawl failed: %s", self.name, failed)


def read_page(stats: StatsCollector, url: str, body: bytes, fetched_at: datetime,
              content_type: str | None, source: Source | None) -> RawArticle | None:
    """The page's RawArticle, or None after counting and logging why there is none.

    Shared by crawls and re-parses, so a page is judged the same way both times.
    """
    started = time.thread_time()
    try:
        return extract_raw(url, body, fetched_at, content_type=content_type, source=source)
    except UndecodablePage:
        count_drop(stats, "undecodable", url, "no charset decodes the page")
    except Rejected as rejected:
        count_drop(stats, rejected.reason, url, str(rejected))
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop a crawl
        count_drop(stats, "parse_error", url, f"{type(exc).__name__}: {exc}")
        log.debug("parse error on %s", url, exc_info=True)
    finally:
        stats.inc_value("jpnews/cpu_ms/parse", (time.thread_time() - started) * 1000)
    return None


def count_drop(stats: StatsCollector, reason: str, url: str, detail: str) -> None:
    stats.inc_value(f"jpnews/dropped/{reason}")
    log.warning("dropped %s: %s", url, detail)


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _headers(response: Response) -> dict[str, str]:
    return {key.decode("latin-1"): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()}
