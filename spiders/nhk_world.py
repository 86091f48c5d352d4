"""NHK World-Japan: its pages are rendered in the browser, so the spider reads the JSON API they
are rendered from: the news list, then one detail answer per article."""

from scrapy.http import Response

from crawler.discovery import Entry
from crawler.parsers import nhk_world
from crawler.sources import NHK_WORLD
from spiders.base import NewsSpider


class NhkWorldSpider(NewsSpider):
    name = NHK_WORLD.id
    source = NHK_WORLD

    def feed_articles(self, response: Response) -> list[Entry]:
        try:
            items = nhk_world.list_items(response.body)
        except ValueError as exc:
            self._count_failure("bad_json", self.public_url(response), str(exc))
            return []
        return [Entry(nhk_world.DETAIL_URL.format(id=item["id"]),
                      published=nhk_world.epoch_to_iso(item.get("public_at")
                                                       or item.get("updated_at")),
                      modified=nhk_world.epoch_to_iso(item.get("updated_at")))
                for item in items]
