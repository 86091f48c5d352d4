"""Scrapy feed exports (`scrapy crawl -O articles.jsonl`, FEEDS) in the article schema's JSON form.

Scrapy's own exporters would write an Article field by field and fail on its internal MinHash
bytes; these write `Article.to_json()`, the very lines `jpnews import` reads back.
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from crawler.items import Article


class _ArticleJson:
    def export_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            item = item.to_json()
        return super().export_item(item)  # type: ignore[misc]


class ArticleJsonLinesExporter(_ArticleJson, JsonLinesItemExporter):
    pass


class ArticleJsonExporter(_ArticleJson, JsonItemExporter):
    pass
