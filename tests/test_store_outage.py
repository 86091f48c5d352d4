"""A database that goes away mid-crawl: batches are kept and retried, then spilled, never lost
or half-written. Postgres is reached through a TCP relay that the test cuts and restores."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest
from conftest import ROOT, SAMPLE_NOW
from relay import Relay, relay_to
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.items import Article, RawPage
from crawler.storage.stories import DEDUP_LOCK
from pipelines.dedup import DedupPipeline
from pipelines.store import StorePipeline, article_size, is_outage


@pytest.fixture
def relay(db: str) -> Iterator[tuple[Relay, str]]:
    with relay_to(db) as relay:
        yield relay, relay.url(db)


def _articles(n: int) -> list[Article]:
    now = datetime(2026, 11, 29, tzinfo=timezone.utc)
    return [Article(url=f"https://japantoday.com/category/national/story-{i}",
                    canonical_url=f"https://japantoday.com/category/national/story-{i}",
                    source="japantoday", source_name="Japan Today", source_group="media-jepang",
                    title=f"Story {i}", body=f"Body of story {i}. " * 20, summary=None,
                    published_at=now, modified_at=None, credit="© KYODO", credit_agency="KYODO",
                    authors=[], section=None, tags=[], language="en", editor_note=None,
                    image_url=None, crawled_at=now, content_hash=f"hash-{i}")
            for i in range(n)]


def _pipeline(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              **settings: object) -> StorePipeline:
    monkeypatch.setenv("JPNEWS_DATA_DIR", str(tmp_path))
    crawler = get_crawler(Spider, {"DATABASE_URL": url, "JPNEWS_STORE_BATCH_SIZE": 5,
                                   "JPNEWS_STORE_FLUSH_SECONDS": 0, "JPNEWS_STORE_RETRIES": 1,
                                   "JPNEWS_STORE_TIMEOUT": 2, **settings})
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider(Spider(name="outage"))
    return pipeline


def _written(pipeline: StorePipeline) -> None:
    """Until the writer thread is done with its batch, which the next flush then collects."""
    if pipeline.in_flight is not None:
        pipeline.in_flight.future.exception(timeout=60)


def _count(db: str) -> int:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_outage_keeps_batches_and_stores_them_when_back(
        db: str, relay: tuple[Relay, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    proxy, url = relay
    pipeline = _pipeline(url, tmp_path, monkeypatch)
    articles = _articles(12)
    for article in articles[:5]:
        pipeline.accept(article)  # a full batch goes to the writer thread
    _written(pipeline)
    pipeline.flush()  # collects the batch in flight
    assert _count(db) == 5
    proxy.cut()
    for article in articles[5:]:
        pipeline.accept(article)
    _written(pipeline)
    pipeline.flush()  # the batch in flight failed: back in the buffer, in order
    assert _count(db) == 5 and len(pipeline.buffer) == 7
    assert [a.canonical_url for a in pipeline.buffer] == [a.canonical_url for a in articles[5:]]
    proxy.restore()
    pipeline.retry_at = 0.0  # the back-off has passed
    pipeline.close_buffers()
    assert _count(db) == 12
    assert pipeline.spill_path is None


def test_database_still_down_at_close_spills_everything_unstored(
        db: str, relay: tuple[Relay, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    proxy, url = relay
    pipeline = _pipeline(url, tmp_path, monkeypatch)
    articles = _articles(8)
    for article in articles[:5]:
        pipeline.accept(article)
    _written(pipeline)  # the first batch has landed
    proxy.cut()
    changed = dataclasses.replace(articles[0], body="A changed body. " * 20, content_hash="new")
    for article in [*articles[5:], changed]:
        pipeline.accept(article)
    pipeline.close_buffers()
    assert _count(db) == 5  # no batch half-written
    assert pipeline.spill_path is not None
    spilled = [json.loads(line) for line in pipeline.spill_path.read_text().splitlines()]
    assert [a["canonical_url"] for a in spilled] == [a.canonical_url for a in articles[5:]] + \
        [changed.canonical_url]
    assert spilled[-1]["body"].startswith("A changed body.")


def test_a_row_the_database_refuses_is_set_aside_alone(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = _pipeline(db, tmp_path, monkeypatch)
    articles = _articles(12)
    # incompressible, so over the btree limit of the unique index even after compression
    huge_url = "https://japantoday.com/category/national/" + os.urandom(4000).hex()
    articles[7] = dataclasses.replace(articles[7], url=huge_url, canonical_url=huge_url)
    for article in articles:
        pipeline.accept(article)
    pipeline.close_buffers()
    assert _count(db) == 11
    assert pipeline.stats.get_value("jpnews/store/refused_rows") == 1
    spilled = [json.loads(line) for line in pipeline.spill_path.read_text().splitlines()]
    assert [a["canonical_url"] for a in spilled] == [huge_url]


def test_a_batch_that_fails_unexpectedly_is_spilled_not_lost(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = _pipeline(db, tmp_path, monkeypatch)
    assert pipeline.store is not None

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in the store")

    monkeypatch.setattr(pipeline.store, "write", broken)
    articles = _articles(5)
    for article in articles:
        pipeline.accept(article)  # the batch goes to the writer thread, which fails
    pipeline.close_buffers()
    assert pipeline.spill_path is not None
    spilled = [json.loads(line) for line in pipeline.spill_path.read_text().splitlines()]
    assert [a["canonical_url"] for a in spilled] == [a.canonical_url for a in articles]


def test_raw_pages_wait_out_an_outage_and_are_stored_when_back(
        db: str, relay: tuple[Relay, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A raw page is dropped only under pressure (the end of the crawl, a full buffer): a
    database gone for a moment costs none of them."""
    proxy, url = relay
    pipeline = _pipeline(url, tmp_path, monkeypatch)
    now = datetime(2026, 11, 29, tzinfo=timezone.utc)
    pages = [RawPage(url=f"https://japantoday.com/category/national/story-{i}",
                     source="japantoday", body=f"<html>page {i}</html>".encode(), status=200,
                     headers={}, fetched_at=now) for i in range(5)]
    proxy.cut()
    for page in pages:
        pipeline.keep_page(page)  # the fifth fills a batch, handed to the writer: refused
    _written(pipeline)
    pipeline.flush()  # collects the failed write: its pages are back, in order
    assert [p.url for p in pipeline.pages] == [p.url for p in pages]
    assert not pipeline.stats.get_value("jpnews/store/raw_pages_lost")
    proxy.restore()
    pipeline.retry_at = 0.0  # the back-off has passed
    pipeline.close_buffers()
    with psycopg.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT url FROM raw_pages")}
    assert stored == {p.url for p in pages}
    assert not pipeline.stats.get_value("jpnews/store/raw_pages_lost")


