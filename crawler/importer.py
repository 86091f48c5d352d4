"""`jpnews import`: articles in the schema's JSON form back through normalise, dedup and store.

A spider with no requests, as for re-parsing: its `start` reads the dump (JSON lines or
Parquet, crawler/dumps/reader.py) and yields one RawArticle per record, so an import goes
through the very pipelines a crawl does (the same identity, the same story clusters) and is
idempotent like a re-crawl. A record that is not valid JSON or lacks the fields of an article
is refused with its line (or row) number, and so is one the pipelines drop (Scrapy's
item_dropped signal reports it back here).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.dumps.reader import entries
from crawler.items import RawArticle
from crawler.sources import SOURCES

log = logging.getLogger(__name__)

REQUIRED = ("url", "title", "body")


def raw_from_record(record: dict[str, Any], origin: str) -> RawArticle:
    """What an exported article says, in the form a page parser would have said it."""
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

    def __init__(self, *args: Any, path: Path, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = path
        self.rejected: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ImportSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.item_dropped, signal=signals.item_dropped)
        return spider

    def item_dropped(self, item: Any, exception: BaseException, **_: Any) -> None:
        if isinstance(item, RawArticle):
            self.rejected.append((item.origin or item.url, str(exception).split(":")[0]))

    async def start(self) -> AsyncIterator[RawArticle]:
        for item in self.records():
            yield item

    def records(self) -> Iterator[RawArticle]:
        for entry in entries(self.path):
            self.crawler.stats.inc_value("jpnews/import/records")
            try:
                if entry.record is None:
                    raise ValueError(entry.error or "unreadable")
                yield raw_from_record(entry.record, entry.origin)
            except ValueError as exc:
                reason = str(exc).splitlines()[0][:200]
                self.rejected.append((entry.origin, reason))
                self.crawler.stats.inc_value("jpnews/dropped/invalid_record")
                log.warning("rejected %s: %s", entry.origin, reason)
