"""Kyodo News English: RSS and the news listing."""

from crawler.sources import KYODO
from spiders.base import NewsSpider


class KyodoSpider(NewsSpider):
    name = KYODO.id
    source = KYODO