def test_an_outage_holds_no_more_than_the_byte_budget(
        db: str, relay: tuple[Relay, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """JPNEWS_STORE_MAX_BUFFER_BYTES bounds what an outage keeps in memory, articles and raw
    pages together: raw pages go first (counted as lost), then the oldest articles to the spill
    file, in order; at close the rest is spilled, so every article is in the file once."""
    budget = 64 * 1024
    proxy, url = relay
    pipeline = _pipeline(url, tmp_path, monkeypatch, JPNEWS_STORE_MAX_BUFFER_BYTES=budget)
    articles = [dataclasses.replace(a, body=f"Paragraph {i} of a long story. " * 300)
                for i, a in enumerate(_articles(12))]
    assert sum(map(article_size, articles)) > budget
    now = datetime(2026, 11, 29, tzinfo=timezone.utc)
    pages = [RawPage(url=f"https://japantoday.com/category/national/page-{i}",
                     source="japantoday", body=os.urandom(10 * 1024), status=200, headers={},
                     fetched_at=now) for i in range(10)]
    proxy.cut()

    def held() -> int:
        assert pipeline.buffer_bytes == sum(map(article_size, pipeline.buffer))
        assert pipeline.pages_bytes == sum(len(p.body) for p in pipeline.pages)
        return pipeline.buffer_bytes + pipeline.pages_bytes

    for page in pages:
        pipeline.keep_page(page)
        _written(pipeline)
        assert held() <= budget
    lost = pipeline.stats.get_value("jpnews/store/raw_pages_lost")
    assert 0 < lost < len(pages) and pipeline.spill_path is None
    assert [p.url for p in pipeline.pages] == [p.url for p in pages[lost:]]
    for article in articles:
        pipeline.accept(article)
        assert held() <= budget
    assert pipeline.pages == [] and \
        pipeline.stats.get_value("jpnews/store/raw_pages_lost") == len(pages)
    assert pipeline.spill_path is not None
    spilled = [json.loads(line)["canonical_url"]
               for line in pipeline.spill_path.read_text().splitlines()]
    assert spilled + [a.canonical_url for a in pipeline.buffer] == \
        [a.canonical_url for a in articles]
    assert len(pipeline.buffer) > 1
    pipeline.close_buffers()
    spilled = [json.loads(line)["canonical_url"]
               for line in pipeline.spill_path.read_text().splitlines()]
    assert spilled == [a.canonical_url for a in articles]
    assert pipeline.stats.get_value("jpnews/store/spilled") == len(articles)


def test_the_last_retries_of_a_crawl_never_stall_the_reactor(
        db: str, relay: tuple[Relay, str], tmp_path: Path) -> None:
    """A real crawl whose database goes away once it has begun: the final flush retries with
    back-off sleeps, in a thread, while the reactor goes on (Scrapy's LogStats, a reactor
    timer every quarter second, keeps logging between the attempts); then every article not
    stored is in the spill file."""
    proxy, url = relay
    site = build_sample_site(SAMPLE_NOW)
    for path, page in list(site.pages.items()):  # slow enough to cut the database mid-crawl
        site.pages[path] = dataclasses.replace(page, delay=0.2)
    with SiteServer(site) as server, subprocess.Popen(
            [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday",
             "-s", f"DATABASE_URL={url}",
             "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": server.base_url}),
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "JPNEWS_MAX_LISTING_PAGES=10", "-s", "LOGSTATS_INTERVAL=0.25",
             "-s", "JPNEWS_STORE_RETRIES=2", "-s", "JPNEWS_STORE_TIMEOUT=1"],
            cwd=ROOT, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "JPNEWS_DATA_DIR": str(tmp_path)}) as crawl:
        with psycopg.connect(db, autocommit=True) as conn:
            while not conn.execute("SELECT count(*) FROM crawl_runs WHERE lock_pid IS NOT NULL"
                                   ).fetchone()[0]:  # the crawl holds its outlet
                assert crawl.poll() is None, crawl.stderr.read()[-3000:]
                time.sleep(0.05)
        proxy.cut()
        _, log = crawl.communicate(timeout=240)
    attempts = [i for i, line in enumerate(log.splitlines()) if "(attempt " in line]
    assert attempts, log[-3000:]
    between = log.splitlines()[attempts[0]:attempts[-1]]
    assert any("Crawled " in line and " pages (at " in line for line in between), \
        "\n".join(between)
    spilled = [json.loads(line) for spill in (tmp_path / "spill").glob("*.jsonl")
               for line in spill.read_text().splitlines()]
    storable = sum(a.kind != "not-article" for a in SAMPLE_ARTICLES)
    assert spilled and len(spilled) + _count(db) == storable


