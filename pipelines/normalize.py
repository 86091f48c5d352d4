"""Normalise pipeline: RawArticle → Article, or a drop counted by reason and logged with its URL."""

from __future__ import annotations

import logging
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.items import RawArticle
from crawler.normalize import Rejected, normalize, refused_links

log = logging.getLogger(__name__)


class NormalizePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, RawArticle):
            return item
        started = time.thread_time()
        try:
            article = normalize(item)
        except Rejected as rejected:
            self.stats.inc_value(f"jpnews/dropped/{rejected.reason}")
            log.warning("dropped %s%s: %s", item.url,
                        f" ({item.origin})" if item.origin else "", rejected)
            # logged above in one line; Scrapy's own drop message would print the whole item
            raise DropItem(f"{rejected.reason}: {item.url}", log_level="DEBUG") from None
        except Exception as exc:  # noqa: BLE001 - a page we cannot normalise is a counted drop
            self.stats.inc_value("jpnews/dropped/normalize_error")
            log.warning("dropped %s: normalize_error: %s: %s", item.url, type(exc).__name__, exc)
            log.debug("normalize error on %s", item.url, exc_info=True)
            raise DropItem(f"normalize_error: {item.url}", log_level="DEBUG") from None
        finally:
            self.stats.inc_value("jpnews/cpu_ms/normalize", (time.thread_time() - started) * 1000)
        for name in refused_links(item):
            self.stats.inc_value(f"jpnews/links_refused/{name}")
            log.warning("%s: %s left out, not an http(s) address: %.200r", item.url, name,
                        getattr(item, name))
        for field, layer in ItemAdapter(article)["provenance"].items():
            self.stats.inc_value(f"jpnews/field/{field}/{layer}")
        self.stats.inc_value("jpnews/articles/normalized")
        return article

