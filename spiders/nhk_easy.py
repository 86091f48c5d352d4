"""NHK NEWS WEB EASY: its news list is JSON ({day: [items]}), its articles HTML pages."""

import json

from scrapy.http import Response

from crawler.discovery import Entry
from crawler.sources import NHK_EASY
from spiders.base import NewsSpider

ARTICLE_URL = "https://www3.nhk.or.jp/news/easy/{id}/{id}.html"


class NhkEasySpider(NewsSpider):
    name = NHK_EASY.id
    source = NHK_EASY

    def feed_articles(self, response: Response) -> list[Entry]:
        try:  # the list starts with a byte-order mark
            days = json.loads(response.body.decode("utf-8-sig"))
        except ValueError as exc:
            self._count_failure("bad_json", self.public_url(response), str(exc))
            return []
        items = [item for day in (days if isinstance(days, list) else [days])
                 if isinstance(day, dict) for group in day.values() if isinstance(group, list)
                 for item in group if isinstance(item, dict) and item.get("news_id")]
        return [Entry(ARTICLE_URL.format(id=item["news_id"]), item.get("news_prearranged_time"))
                for item in items]
