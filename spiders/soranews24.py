"""SoraNews24: its WordPress feed."""

from crawler.sources import SORANEWS24
from spiders.base import NewsSpider


class SoraNews24Spider(NewsSpider):
    name = SORANEWS24.id
    source = SORANEWS24
