"""日本経済新聞: its news sitemaps."""

from crawler.sources import NIKKEI
from spiders.base import NewsSpider


class NikkeiSpider(NewsSpider):
    name = NIKKEI.id
    source = NIKKEI
