"""Nippon.com (English): feed and article sitemap."""

from crawler.sources import NIPPON_COM
from spiders.base import NewsSpider


class NipponComSpider(NewsSpider):
    name = NIPPON_COM.id
    source = NIPPON_COM
