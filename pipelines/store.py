"""Store pipeline: articles into Postgres in batches, and one `crawl_runs` row per crawl.

Batches go in on a timer as well as by size, so a slow polite crawl lands as it goes. A batch is
written by a thread of its own while the crawl goes on parsing the next one: most of a write is
Postgres' work (the search document, story matching), which then runs on the other core instead
of stalling the crawl. One batch at most is in flight and the next flush waits for it, so
batches land in order and memory stays bounded. A database
outage is retried with back-off and the batch kept in memory meanwhile (each batch is one
transaction, so nothing is ever half-written), up to JPNEWS_STORE_MAX_BUFFER articles and
JPNEWS_STORE_MAX_BUFFER_BYTES of articles and raw pages together: past that, raw pages are
dropped (counted; the web still has them) and then the oldest articles go to a JSON-lines spill
file named in the log. If the database is still gone when the crawl closes, the articles not
stored are spilled too, never dropped. The retries of that last flush sleep between attempts,
so it runs in a thread of the reactor's pool: the reactor never waits on a back-off.

A crawl stopped by SIGTERM/SIGINT is recorded as 'interrupted' (Scrapy's reason is "shutdown").
Scrapy's graceful stop waits for the downloads in flight; a second signal stops the reactor at
once, without closing the spider, so the buffered articles are then stored and the run
recorded by a trigger of the reactor's shutdown instead (`jpnews crawl --every` sends that
second signal after its grace period).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, task, threads

from crawler.items import Article, RawArticle, RawPage, page_fetched
from crawler.monitors import RunMonitors
from crawler.outcome import (
    ARTICLE_PAGES,
    INTERRUPTED,
    KNOWN_SKIPPED,
    NOT_MODIFIED,
    RECHECKS_DUE,
    SKIPPED,
    SPILL_FILE,
    SPILLED,
    WAS_INTERRUPTED,
    why_failed,
)
from crawler.storage.articles import ArticleStore, FetchCounts, WriteResult
from crawler.storage.db import DatabaseUnavailable, DbTimeouts, describe, open_pool, prepare
from crawler.storage.embedded import data_dir
from crawler.storage.lock import OutletLock
from spiders.base import NewsSpider

log = logging.getLogger(__name__)


TRANSIENT = frozenset({"40P01", "40001", "57014", "55P03"})
"""Deadlock, serialization failure, statement cancelled (statement_timeout), lock not
available (lock_timeout): the batch lost a race or a wait, not a row the database rejects."""


def is_outage(exc: psycopg.Error) -> bool:
    """A lost or refused connection or a transient failure (worth retrying, the batch kept
    whole), as opposed to a row the database rejects (set aside alone).

    Connection errors carry no SQLSTATE or one of class 08 (connection), 57P (shutdown) or
    53 (resources: disk full, too many connections); "string too long for tsvector" is an
    OperationalError too, but of class 54, and retrying it would only stall the crawl.
    """
    if isinstance(exc, (psycopg.InterfaceError, PoolTimeout)):
        return True
    state = exc.sqlstate
    return isinstance(exc, psycopg.OperationalError) and (
        state is None or state in TRANSIENT or state.startswith(("08", "57P", "53")))


DEFAULT_MAX_BUFFER_BYTES = 256 * 1024 * 1024
ARTICLE_OVERHEAD = 1024
"""Bytes allowed for an article's object, dates, lists and hashes besides its strings."""


