"""Store pipeline: articles into Postgres in batches, and one `crawl_runs` row per crawl.

Batches go in on a timer as well as by size, so a slow polite crawl lands as it goes. A batch
(raw pages and articles) is written by a thread of its own while the crawl goes on: most of a
write is Postgres' work (the search document, story matching) and compressing pages, which then
runs on the other core, and a write that waits on a silent database never stops the reactor.
One batch at most is in flight, collected by the first flush after it is done, so batches land
in order and memory stays bounded. A database outage is retried with back-off and the batch
kept in memory meanwhile (each batch is one transaction, so nothing is ever half-written), up
to JPNEWS_STORE_MAX_BUFFER articles and JPNEWS_STORE_MAX_BUFFER_BYTES of articles and raw pages
together: past that, raw pages are dropped (counted; the web still has them) and then the
oldest articles go to a JSON-lines spill file named in the log. If the database is still gone
when the crawl closes, the articles not stored are spilled too, never dropped. The retries of
that last flush sleep between attempts, so it runs in a thread of the reactor's pool: the
reactor never waits on a back-off.

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
from dataclasses import dataclass, field
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
    if state == "25P03":  # the server ended a session left idle in its transaction (stalled)
        return True
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


def _when_done(future: Future[None]) -> defer.Deferred[None]:
    """A Deferred that fires in the reactor's thread once the writer's `future` is done."""
    from twisted.internet import reactor

    done: defer.Deferred[None] = defer.Deferred()
    future.add_done_callback(lambda _: reactor.callFromThread(done.callback, None))
    return done


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass
class _Batch:
    """One write handed to the writer thread: raw pages, then articles, in one job."""

    pages: list[RawPage]
    articles: list[Article]
    settled: list[str]
    """URLs of pages written earlier whose article a pipeline then dropped."""
    future: Future[None] = field(default_factory=Future)
    pages_done: int = 0
    """Pages the writer is done with (stored, refused or set aside), the oldest first."""
    articles_done: list[Article] = field(default_factory=list)
    """Articles the writer is done with (stored, or set aside as refused): a write that fails
    part way gives back the others only, so that nothing is stored or counted twice."""
    mark: int | None = None
    """`StorePipeline.accepted` when the batch took everything buffered; None when it did not
    (an outage left pages for later batches)."""

    def __post_init__(self) -> None:
        self.size = (sum(len(page.body) for page in self.pages)
                     + sum(map(article_size, self.articles)))

    def done(self) -> bool:
        return self.future.done()

    def pages_left(self) -> list[RawPage]:
        return self.pages[self.pages_done:]

    def articles_left(self) -> list[Article]:
        done = {id(article) for article in self.articles_done}
        return [article for article in self.articles if id(article) not in done]


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
        self.peak_buffered = 0
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
        self.in_flight: _Batch | None = None
        self.lock = threading.Lock()  # stats, result and spill file, shared with the writer
        self.outlet_lock: OutletLock | None = None
        self.closed = False
        """Set when the close begins: from then on close_buffers' thread owns the buffers."""
        self.closing: defer.Deferred[None] | None = None
        self.late: list[Article] = []
        """Articles that reached the store while it was closing, guarded by `lock`."""
        self.sealed = False
        """Set (under `lock`) once close_buffers takes no more late articles."""
        self.recorded = False
        self.shutdown_trigger: Any = None
        self.accepted = 0
        """Articles and raw pages accepted so far, for durable_through."""
        self.durable_mark = 0
        self.shared_lock = False
        """Crawler processes on one Redis frontier (crawler/frontier.py) crawl an outlet
        together: each holds the outlet's lock shared, a one-process crawl holds it alone."""

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
        pipeline.shared_lock = bool(settings.get("JPNEWS_REDIS_URL"))
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
        self.store.keep_newest = bool(getattr(spider, "keeps_newest", False))
        if isinstance(spider, NewsSpider):
            self.outlet_lock = OutletLock(self.database_url, spider.name, self.db_timeouts,
                                          shared=self.shared_lock)
            if holder := self.outlet_lock.acquire():
                # the spider's start() yields nothing then: no page fetched, no run recorded
                self.stats.set_value(SKIPPED, holder.describe())
                self.store = None
                return
            if abandoned := self.store.close_abandoned_runs(spider.name,
                                                            self.outlet_lock.holders()):
                log.warning("%s: crawl run%s %s did not finish (killed?): recorded as "
                            "interrupted", spider.name, "s" if len(abandoned) > 1 else "",
                            ", ".join(map(str, abandoned)))
        self.run_id = self.store.begin_run(
            spider.name, self.outlet_lock.pid if self.outlet_lock is not None else None)
        self.stats.set_value("jpnews/crawl_run_id", self.run_id)
        log.info("storing into %s (crawl run %s)", describe(self.database_url), self.run_id)
        from twisted.internet import reactor  # the one Scrapy installed: import it only now

        self.shutdown_trigger = reactor.addSystemEventTrigger(
            "before", "shutdown", self._reactor_stopping)
        if self.flush_seconds > 0:
            self.timer = task.LoopingCall(self.flush)
            self.timer.start(self.flush_seconds, now=False)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article) and (writing := self.accept(item)) is not None:
            await maybe_deferred_to_future(_when_done(writing))
        return item

    def accept(self, article: Article) -> Future[None] | None:
        """Buffer an article. Returns the writer's batch to wait for when the writer is busy
        with a healthy database and a full batch waits: so a crawl or an import faster than
        the database waits for it (off the reactor: Scrapy then fetches less) instead of
        filling the outage buffer."""
        if self.closed:
            self._arrived_late(article)
            return None
        self._hold([article])
        self.accepted += 1
        if len(self.buffer) >= self.batch_size or self._over_budget():
            self.flush()
        batch = self.in_flight
        if batch is not None and not batch.done() and not self.backoff \
                and len(self.buffer) >= self.batch_size:
            return batch.future
        return None

    def keep_page(self, page: RawPage) -> None:
        if self.closed:  # a download still in flight at a forced stop: its page is not kept
            self._count("jpnews/store/raw_pages_lost")
            return
        self.pages.append(page)
        self.pages_bytes += len(page.body)
        self.accepted += 1
        if len(self.pages) >= self.batch_size or self._over_budget():
            self.flush()

    def _arrived_late(self, article: Article) -> None:
        """An article that reaches the store once it is closing (a forced stop lets the
        downloads in flight finish): close_buffers writes it, or spills it once it is done."""
        with self.lock:
            if not self.sealed:
                self.late.append(article)
                return
        self._spill([article], why="arrived after the store closed")

    def _over_budget(self) -> bool:
        return self.buffer_bytes + self.pages_bytes > self.max_buffer_bytes

    def _hold(self, articles: list[Article], *, first: bool = False) -> None:
        """Buffer articles, at the end or (a batch back from a failed write) at the front."""
        if first:
            self.buffer[:0] = articles
        else:
            self.buffer.extend(articles)
        self.buffer_bytes += sum(map(article_size, articles))
        if len(self.buffer) > self.peak_buffered:  # what memory the store needed, for operators
            self.peak_buffered = len(self.buffer)
            with self.lock:
                self.stats.set_value("jpnews/store/peak_buffered", self.peak_buffered)

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
        """Hand what is buffered to the writer thread; the final flush writes it itself.

        A flush never waits on the database: while the writer is busy (a big batch, a database
        gone silent) the crawl goes on and the buffer keeps what comes (process_item makes the
        crawl wait for the writer while the database is healthy). A failed write comes back to
        the buffer's front when the next flush collects it, and the store backs off; while the
        database is down the buffer beyond JPNEWS_STORE_MAX_BUFFER (or its bytes) goes to the
        spill file. The final flush, in close_buffers' thread, writes what is left, with
        retries.
        """
        if final:
            self._final_flush()
            return
        if self.closed:  # close_buffers' thread owns the buffers now
            return
        if self.in_flight is not None and not self.in_flight.done():
            if self.backoff:
                self._bound_buffer()
            return
        self._finish_in_flight()
        if time.monotonic() < self.retry_at:
            self._bound_buffer()
            return
        if not (self.pages or self.buffer or self.settled):
            return
        # the whole buffer: the articles that waited for the writer are all in the next write
        batch = _Batch(self._take_pages(), self._take(len(self.buffer)), self.settled)
        batch.mark = None if self.pages else self.accepted
        self.settled = []
        batch.future = self.writer.submit(self._write_batch, batch)
        self.in_flight = batch

    def _take_pages(self) -> list[RawPage]:
        """The oldest pages, a batch's worth at most: after an outage the buffered pages go in
        several writes, none of them holding most of the memory budget."""
        count = size = 0
        limit = self.max_buffer_bytes // 4
        while count < min(len(self.pages), self.batch_size) and \
                (count == 0 or size + len(self.pages[count].body) <= limit):
            size += len(self.pages[count].body)
            count += 1
        taken = self.pages[:count]
        del self.pages[:count]
        self.pages_bytes -= size
        return taken

    def _final_flush(self) -> bool:
        """Write everything buffered, with retries; False when the database stays away."""
        self._finish_in_flight()
        if self.pages:
            done: list[RawPage] = []
            try:
                self._store_pages(self.pages, done)
            except psycopg.Error as exc:  # an outage: raw pages are not worth a retry
                lost = len(self.pages) - len(done)
                self._count("jpnews/store/failed_batches")
                log.error("could not store %d raw pages: %s", lost, _one_line(exc))
                self._count("jpnews/store/raw_pages_lost", lost)
            self._clear_pages()
        settled, self.settled = self.settled, []
        self._mark_settled(settled)
        while self.buffer:
            batch = self.buffer[: self.batch_size]
            if not self._write_with_retries(batch, attempts=self.retries + 1):
                self._back_off()
                return False
            self.backoff = 0.0
            self._take(len(batch))
        return True

    def _write_batch(self, batch: _Batch) -> None:
        """The writer thread's job: raw pages first, so that a page counts as known to the next
        incremental crawl only once its article is stored too (crawler/incremental.py)."""
        done: list[RawPage] = []
        try:
            self._store_pages(batch.pages, done)
        finally:
            batch.pages_done = len(done)
        self._mark_settled(batch.settled)
        for start in range(0, len(batch.articles), self.batch_size):  # a transaction each
            self._store(batch.articles[start:start + self.batch_size], batch.articles_done)

    def _finish_in_flight(self) -> None:
        """Collect the writer's batch (waiting for it, in the final flush); after an outage
        what it had not done goes back to the buffers' front, in order, and the store backs
        off."""
        if self.in_flight is None:
            return
        batch, self.in_flight = self.in_flight, None
        try:
            batch.future.result()
        except Exception as exc:  # noqa: BLE001 - whatever failed, the batch is not lost
            pages, articles = batch.pages_left(), batch.articles_left()
            what = f"{len(pages)} raw pages" if pages else f"{len(articles)} articles"
            if not (isinstance(exc, psycopg.Error) and is_outage(exc)):
                log.error("could not store %s: %s: %s", what, type(exc).__name__,
                          _one_line(exc))
                self._count("jpnews/store/raw_pages_lost", len(pages))
                if articles:
                    self._spill(articles, why="not stored")
                return
            self._count("jpnews/store/failed_batches")
            log.error("could not store %s: %s", what, _one_line(exc))
            self.pages[:0] = pages
            self.pages_bytes += sum(len(page.body) for page in pages)
            if pages:  # the write stopped before marking them
                self.settled[:0] = batch.settled
            self._hold(articles, first=True)
            self._back_off()
            return
        self.backoff = 0.0
        if batch.mark is not None:
            self.durable_mark = max(self.durable_mark, batch.mark)

    def durable_through(self) -> int:
        """How many of the `accepted` articles and pages are dealt with for good (stored,
        refused or spilled): those accepted before the last batch that took everything was
        collected, or all of them when nothing waits. The Redis frontier acknowledges a request
        only then, so a worker killed with articles in memory loses none (crawler/frontier.py).
        """
        if self.sealed or not (self.buffer or self.pages or self.settled
                               or self.in_flight is not None or self.late):
            return self.accepted
        return self.durable_mark

    def _back_off(self) -> None:
        self.backoff = min(self.backoff * 2, 60.0) if self.backoff else 1.0
        self.retry_at = time.monotonic() + self.backoff
        self._bound_buffer()

    def _count(self, key: str, value: float = 1) -> None:
        with self.lock:
            self.stats.inc_value(key, value)

    def _store_pages(self, pages: list[RawPage], done: list[RawPage]) -> None:
        """Store raw pages, adding to `done` those dealt with; raises when the database is
        unreachable (an outage), sets aside a page the database refuses so that it costs no
        other."""
        if not pages:
            return
        assert self.store is not None
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            refused = self.store.write_pages(pages, self.run_id)
            done.extend(pages)
        except psycopg.Error as exc:
            if is_outage(exc):
                raise
            refused = 0
            for page in pages:
                try:
                    refused += self.store.write_pages([page], self.run_id)
                except psycopg.Error as error:
                    if is_outage(error):
                        raise
                    self._count("jpnews/store/raw_pages_lost")
                    log.error("raw page of %s not stored: %s", page.url, _one_line(error))
                done.append(page)
        with self.lock:
            self.stats.inc_value("jpnews/store/raw_pages", len(pages) - refused)
            if refused:  # taken down by `jpnews forget`: fetched, but not kept
                self.stats.inc_value("jpnews/store/raw_pages_forgotten", refused)
            self.stats.inc_value("jpnews/wall_ms/store_pages",
                                 (time.perf_counter() - started) * 1000)
            self.stats.inc_value("jpnews/cpu_ms/store_pages",
                                 (time.thread_time() - cpu_started) * 1000)

    def _mark_settled(self, urls: list[str]) -> None:
        """Pages written as having given an article that a pipeline then dropped."""
        if not urls:
            return
        assert self.store is not None
        try:
            self.store.mark_no_article(urls)
        except psycopg.Error as exc:  # a later batch tries again
            log.debug("could not mark pages without article: %s", exc)
            self.settled.extend(urls)

    def _bound_buffer(self) -> None:
        """Hold what an outage leaves in memory within JPNEWS_STORE_MAX_BUFFER articles (and as
        many raw pages) and JPNEWS_STORE_MAX_BUFFER_BYTES, the writer's batch included: the
        oldest raw pages are dropped first, then the oldest articles spilled."""
        held = self.in_flight.size if self.in_flight is not None else 0
        excess = self.buffer_bytes + self.pages_bytes + held - self.max_buffer_bytes
        dropped = max(len(self.pages) - self.max_buffer, 0)
        freed = sum(len(page.body) for page in self.pages[:dropped])
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
        """Store one batch; False when the database stays unreachable for every attempt. An
        attempt that failed part way is followed by one of what it left."""
        done: list[Article] = []
        for attempt in range(1, attempts + 1):
            ids = {id(article) for article in done}
            left = [article for article in batch if id(article) not in ids]
            try:
                self._store(left, done)
                return True
            except psycopg.Error as exc:
                if not is_outage(exc):
                    raise
                self._count("jpnews/store/failed_batches")
                log.error("could not store %d articles (attempt %d of %d): %s", len(left),
                          attempt, attempts, _one_line(exc))
                if attempt < attempts:
                    time.sleep(min(2 ** (attempt - 1), 10))
        return False

    def _store(self, batch: list[Article], done: list[Article]) -> None:
        """Write a batch, adding to `done` what is dealt with; a row the database refuses is
        set aside alone, by halving the batch, so that one bad article never holds back the
        others."""
        if not batch:
            return
        assert self.store is not None
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            written = self.store.write(batch, self.run_id)
        except psycopg.Error as exc:
            if is_outage(exc):
                raise
            if len(batch) == 1:
                self._set_aside(batch[0], exc)
                done.append(batch[0])
                return
            middle = len(batch) // 2
            self._store(batch[:middle], done)
            self._store(batch[middle:], done)
            return
        done.extend(batch)
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
        await maybe_deferred_to_future(self._close_off_the_reactor())

    def _close_off_the_reactor(self) -> defer.Deferred[None]:
        """Store what is left off the reactor's thread (the final flush sleeps between its
        retries), once: a second caller (a forced stop during the close) gets a Deferred of the
        same close."""
        if self.closing is None:
            self.closed = True
            if self.timer is not None and self.timer.running:
                self.timer.stop()
            self.closing = threads.deferToThread(self.close_buffers)
        done: defer.Deferred[None] = defer.Deferred()
        self.closing.addBoth(lambda result: (done.callback(None), result)[1])
        return done

    def close_buffers(self) -> None:
        """Write what is buffered, with retries, then what arrived meanwhile; spill the
        articles the database would not take. Blocking: close_spider runs it in a thread."""
        self.closed = True
        try:
            self.flush_all()
        finally:
            self.writer.shutdown(wait=True)
            if self.in_flight is not None:  # flush failed before it could collect it
                batch, self.in_flight = self.in_flight, None
                if batch.future.exception() is not None:
                    self._hold(batch.articles_left(), first=True)
            with self.lock:
                self.sealed = True
                late, self.late = self.late, []
            self._hold(late)
            if self.buffer:
                self._spill(self._take(len(self.buffer)))

    def flush_all(self) -> bool:
        """The final flush, repeated for the articles that arrived while it ran."""
        while self._final_flush():
            with self.lock:
                late, self.late = self.late, []
                if not late:
                    self.sealed = True
                    return True
            self._hold(late)
        return False

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
        closing = self._close_off_the_reactor()

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
