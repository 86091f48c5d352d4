"""Re-parsing stored raw pages with today's parsers, through the crawl's own pipelines.

A spider with no requests: its `start` reads `raw_pages` (the newest body of each URL) and
yields what the page parsers make of them, so normalisation, deduplication and storage are the
very components a crawl uses. Fixing a parser then repairs history without touching the sites.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from scrapy import Spider

from crawler.items import RawArticle
from crawler.pacing import room_in_pipelines
from crawler.sources import SOURCES
from crawler.storage.articles import page_body
from crawler.storage.db import connect
from spiders.base import read_page

log = logging.getLogger(__name__)

_NEWEST_PAGES = """
SELECT DISTINCT ON (url) url, source, body, body_gz, headers, fetched_at
FROM raw_pages
WHERE (%(source)s::text IS NULL OR source = %(source)s)
  AND (%(since)s::timestamptz IS NULL OR fetched_at >= %(since)s)
ORDER BY url, last_fetched_at DESC
"""


class ReparseSpider(Spider):
    name = "reparse"

    def __init__(self, *args: Any, database_url: str, source: str | None = None,
                 since: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.database_url = database_url
        self.source_id = source
        self.since = since

    async def start(self) -> AsyncIterator[RawArticle]:
        stats = self.crawler.stats
        with connect(self.database_url) as conn, conn.cursor(name="raw_pages") as cursor:
            cursor.itersize = 200  # a server-side cursor: memory stays flat however many pages
            cursor.execute(_NEWEST_PAGES, {"source": self.source_id, "since": self.since})
            for url, source, body, body_gz, headers, fetched_at in cursor:
                stats.inc_value("jpnews/reparse/pages")
                content_type = next((v for k, v in headers.items()
                                     if k.lower() == "content-type"), None)
                raw = read_page(stats, url, page_body(body, body_gz), fetched_at, content_type,
                                SOURCES.get(source or ""))
                if raw is not None:
                    yield raw
                    await room_in_pipelines(self.crawler)
