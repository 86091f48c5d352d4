"""The Japan News by the Yomiuri Shimbun: news sitemap, WordPress feed, sections."""

from crawler.sources import JAPANNEWS
from spiders.base import NewsSpider


class JapanNewsSpider(NewsSpider):
    name = JAPANNEWS.id
    source = JAPANNEWS
