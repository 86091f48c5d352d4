"""Japan Forward: WordPress feed and category listings."""

from crawler.sources import JAPANFORWARD
from spiders.base import NewsSpider


class JapanForwardSpider(NewsSpider):
    name = JAPANFORWARD.id
    source = JAPANFORWARD