def _waits_for_lock(db: str, pid_not: int) -> None:
    """Until a backend other than `pid_not` waits for a lock (the store's write, blocked)."""
    deadline = time.monotonic() + 60  # a hang guard, not a measure
    with psycopg.connect(db, autocommit=True) as conn:
        while time.monotonic() < deadline and not conn.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                "WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> %s",
                (pid_not,)).fetchone()[0]:
            time.sleep(0.05)


def test_a_deadlocked_batch_is_retried_not_refused(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's write and another transaction lock the same two things in opposite order:
    Postgres aborts the store's (its deadlock check runs first), which must try again."""
    pipeline = _pipeline(db, tmp_path, monkeypatch, JPNEWS_STORE_BATCH_SIZE=1)
    identify = DedupPipeline(pipeline.stats).process_item  # texts with a story to match
    article = identify(_articles(1)[0])
    pipeline.accept(article)
    _written(pipeline)
    assert _count(db) == 1
    changed = identify(dataclasses.replace(article, body="A changed body. " * 20,
                                           content_hash="new"))
    with psycopg.connect(db) as other:
        other.execute("SET deadlock_timeout = '60s'")  # the store's backend detects it
        other.execute("SELECT pg_advisory_xact_lock(%s)", (DEDUP_LOCK,))
        # the store updates the article's row, then waits for the story-matching lock ...
        pipeline.accept(changed)
        _waits_for_lock(db, other.info.backend_pid)
        # ... which this transaction holds while it waits for that row: a deadlock
        other.execute("SELECT 1 FROM articles WHERE canonical_url = %s FOR UPDATE",
                      (article.canonical_url,))
        other.rollback()
    pipeline.close_buffers()
    with psycopg.connect(db) as conn:
        body = conn.execute("SELECT body FROM articles").fetchone()[0]
    assert body.startswith("A changed body.")
    assert pipeline.stats.get_value("jpnews/store/failed_batches") == 1
    assert not pipeline.stats.get_value("jpnews/store/refused_rows")
    assert pipeline.spill_path is None


@pytest.mark.parametrize("timeouts", [
    {"JPNEWS_DB_LOCK_TIMEOUT": 1},  # 55P03 lock_not_available
    {"JPNEWS_DB_LOCK_TIMEOUT": 0, "JPNEWS_DB_STATEMENT_TIMEOUT": 1},  # 57014 query_canceled
], ids=["lock-timeout", "statement-timeout"])
def test_a_held_story_lock_bounds_the_wait_and_the_batch_is_kept(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        timeouts: dict[str, float]) -> None:
    """Another crawler holds the story-matching lock: the store's wait ends, the batch goes
    back whole (nothing half-written, no row refused) and lands once the lock is free."""
    pipeline = _pipeline(db, tmp_path, monkeypatch, **timeouts)
    articles = [DedupPipeline(pipeline.stats).process_item(a) for a in _articles(5)]
    with psycopg.connect(db) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s)", (DEDUP_LOCK,))
        for article in articles:
            pipeline.accept(article)  # a full batch goes to the writer thread
        _written(pipeline)
        pipeline.flush()  # the writer gave up waiting: the batch is back in the buffer
        assert _count(db) == 0
        assert [a.canonical_url for a in pipeline.buffer] == [a.canonical_url for a in articles]
    pipeline.retry_at = 0.0  # the back-off has passed
    pipeline.close_buffers()
    assert _count(db) == 5
    assert not pipeline.stats.get_value("jpnews/store/refused_rows")
    assert pipeline.spill_path is None


