"""The spider every outlet shares: discovery from feeds and listings, parsing by the page parser.

An outlet module declares `source` (from crawler.sources) and nothing else unless its site needs
it. The spider can crawl a mirror of the outlet (the demo site, a test server): with a base URL
set, requests go to the mirror while every URL the pipeline sees stays the outlet's own, so a
mirror crawl and a live crawl store the same identities.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlsplit

import psycopg
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from crawler.dates import parse_date
from crawler.discovery import (
    Entry,
    feed_entries,
    listing_entries,
    next_page,
    sitemap_entries,
)
from crawler.extract import extract_raw
from crawler.html import UndecodablePage, decode_html, parse_html
from crawler.incremental import Fetch, FetchPolicy, RecheckSchedule
from crawler.items import RawArticle, RawPage, page_fetched
from crawler.normalize import Rejected
from crawler.outcome import (
    ARTICLE_PAGES,
    ARTICLE_REQUESTS,
    FAILED,
    FETCHED,
    KNOWN_SKIPPED,
    NOT_MODIFIED,
    RECHECKS_DUE,
    REDIRECT_MERGED,
    SKIPPED,
    SPILLED,
    Unfollowed,
    failure_reason,
    failures,
    quiet_failed_requests,
    summary,
    why_failed,
)
from crawler.sources import Source, owns_host, public_of
from crawler.window import parse_instant

log = logging.getLogger(__name__)


class NewsSpider(Spider):
    source: ClassVar[Source]
    field_coverage: ClassVar[dict[str, float]] = {}
    """Article field → share of a run's articles that must have it, for what this outlet alone
    prints (a credit line): added to SPIDERMON_FIELD_COVERAGE_RULES (crawler/monitors.py)."""

    custom_settings: ClassVar[dict[str, Any]] = {
        # Scrapy starts CONCURRENT_ITEMS tasks for each callback's output whatever its size:
        # its default, 100, for the one article of a page cost 1.7 ms of CPU per page here, as
        # much as the rest of Scrapy's own work on it (bench/RESULTS.md, crawl-profile). An
        # article page gives one item and a listing its links, handled without waiting.
        "CONCURRENT_ITEMS": 8,
    }

    def __init__(self, *args: Any, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.allowed_domains = list(self.source.domains)
        self.max_listing_pages = 3
        self.fixed_now: datetime | None = None
        self.policy = FetchPolicy(now=self.now(), full=True)

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
        if fixed := crawler.settings.get("JPNEWS_NOW"):
            spider.fixed_now = fixed if isinstance(fixed, datetime) else parse_instant(fixed)
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

    def public_of(self, url: str) -> str | None:
        """The outlet URL a fetched URL stands for (the inverse of `to_fetch`), or None when
        it is neither the outlet's nor its mirror's: a page there is not the outlet's."""
        return public_of(url, self.source, self.base_url)

    @staticmethod
    def public_url(response: Response) -> str:
        """The outlet URL a response answers (the request carries it, through redirects)."""
        return response.meta.get("public_url", response.url)

    def now(self) -> datetime:
        """The crawl's clock: JPNEWS_NOW fixes it (tests of sites that change, replays)."""
        return self.fixed_now or datetime.now(timezone.utc)

    def _request(self, url: str, callback: Any, headers: dict[str, str] | None = None,
                 **meta: Any) -> Request:
        if headers:  # a conditional request: its 304 is an answer for the callback
            meta["handle_httpstatus_list"] = [304]
        if meta.get("jpnews_kind") == "article":
            self.crawler.stats.inc_value(ARTICLE_REQUESTS)
        return Request(self.to_fetch(url), callback=callback, errback=self.on_error,
                       headers=headers, meta={"public_url": url, **meta})

    def _discovery_request(self, url: str, callback: Any, kind: str, **meta: Any) -> Request:
        """Never filtered as seen: a crawl resumed from its job directory (crawler/jobs.py)
        reads its feeds and listings again, which the number of listing pages and the depth
        of sitemaps bound."""
        request = self._request(url, callback, self.policy.discovery_headers(url),
                                jpnews_kind=kind, **meta)
        return request.replace(dont_filter=True)

    def _not_modified(self, response: Response, kind: str) -> bool:
        """Count the page's answer; True when it was 304 Not Modified (nothing to read)."""
        if response.status != 304 and kind == "article":
            self.crawler.stats.inc_value(ARTICLE_PAGES)
            return False  # its validators are stored with its raw page
        self.policy.answered(self.public_url(response), kind, response.status,
                             _headers(response))
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(NOT_MODIFIED)
        self.crawler.stats.inc_value(f"{NOT_MODIFIED}/{kind}")
        return True

    # ---- discovery ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if self.crawler.stats.get_value(SKIPPED):  # another run crawls this outlet now
            return
        self.policy = self._fetch_policy()
        for url in self.source.feeds:
            yield self._discovery_request(url, self.parse_feed, "feed")
        for url in self.source.sitemaps:
            yield self._discovery_request(url, self.parse_sitemap, "sitemap", sitemap_depth=0)
        for url in self.source.listings:
            yield self._discovery_request(url, self.parse_listing, "listing", listing_page=1)
        for page, decision in self.policy.due_rechecks():
            self.crawler.stats.inc_value(RECHECKS_DUE)
            yield self._request(page.url, self.parse_article, decision.headers,
                                jpnews_kind="article", found_in="recheck")

    def _fetch_policy(self) -> FetchPolicy:
        """What earlier crawls stored decides what this one fetches (crawler/incremental.py).
        Without the store, or with --full, everything listed is fetched."""
        from crawler.storage import page_checks
        from crawler.storage.db import DatabaseUnavailable, connect, database_url

        settings = self.crawler.settings
        now = self.now()
        full = settings.getbool("JPNEWS_FULL_CRAWL")
        if full or not self._stores_articles():
            return FetchPolicy(now=now, full=full)
        schedule = recheck_schedule(settings.get("JPNEWS_RECHECK_AFTER"), self.source)
        try:
            with connect(database_url(settings.get("DATABASE_URL"))) as conn:
                known, discovery = page_checks.load(conn, self.source.id)
        except (DatabaseUnavailable, psycopg.Error) as exc:
            log.error("%s: cannot read what earlier crawls stored, crawling everything: %s",
                      self.name, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return FetchPolicy(now=now, full=True)
        return FetchPolicy(now=now, schedule=schedule, known=known, discovery=discovery)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if self._not_modified(response, "feed"):
            return
        self.crawler.stats.inc_value(FETCHED)
        entries = self.feed_articles(response)
        self.crawler.stats.inc_value("jpnews/discovery/feed_links", len(entries))
        yield from self._article_requests(entries, "feed")

    def feed_articles(self, response: Response) -> list[Entry]:
        """The articles a feed lists; an outlet whose feed is no RSS or Atom reads its own."""
        entries = feed_entries(response.body, self.public_url(response))
        return [e for e in entries if self.source.is_article_url(e.url)]

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if self._not_modified(response, "sitemap"):
            return
        self.crawler.stats.inc_value(FETCHED)
        pages, children = sitemap_entries(response.body, self.public_url(response))
        self.crawler.stats.inc_value("jpnews/discovery/sitemap_links", len(pages))
        yield from self._article_requests(
            (e for e in pages if self.source.is_article_url(e.url)), "sitemap")
        depth = response.meta.get("sitemap_depth", 0)
        if depth < 2:  # an index of sitemaps, not an archive to walk to the bottom
            for url in children[: self.max_listing_pages * 10]:
                yield self._discovery_request(url, self.parse_sitemap, "sitemap",
                                              sitemap_depth=depth + 1)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        if self._not_modified(response, "listing"):
            return
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
        yield from self._article_requests(entries, "listing")
        page = response.meta.get("listing_page", 1)
        following = next_page(tree, public)
        if following and page < self.max_listing_pages:
            yield self._discovery_request(following, self.parse_listing, "listing",
                                          listing_page=page + 1)

    def _article_requests(self, entries: Iterable[Entry], found_in: str) -> Iterator[Request]:
        """The requests of the listed articles this crawl fetches (crawler/incremental.py),
        each carrying the date its listing printed, resolved now: "6 hours ago" means six hours
        before the listing was read, not before the article is fetched."""
        now = self.now()
        for entry in entries:
            modified = parse_date(entry.modified, tz=self.source.timezone, now=now)
            decision = self.policy.article(entry.url, modified)
            self.crawler.stats.set_value(KNOWN_SKIPPED, self.policy.known_skipped)
            if not decision.wanted:
                continue
            if decision.fetch in (Fetch.RECHECK, Fetch.LISTED_CHANGED):
                self.crawler.stats.inc_value(RECHECKS_DUE)
            when = parse_date(entry.published, tz=self.source.timezone, now=now)
            yield self._request(entry.url, self.parse_article, decision.headers,
                                jpnews_kind="article",
                                listed_published=when.isoformat() if when else None,
                                found_in=found_in)

    # ---- articles -------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[RawArticle]:
        if self._not_modified(response, "article"):
            return
        self.crawler.stats.inc_value(FETCHED)
        public = self.public_url(response)
        crawled_at = self.now()
        content_type = _content_type(response)
        raw = read_and_keep(self.crawler, RawPage(
            url=public, source=self.source.id, body=response.body, status=response.status,
            headers=_headers(response), fetched_at=crawled_at), content_type, self.source)
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
        if isinstance(failure.value, Unfollowed) and failure.value.merged:
            self.crawler.stats.inc_value(REDIRECT_MERGED)
            log.info("%s redirects to %s, requested by this crawl as well",
                     request.meta.get("public_url", request.url), failure.value.target)
            return
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
        self._remember_answers(reason, stats)
        log.info(summary(self.name, stats))
        failed = why_failed(stats)
        if failed and reason == "finished":
            log.error("%s: crawl failed: %s", self.name, failed)


    def _stores_articles(self) -> bool:
        """Validators live beside the stored articles: a crawl without the store (an export
        with the pipelines off, a fetch-only benchmark) neither reads nor keeps them."""
        pipelines = self.crawler.settings.getdict("ITEM_PIPELINES")
        return "pipelines.store.StorePipeline" in pipelines

    def _remember_answers(self, reason: str, stats: dict[str, Any]) -> None:
        """Keep this crawl's answers for the next one's conditional requests."""
        from crawler.storage import page_checks
        from crawler.storage.db import DatabaseUnavailable, connect, database_url

        clean = reason == "finished" and not failures(stats) and \
            not stats.get(SPILLED)
        answers = self.policy.to_save(clean=clean)
        if not answers or not self._stores_articles():
            return
        try:
            with connect(database_url(self.crawler.settings.get("DATABASE_URL"))) as conn:
                page_checks.save(conn, self.source.id, answers)
        except (DatabaseUnavailable, psycopg.Error) as exc:  # costs the next crawl 304s only
            log.error("%s: could not keep the pages' validators: %s", self.name,
                      str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def recheck_schedule(setting: str | dict[str, str] | None, source: Source) -> RecheckSchedule:
    """JPNEWS_RECHECK_AFTER: one schedule for every outlet ("1h,6h,24h,72h", "never"), or a
    JSON object by outlet id; an outlet it does not name keeps its registry default."""
    if isinstance(setting, str) and setting.strip().startswith("{"):
        setting = json.loads(setting)
    if isinstance(setting, dict):
        setting = setting.get(source.id)
    if not setting:
        return RecheckSchedule(source.recheck_after)
    return RecheckSchedule.parse(setting)


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


def read_and_keep(crawler: Crawler, page: RawPage, content_type: str | None,
                  source: Source | None) -> RawArticle | None:
    """Parse a fetched page (read_page) and keep it, parseable or not, for the store's
    raw_pages (the page_fetched signal): a parser fixed later repairs it. Shared by crawls and
    WARC backfills, whose pages are kept alike."""
    raw = read_page(crawler.stats, page.url, page.body, page.fetched_at, content_type, source)
    page.gave_article = raw is not None
    crawler.signals.send_catch_log(page_fetched, page=page)
    return raw


def count_drop(stats: StatsCollector, reason: str, url: str, detail: str) -> None:
    stats.inc_value(f"jpnews/dropped/{reason}")
    log.warning("dropped %s: %s", url, detail)


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _headers(response: Response) -> dict[str, str]:
    return {key.decode("latin-1"): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()}
