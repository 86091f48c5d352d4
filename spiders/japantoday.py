"""Japan Today: feeds (RSS, Atom, per section) and section listings, JST without offsets."""

from crawler.sources import JAPANTODAY
from spiders.base import NewsSpider


class JapanTodaySpider(NewsSpider):
    name = "japantoday"
    source = JAPANTODAY
