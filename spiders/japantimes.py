"""The Japan Times: its section feeds."""

from crawler.sources import JAPANTIMES
from spiders.base import NewsSpider


class JapanTimesSpider(NewsSpider):
    name = JAPANTIMES.id
    source = JAPANTIMES
