"""読売新聞オンライン: its latest news sitemap."""

from crawler.sources import YOMIURI
from spiders.base import NewsSpider


class YomiuriSpider(NewsSpider):
    name = YOMIURI.id
    source = YOMIURI