def test_an_article_reaching_a_closing_store_is_stored_or_spilled_never_lost(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forced stop lets the downloads in flight finish while close_buffers runs in its
    thread: what they bring is stored by the close, or spilled once the close is done."""
    pipeline = _pipeline(db, tmp_path, monkeypatch)
    first, late, later = _articles(3)
    pipeline.accept(first)
    pipeline.closed = True  # as _close_off_the_reactor sets it before close_buffers starts
    assert pipeline.accept(late) is None and late not in pipeline.buffer
    pipeline.close_buffers()
    assert _count(db) == 2
    pipeline.accept(later)  # the close is over: nothing can store it any more
    assert pipeline.spill_path is not None
    spilled = [json.loads(line) for line in pipeline.spill_path.read_text().splitlines()]
    assert [a["canonical_url"] for a in spilled] == [later.canonical_url]


def test_a_session_the_server_ended_for_idling_is_an_outage_not_a_refused_row(db: str) -> None:
    """idle_in_transaction_session_timeout ends a stalled writer's session with 25P03, an
    InternalError: its batch is kept and retried whole, not halved into refused rows."""
    with psycopg.connect(db, options="-c idle_in_transaction_session_timeout=200") as conn:
        conn.execute("SELECT 1")  # a transaction begins, and then the client stalls
        time.sleep(0.6)
        with pytest.raises(psycopg.Error) as ended:
            conn.execute("SELECT 2")
    assert ended.value.sqlstate == "25P03"
    assert is_outage(ended.value)


def test_a_second_ctrl_c_during_the_close_lets_the_close_finish_its_writes(
        db: str, relay: tuple[Relay, str], tmp_path: Path) -> None:
    """Ctrl-C while the database is away: the close retries its writes, in a thread. A second
    Ctrl-C stops the reactor, whose shutdown trigger must wait for that same close rather than
    record the run and close the pool under it (which spilled what the retries would store).
    The database comes back meanwhile: everything is stored, nothing spilled, and the run is
    recorded as interrupted."""
    import queue
    import signal
    import threading

    proxy, url = relay
    site = build_sample_site(SAMPLE_NOW)
    for path, page in list(site.pages.items()):
        site.pages[path] = dataclasses.replace(page, delay=0.3)
    with SiteServer(site) as server:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday",
             "-s", f"DATABASE_URL={url}",
             "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": server.base_url}),
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
             "-s", "JPNEWS_STORE_FLUSH_SECONDS=600", "-s", "JPNEWS_STORE_BATCH_SIZE=1000",
             "-s", "JPNEWS_STORE_RETRIES=6", "-s", "JPNEWS_STORE_TIMEOUT=1"],
            cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            env={**os.environ, "JPNEWS_DATA_DIR": str(tmp_path)})
        lines: queue.Queue[str] = queue.Queue()
        log: list[str] = []

        def read() -> None:
            assert crawl.stderr is not None
            for line in crawl.stderr:
                lines.put(line)
            lines.put("")

        def until(text: str) -> None:
            while True:
                line = lines.get(timeout=120)
                log.append(line)
                assert line, "".join(log)[-3000:]
                if text in line:
                    return

        threading.Thread(target=read, daemon=True).start()
        try:
            while sum(path.startswith("/category/") and path.count("/") == 3
                      for path in server.paths) < 8:  # a few article pages fetched
                time.sleep(0.05)
            time.sleep(1.5)  # and parsed: their articles wait in the store's buffer
            proxy.cut()
            crawl.send_signal(signal.SIGINT)
            until("(attempt 1 of")  # the close is retrying its writes, in its thread
            crawl.send_signal(signal.SIGINT)
            proxy.restore()
            crawl.wait(timeout=120)
            while (line := lines.get(timeout=10)):
                log.append(line)
        finally:
            crawl.kill()
    text = "".join(log)
    assert not list((tmp_path / "spill").glob("*.jsonl")), text[-3000:]
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        run = conn.execute("SELECT finish_reason, articles_new FROM crawl_runs").fetchone()
    assert stored >= 4 and run == ("interrupted", stored), text[-3000:]
