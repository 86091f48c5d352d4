"""The Asahi Shimbun Asia & Japan Watch: RSS and section listings."""

from crawler.sources import ASAHI_AJW
from spiders.base import NewsSpider


class AsahiAjwSpider(NewsSpider):
    name = ASAHI_AJW.id
    source = ASAHI_AJW