def article_size(article: Article) -> int:
    """The memory an article holds, near enough to bound a buffer: its strings as Python
    stores them (1 to 4 bytes a character) and its MinHash signature."""
    strings = (article.title, article.body, article.summary, article.editor_note, article.url,
               article.canonical_url, article.credit)
    return (ARTICLE_OVERHEAD + sum(sys.getsizeof(text) for text in strings if text)
            + len(article.minhash or b""))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class StorePipeline:
    def __init__(self, crawler: Crawler, database_url: str, *, batch_size: int,
                 flush_seconds: float, retries: int, max_buffer: int,
                 max_buffer_bytes: int = DEFAULT_MAX_BUFFER_BYTES) -> None:
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.database_url = database_url
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.retries = retries
        self.max_buffer = max_buffer
        self.max_buffer_bytes = max_buffer_bytes
        self.buffer: list[Article] = []
        self.buffer_bytes = 0
        """article_size of the buffered articles, kept as they come and go."""
        self.pages: list[RawPage] = []
        self.pages_bytes = 0
        """Bytes of the buffered raw pages' bodies."""
        self.settled: list[str] = []
        """URLs of written pages whose article was dropped after they were written."""
        self.result = WriteResult()
        self.pool: ConnectionPool | None = None
        self.store: ArticleStore | None = None
        self.run_id: int | None = None
        self.timer: task.LoopingCall | None = None
        self.spill_path: Path | None = None
        self.spider_name = "crawl"
        self.retry_at = 0.0
        self.backoff = 0.0
        self.timeout = 10.0
        self.db_timeouts = DbTimeouts()
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jpnews-store")
        self.in_flight: tuple[list[Article], Future[None]] | None = None
        self.lock = threading.Lock()  # stats, result and spill file, shared with the writer
        self.outlet_lock: OutletLock | None = None
        self.closed = False
        self.recorded = False
        self.shutdown_trigger: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        # Reach and migrate the database before the first request: a crawl into a database that
        # is not there would fetch pages only to lose them.
        url = prepare(settings.get("DATABASE_URL"))
        pipeline = cls(crawler, url,
                       batch_size=settings.getint("JPNEWS_STORE_BATCH_SIZE", 100),
                       flush_seconds=settings.getfloat("JPNEWS_STORE_FLUSH_SECONDS", 5.0),
                       retries=settings.getint("JPNEWS_STORE_RETRIES", 3),
                       max_buffer=settings.getint("JPNEWS_STORE_MAX_BUFFER", 20000),
                       max_buffer_bytes=settings.getint("JPNEWS_STORE_MAX_BUFFER_BYTES",
                                                        DEFAULT_MAX_BUFFER_BYTES))
        pipeline.timeout = settings.getfloat("JPNEWS_STORE_TIMEOUT", 10.0)
        pipeline.db_timeouts = DbTimeouts.from_settings(settings.get)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.keep_page, signal=page_fetched)
        crawler.signals.connect(pipeline.page_gave_no_article, signal=signals.item_dropped)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        self.spider_name = spider.name
        try:
            self.pool = open_pool(self.database_url, timeout=self.timeout,
                                  timeouts=self.db_timeouts)
        except PoolTimeout as exc:
            raise DatabaseUnavailable(
                f"cannot reach Postgres at {describe(self.database_url)}") from exc
        # a crawl with its clock injected (JPNEWS_NOW) records its times by that clock too
        self.store = ArticleStore(self.pool, spider.fixed_now if isinstance(spider, NewsSpider)
                                  else None)
        if isinstance(spider, NewsSpider):
            self.outlet_lock = OutletLock(self.database_url, spider.name, self.db_timeouts)
            if holder := self.outlet_lock.acquire():
                # the spider's start() yields nothing then: no page fetched, no run recorded
                self.stats.set_value(SKIPPED, holder.describe())
                self.store = None
                return
            if abandoned := self.store.close_abandoned_runs(spider.name):
                log.warning("%s: crawl run%s %s did not finish (killed?): recorded as "
                            "interrupted", spider.name, "s" if len(abandoned) > 1 else "",
                            ", ".join(map(str, abandoned)))
        self.run_id = self.store.begin_run(spider.name)
        if self.outlet_lock is not None:
            self.outlet_lock.claim(self.run_id)
        self.stats.set_value("jpnews/crawl_run_id", self.run_id)
        log.info("storing into %s (crawl run %s)", describe(self.database_url), self.run_id)
        from twisted.internet import reactor  # the one Scrapy installed: import it only now

        self.shutdown_trigger = reactor.addSystemEventTrigger(
            "before", "shutdown", self._reactor_stopping)
        if self.flush_seconds > 0:
            self.timer = task.LoopingCall(self.flush)
            self.timer.start(self.flush_seconds, now=False)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article):
            self._hold([item])
            if len(self.buffer) >= self.batch_size or self._over_budget():
                self.flush()
        return item

    def keep_page(self, page: RawPage) -> None:
        self.pages.append(page)
        self.pages_bytes += len(page.body)
        if len(self.pages) >= self.batch_size or self._over_budget():
            self.flush()

    def _over_budget(self) -> bool:
        return self.buffer_bytes + self.pages_bytes > self.max_buffer_bytes

    def _hold(self, articles: list[Article], *, first: bool = False) -> None:
        """Buffer articles, at the end or (a batch back from a failed write) at the front."""
        if first:
            self.buffer[:0] = articles
        else:
            self.buffer.extend(articles)
        self.buffer_bytes += sum(map(article_size, articles))

    def _take(self, count: int) -> list[Article]:
        """The oldest `count` articles, out of the buffer."""
        taken = self.buffer[:count]
        del self.buffer[:count]
        self.buffer_bytes -= sum(map(article_size, taken))
        return taken

    def _clear_pages(self) -> None:
        self.pages = []
        self.pages_bytes = 0

    def page_gave_no_article(self, item: Any, **_: Any) -> None:
        """A page whose article a pipeline dropped (not an article after all) is a page that
        gave none: the next incremental crawl may take it for known (crawler/incremental.py)."""
        url = getattr(item, "url", None)
        if not isinstance(item, RawArticle) or url is None:
            return
        for page in reversed(self.pages):
            if page.url == url:
                page.gave_article = False
                return
        self.settled.append(url)  # its page is written already: corrected with the next batch

    def flush(self, *, final: bool = False) -> None:
        """Write what is buffered; on failure keep it and try again after a back-off.

        While the database is down the crawl goes on: a batch goes to the writer thread once
        per back-off period (the next flush collects it, back into the buffer if it failed), and
        the buffer beyond JPNEWS_STORE_MAX_BUFFER (or its bytes) goes to the spill file. The
        final flush, in close_buffers' thread, writes what is left, with retries.
        """
        self._finish_in_flight()
        if not final and time.monotonic() < self.retry_at:
            self._bound_buffer()
            return
        if self.pages and not self._write_pages(final) and not final:
            self._back_off()
            return
        if not final:
            if self.buffer:
                batch = self._take(self.batch_size)
                self.in_flight = (batch, self.writer.submit(self._store, batch))
            return
        while self.buffer:
            batch = self.buffer[: self.batch_size]
            if not self._write_with_retries(batch, attempts=self.retries + 1):
                self._back_off()
                return
            self.backoff = 0.0
            self._take(len(batch))

    def _finish_in_flight(self) -> None:
        """Wait for the batch the writer has; after an outage it goes back to the buffer's
        front, in order, and the store backs off."""
        if self.in_flight is None:
            return
        batch, future = self.in_flight
        self.in_flight = None
        try:
            future.result()
        except Exception as exc:  # noqa: BLE001 - whatever failed, the batch is not lost
            if not (isinstance(exc, psycopg.Error) and is_outage(exc)):
                log.error("could not store %d articles: %s: %s", len(batch),
                          type(exc).__name__, _one_line(exc))
                self._spill(batch, why="not stored")
                return
            self._count("jpnews/store/failed_batches")
            log.error("could not store %d articles: %s", len(batch), _one_line(exc))
            self._hold(batch, first=True)
            self._back_off()
            return
        self.backoff = 0.0

    def _back_off(self) -> None:
        self.backoff = min(self.backoff * 2, 60.0) if self.backoff else 1.0
        self.retry_at = time.monotonic() + self.backoff
        self._bound_buffer()

    def _count(self, key: str, value: float = 1) -> None:
        with self.lock:
            self.stats.inc_value(key, value)

    def _write_pages(self, final: bool) -> bool:
        """Store the buffered raw pages; False while the database is unreachable.

        Raw pages are a copy of the web and can be fetched again: under pressure (an outage at
        the end of a crawl, a full buffer) they are dropped and counted, never an article.
        """
        assert self.store is not None
        started, cpu_started = time.perf_counter(), time.thread_time()
        refused = 0
        try:
            refused = self.store.write_pages(self.pages, self.run_id)
        except psycopg.Error as exc:
            if is_outage(exc):
                self.stats.inc_value("jpnews/store/failed_batches")
                log.error("could not store %d raw pages: %s", len(self.pages), _one_line(exc))
                if final or len(self.pages) > self.max_buffer:
                    self.stats.inc_value("jpnews/store/raw_pages_lost", len(self.pages))
                    self._clear_pages()
                return False
            for page in self.pages:  # one page the database refuses must not cost the others
                try:
                    refused += self.store.write_pages([page], self.run_id)
                except psycopg.Error as error:
                    self.stats.inc_value("jpnews/store/raw_pages_lost")
                    log.error("raw page of %s not stored: %s", page.url, _one_line(error))
        if self.settled:
            try:
                self.store.mark_no_article(self.settled)
                self.settled = []
            except psycopg.Error as exc:  # a later batch tries again
                log.debug("could not mark pages without article: %s", exc)
        self.stats.inc_value("jpnews/store/raw_pages", len(self.pages) - refused)
        if refused:  # taken down by `jpnews forget`: fetched, but not kept
            self.stats.inc_value("jpnews/store/raw_pages_forgotten", refused)
        self.stats.inc_value("jpnews/wall_ms/store_pages", (time.perf_counter() - started) * 1000)
        self.stats.inc_value("jpnews/cpu_ms/store_pages",
                             (time.thread_time() - cpu_started) * 1000)
        self._clear_pages()
        return True

    def _bound_buffer(self) -> None:
        """Hold what an outage leaves in memory within JPNEWS_STORE_MAX_BUFFER articles and
        JPNEWS_STORE_MAX_BUFFER_BYTES: the oldest raw pages are dropped first, then the oldest
        articles spilled."""
        excess = self.buffer_bytes + self.pages_bytes - self.max_buffer_bytes
        dropped = freed = 0
        while dropped < len(self.pages) and freed < excess:
            freed += len(self.pages[dropped].body)
            dropped += 1
        if dropped:
            del self.pages[:dropped]
            self.pages_bytes -= freed
            self._count("jpnews/store/raw_pages_lost", dropped)
            log.error("store buffer over %d bytes: %d raw pages dropped", self.max_buffer_bytes,
                      dropped)
        excess -= freed
        spilled = max(len(self.buffer) - self.max_buffer, 0)
        excess -= sum(map(article_size, self.buffer[:spilled]))
        while spilled < len(self.buffer) and excess > 0:
            excess -= article_size(self.buffer[spilled])
            spilled += 1
        if spilled:
            self._spill(self._take(spilled))

    def _write_with_retries(self, batch: list[Article], attempts: int) -> bool:
        """Store one batch; False when the database stays unreachable for every attempt."""
        for attempt in range(1, attempts + 1):
            try:
                self._store(batch)
                return True
            except psycopg.Error as exc:
                if not is_outage(exc):
                    raise
                self._count("jpnews/store/failed_batches")
                log.error("could not store %d articles (attempt %d of %d): %s", len(batch),
                          attempt, attempts, _one_line(exc))
                if attempt < attempts:
                    time.sleep(min(2 ** (attempt - 1), 10))
        return False

    def _store(self, batch: list[Article]) -> None:
        """Write a batch; a row the database refuses is set aside alone, by halving the batch,
        so that one bad article never holds back the others."""
        assert self.store is not None
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            written = self.store.write(batch, self.run_id)
        except psycopg.Error as exc:
            if is_outage(exc):
                raise
            if len(batch) == 1:
                self._set_aside(batch[0], exc)
                return
            middle = len(batch) // 2
            self._store(batch[:middle])
            self._store(batch[middle:])
            return
        with self.lock:
            self.stats.inc_value("jpnews/wall_ms/store", (time.perf_counter() - started) * 1000)
            self.stats.inc_value("jpnews/cpu_ms/store",
                                 (time.thread_time() - cpu_started) * 1000)
            self.result += written
            for name in ("new", "updated", "refreshed", "unchanged", "duplicates",
                         "new_duplicates", "forgotten"):
                self.stats.set_value(f"jpnews/articles/{name}", getattr(self.result, name))

    def _set_aside(self, article: Article, exc: psycopg.Error) -> None:
        self._count("jpnews/store/refused_rows")
        log.error("the database refused %s: %s", article.url, _one_line(exc))
        self._spill([article], why="refused by the database")

    def _spill(self, articles: list[Article], why: str = "database unavailable") -> None:
        with self.lock:  # the writer thread spills refused rows
            if self.spill_path is None:
                folder = data_dir() / "spill"
                folder.mkdir(parents=True, exist_ok=True)
                stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                self.spill_path = folder / f"{self.spider_name}-{stamp}.jsonl"
            with self.spill_path.open("a", encoding="utf-8") as out:
                for article in articles:
                    out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
            self.stats.inc_value(SPILLED, len(articles))
            self.stats.set_value(SPILL_FILE, str(self.spill_path))
        log.error("%s: %d articles saved to %s (JSON lines of the article schema)", why,
                  len(articles), self.spill_path)

    async def close_spider(self, spider: Spider | None = None) -> None:
        """Scrapy awaits this before it sends spider_closed."""
        if (closing := self._close_off_the_reactor()) is not None:
            await maybe_deferred_to_future(closing)

    def _close_off_the_reactor(self) -> defer.Deferred[None] | None:
        """Store what is left off the reactor's thread (the final flush sleeps between its
        retries); None when that has been done already."""
        if self.closed:
            return None
        self.closed = True
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        return threads.deferToThread(self.close_buffers)

    def close_buffers(self) -> None:
        """Write what is buffered, with retries; spill the articles the database would not
        take. Blocking: close_spider runs it in a thread."""
        try:
            self.flush(final=True)
        finally:
            self.writer.shutdown(wait=True)
            if self.in_flight is not None:  # flush failed before it could collect it
                batch, future = self.in_flight
                self.in_flight = None
                if future.exception() is not None:
                    self._hold(batch, first=True)
            if self.buffer:
                self._spill(self._take(len(self.buffer)))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Record the run once Scrapy has its final numbers, then let the next run in."""
        if self.shutdown_trigger is not None:
            from twisted.internet import reactor

            reactor.removeSystemEventTrigger(self.shutdown_trigger)
            self.shutdown_trigger = None
        self._finish(spider, INTERRUPTED if reason == "shutdown" else reason)

    def _reactor_stopping(self) -> defer.Deferred[None]:
        """The reactor stops with the spider still open: Scrapy's forced shutdown (a second
        SIGTERM/SIGINT), which never closes the spider. Store what is buffered and record the
        run as interrupted all the same; the reactor waits for the Deferred a "before"
        trigger returns."""
        self.shutdown_trigger = None
        log.warning("stopped before the crawl closed: storing what is buffered")
        closing = self._close_off_the_reactor() or defer.succeed(None)

        def finish(result: Any) -> Any:
            self._finish(self.crawler.spider, INTERRUPTED)
            return result

        return closing.addBoth(finish)

    def _finish(self, spider: Spider, reason: str) -> None:
        if self.recorded:
            return
        self.recorded = True
        try:
            self._record_run(spider, reason)
        finally:
            if self.outlet_lock is not None:
                self.outlet_lock.release()

    def _record_run(self, spider: Spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            if self.pool is not None:
                self.pool.close()
            return
        if reason == INTERRUPTED:
            self.stats.set_value(WAS_INTERRUPTED, True)
        # Asked for here rather than left to the order of spider_closed handlers, so that the
        # row always has them (and the stats the field coverage they add)
        monitors = self.crawler.get_extension(RunMonitors)
        report = monitors.report(spider, reason) if monitors is not None else None
        stats = self.stats.get_stats()
        dropped = {k.rsplit("/", 1)[-1]: v for k, v in stats.items()
                   if k.startswith("jpnews/dropped/")}
        errors = sum(v for k, v in stats.items() if k.startswith("jpnews/errors/"))
        if reason == "finished" and isinstance(spider, NewsSpider) and why_failed(stats):
            reason = "failed"  # the run's row must not read "finished" when nothing was fetched
        try:
            self.store.finish_run(
                self.run_id, reason=reason, pages=stats.get("response_received_count", 0),
                result=self.result, dropped=dropped, errors=errors,
                stats=json.loads(json.dumps(stats, default=str)), monitors=report,
                fetches=FetchCounts(*(int(stats.get(key, 0)) for key in (
                    ARTICLE_PAGES, NOT_MODIFIED, KNOWN_SKIPPED, RECHECKS_DUE))))
        except (psycopg.OperationalError, PoolTimeout) as exc:
            log.error("could not record crawl run %s: %s", self.run_id, exc)
        finally:
            if self.pool is not None:
                self.pool.close()
