"""Japan Today: feeds (RSS, Atom, per section) and section listings, JST without offsets."""

from crawler.sources import JAPANTODAY
from spiders.base import NewsSpider


class JapanTodaySpider(NewsSpider):
    name = "japantoday"
    source = JAPANTODAY
    field_coverage = {"credit": 0.8}  # wire copy and its own stories alike end in "© ..."
