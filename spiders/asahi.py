"""朝日新聞: headline RSS and news sitemap."""

from crawler.sources import ASAHI
from spiders.base import NewsSpider


class AsahiSpider(NewsSpider):
    name = ASAHI.id
    source = ASAHI
