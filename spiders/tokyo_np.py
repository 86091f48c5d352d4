"""東京新聞: its news sitemap."""

from crawler.sources import TOKYO_NP
from spiders.base import NewsSpider


class TokyoNpSpider(NewsSpider):
    name = TOKYO_NP.id
    source = TOKYO_NP
