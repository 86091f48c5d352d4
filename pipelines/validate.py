"""Validation pipeline: each article against the article schema, counted by Spidermon.

Spidermon's pipeline validates the item as `ItemAdapter` renders it, where dates are Python
objects and the dedup internals are bytes; the schema (crawler/article_schema.py) describes the
JSON form users get. So the JSON form is what is validated. An invalid article is still stored:
the counts go to the crawl stats (spidermon/validation/...) for the item validation monitor
(crawler/monitors.py), which is an alarm, not a filter.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

from crawler.items import Article


class ArticleValidationPipeline(ItemValidationPipeline):
    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article):
            super().process_item(item.to_json(), spider)
        return item
