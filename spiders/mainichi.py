"""毎日新聞: its flash-news RSS."""

from crawler.sources import MAINICHI
from spiders.base import NewsSpider


class MainichiSpider(NewsSpider):
    name = MAINICHI.id
    source = MAINICHI
