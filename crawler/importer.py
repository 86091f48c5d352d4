"""`jpnews import`: articles in the schema's JSON form back through normalise, dedup and store.

A spider with no requests, as for re-parsing: its `start` reads the dump (JSON lines or
Parquet, crawler/dumps/reader.py) and yields one RawArticle per record, so an import goes
through the very pipelines a crawl does (the same identity, the same story clusters) and is
idempotent like a re-crawl. A record that is not valid JSON, has a field of the wrong type
(crawler/record_types.py) or lacks the fields of an article is refused with its line (or row)
number, alone, and so is one the pipelines drop (Scrapy's item_dropped signal reports it back
here). A record whose URL an earlier record of the same
file already had is counted as repeated and skipped (the first copy is kept), so that every
record of the file is counted once in the summary. A file that breaks off (a truncated gzip, a
damaged Parquet page) ends the import with the records read before the break stored and
counted, and the cause kept in `failure` for the command to report.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.dumps.reader import DumpError, entries
from crawler.items import Article, RawArticle
from crawler.pacing import room_in_pipelines
from crawler.record_types import type_errors
from crawler.settings import ITEM_PIPELINES
from crawler.sources import SOURCES

log = logging.getLogger(__name__)

REQUIRED = ("url", "title", "body")
SAMPLES = 100
"""Rejections kept with their line for the summary; past this many only counts per reason are
kept, so that a wrong file of a million lines costs no memory and no screen."""


class Rejections:
    """The records refused, in bounded memory: the first SAMPLES with their origin and reason,
    and a count per reason (the text before the first colon)."""

    def __init__(self) -> None:
        self.first: list[tuple[str, str]] = []
        self.per_reason: Counter[str] = Counter()

    def add(self, origin: str, reason: str) -> None:
        if len(self.first) < SAMPLES:
            self.first.append((origin, reason))
        self.per_reason[reason.split(":")[0]] += 1

    def __len__(self) -> int:
        return sum(self.per_reason.values())

    def lines(self, shown: int = 10) -> list[str]:
        """Every rejection up to SAMPLES of them; past that the first few and a count per
        reason: a wrong file must not bury the summary under thousands of lines."""
        if len(self) <= SAMPLES:
            return [f"  rejected {origin}: {reason}" for origin, reason in self.first]
        return [*(f"  rejected {origin}: {reason}" for origin, reason in self.first[:shown]),
                f"  ... and {len(self) - shown} more rejected; per reason:",
                *(f"  {count} × {reason}" for reason, count in self.per_reason.most_common())]


class RepeatedUrl(DropItem):
    """A record whose canonical URL an earlier record of the same file had."""


class RepeatedUrlPipeline:
    """Import only, between normalise and store: the store keeps one row per canonical URL,
    so a second record of the URL in a file would be counted as unchanged or updated (or
    vanish in its batch). One 8-byte digest per article, about 60 bytes with the set's slot:
    60 MB for a dump of a million articles."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article):
            digest = int.from_bytes(hashlib.blake2b(item.canonical_url.encode(),
                                                    digest_size=8).digest())
            if digest in self.seen:
                raise RepeatedUrl(f"repeated_url: {item.canonical_url}", log_level="DEBUG")
            self.seen.add(digest)
        return item


def raw_from_record(record: dict[str, Any], origin: str) -> RawArticle:
    """What an exported article says, in the form a page parser would have said it."""
    wrong = type_errors(record)
    if wrong:
        raise ValueError(wrong)
    missing = [name for name in REQUIRED if not isinstance(record.get(name), str)
               or not record[name].strip()]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    crawled = record.get("crawled_at")
    crawled_at = datetime.fromisoformat(crawled) if isinstance(crawled, str) else \
        datetime.now(timezone.utc)
    if crawled_at.tzinfo is None:
        crawled_at = crawled_at.replace(tzinfo=timezone.utc)
    source = record.get("source")
    known = SOURCES.get(source) if isinstance(source, str) else None
    return RawArticle(
        url=record["url"], source=known.id if known else None, crawled_at=crawled_at,
        title=record["title"], paragraphs=record["body"].split("\n\n"),
        summary=record.get("summary"), published=record.get("published_at"),
        modified=record.get("modified_at"), authors=list(record.get("authors") or []),
        section=record.get("section"), tags=list(record.get("tags") or []),
        language=record.get("language"), image_url=record.get("image_url"),
        canonical_url=record.get("canonical_url"), credit=record.get("credit"),
        site_name=record.get("source_name"), page_type="article",
        provenance={**(record.get("provenance") or {}), "imported": origin.split(":")[0]},
        paywalled=bool(record.get("paywalled")), editor_note=record.get("editor_note"),
        origin=origin, timezone=known.timezone if known else "UTC")


class ImportSpider(Spider):
    name = "import"
    custom_settings = {"ITEM_PIPELINES": {**ITEM_PIPELINES,
                                          "crawler.importer.RepeatedUrlPipeline": 400},
                       # A dump holds the fields it holds: the coverage rules are for pages of
                       # outlets (crawler/monitors.py). Its articles still meet the schema.
                       "SPIDERMON_FIELD_COVERAGE_RULES": {}}

    def __init__(self, *args: Any, path: Path, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = path
        self.rejected = Rejections()
        self.repeated = 0
        self.failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ImportSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        # The import's summary reports each record the pipelines drop (item_dropped, above);
        # the normaliser's warning line per drop, meant for crawls, would say it again on
        # stderr, once per record of a wrong file.
        logging.getLogger("pipelines.normalize").setLevel(logging.ERROR)
        return spider

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if isinstance(exception, RepeatedUrl):
            self.repeated += 1
        elif isinstance(item, (RawArticle, Article)):
            origin = getattr(item, "origin", None) or item.url
            self.rejected.add(origin, str(exception).split(":")[0])

    async def start(self) -> AsyncIterator[RawArticle]:
        for item in self.records():
            yield item
            await room_in_pipelines(self.crawler)

    def records(self) -> Iterator[RawArticle]:
        try:
            for entry in entries(self.path,
                                 max_line=self.settings.getint("JPNEWS_IMPORT_MAX_LINE")):
                self.crawler.stats.inc_value("jpnews/import/records")
                try:
                    if entry.record is None:
                        raise ValueError(entry.error or "unreadable")
                    yield raw_from_record(entry.record, entry.origin)
                except ValueError as exc:
                    reason = str(exc).splitlines()[0][:200]
                    self.rejected.add(entry.origin, reason)
                    self.crawler.stats.inc_value("jpnews/dropped/invalid_record")
                    log.debug("rejected %s: %s", entry.origin, reason)
        except DumpError as exc:  # what was read before the break goes on to the store
            self.failure = str(exc)
