"""Dedup pipeline: the text identity of each article (exact fingerprint, MinHash signature, LSH
band keys), computed here in the crawler; the store matches it against the Postgres index in
the batch's own transaction and attaches the article to its story (crawler/storage/stories.py).
"""

from __future__ import annotations

import time
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.fingerprint import identity
from crawler.items import Article


class DedupPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article):
            started = time.thread_time()
            text = identity(item.title, item.body)
            item.text_fingerprint = text.fingerprint
            item.minhash = text.signature
            item.lsh_bands = text.bands
            self.stats.inc_value("jpnews/cpu_ms/dedup", (time.thread_time() - started) * 1000)
        return item
