"""NHK World-Japan: its pages are rendered in the browser, so the spider reads the JSON API they
are rendered from: the news list, then one detail answer per article."""

from collections.abc import Iterator

from scrapy import Request
from scrapy.http import Response

from crawler.parsers import nhk_world
from crawler.sources import NHK_WORLD
from spiders.base import NewsSpider


class NhkWorldSpider(NewsSpider):
    name = NHK_WORLD.id
    source = NHK_WORLD

    def parse_feed(self, response: Response) -> Iterator[Request]:
        try:
            items = nhk_world.list_items(response.body)
        except ValueError as exc:
            self._count_failure("bad_json", self.public_url(response), str(exc))
            return
        self.crawler.stats.inc_value("jpnews/discovery/feed_links", len(items))
        for item in items:
            published = nhk_world.epoch_to_iso(item.get("public_at") or item.get("updated_at"))
            yield self._request(nhk_world.DETAIL_URL.format(id=item["id"]), self.parse_article,
                                jpnews_kind="article", found_in="feed",
                                listed_published=published)
