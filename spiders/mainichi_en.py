"""The Mainichi (English): latest-news RSS and listings."""

from crawler.sources import MAINICHI_EN
from spiders.base import NewsSpider


class MainichiEnglishSpider(NewsSpider):
    name = MAINICHI_EN.id
    source = MAINICHI_EN
