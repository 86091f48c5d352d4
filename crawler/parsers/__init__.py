"""Which parser reads a page: the outlet's, in the version of the page's time, else the generic.

Parsers are versioned by the date they took effect (fundus-style), so a page crawled before a
redesign is read with the rules of its time when it is parsed again from the raw store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from crawler.items import RawArticle
from crawler.parsers import nhk_world
from crawler.parsers.asahi import Asahi2023, AsahiAjw2020
from crawler.parsers.base import ArticlePage
from crawler.parsers.japanforward import JapanForward2023
from crawler.parsers.japannews import JapanNews2022
from crawler.parsers.japantimes import JapanTimes2020, JapanTimes2023
from crawler.parsers.japantoday import JapanToday2017
from crawler.parsers.kyodo import Kyodo2019
from crawler.parsers.mainichi import Mainichi2020
from crawler.parsers.nhk_easy import NhkEasy2019
from crawler.parsers.nikkei import Nikkei2023
from crawler.parsers.nippon_com import NipponCom2020
from crawler.parsers.soranews24 import SoraNews2020
from crawler.parsers.tokyo_np import TokyoNp2020
from crawler.parsers.yomiuri import Yomiuri2022
from crawler.sources import Source, source_for_url

# outlet → [(first day the layout was live, parser)], oldest first. A page is read with the
# newest parser whose day is not after the page's crawl date.
PARSERS: dict[str, list[tuple[date, type[ArticlePage]]]] = {
    "japantoday": [(date(2017, 1, 1), JapanToday2017)],
    "japannews": [(date(2022, 1, 1), JapanNews2022)],
    # The Japan Times was redesigned in 2023 (new section words and templates).
    "japantimes": [(date(2017, 1, 1), JapanTimes2020), (date(2023, 6, 1), JapanTimes2023)],
    "kyodo": [(date(2019, 1, 1), Kyodo2019)],
    "mainichi_en": [(date(2020, 1, 1), Mainichi2020)],
    "asahi_ajw": [(date(2020, 1, 1), AsahiAjw2020)],
    "nippon_com": [(date(2020, 1, 1), NipponCom2020)],
    "soranews24": [(date(2020, 1, 1), SoraNews2020)],
    "japanforward": [(date(2023, 1, 1), JapanForward2023)],
    "yomiuri": [(date(2022, 1, 1), Yomiuri2022)],
    "asahi": [(date(2023, 1, 1), Asahi2023)],
    "mainichi": [(date(2020, 1, 1), Mainichi2020)],
    "nikkei": [(date(2023, 1, 1), Nikkei2023)],
    "tokyo_np": [(date(2020, 1, 1), TokyoNp2020)],
    "nhk_easy": [(date(2019, 1, 1), NhkEasy2019)],
}


# Outlets whose pages are rendered from a JSON API: the API's answer is the page.
JSON_PARSERS: dict[str, Callable[[bytes, datetime], RawArticle]] = {
    "nhk_world": nhk_world.raw_from_detail,
}


def parser_for(source: Source | None, when: datetime) -> type[ArticlePage]:
    """The outlet's parser valid at `when` (the oldest one for earlier pages)."""
    versions = PARSERS.get(source.id, []) if source else []
    if not versions:
        return ArticlePage
    chosen = versions[0][1]
    for valid_from, parser in versions:
        if when.date() >= valid_from:
            chosen = parser
    return chosen


def page_for(url: str, html: str, crawled_at: datetime,
             source: Source | None = None) -> ArticlePage:
    """The page object for a page: the version of its crawl date, unless the page is plainly
    in another version's layout (a saved page whose crawl date is unknown or wrong), which a
    version recognises by finding its body container.

    A page no version recognises is in a layout we have no parser for (Kyodo's 2025 site, a
    redesign not yet met): it is read by the generic page, not by rules written for another
    markup, and marked `layout: unknown` so that crawls count it."""
    source = source or source_for_url(url)
    chosen = parser_for(source, crawled_at)
    page = chosen(url, html, crawled_at, source)
    if source is None or not chosen.selectors.body or page.select(chosen.selectors.body):
        return page
    for _, other in reversed(PARSERS.get(source.id, [])):
        if other is not chosen and other.selectors.body:
            candidate = other(url, html, crawled_at, source)
            candidate.tree = page.tree  # parsed once
            if candidate.select(other.selectors.body):
                return candidate
    generic = ArticlePage(url, html, crawled_at, source)
    generic.tree = page.tree
    generic.provenance["layout"] = UNKNOWN_LAYOUT
    return generic


UNKNOWN_LAYOUT = "unknown"
"""`provenance["layout"]` of a page of an outlet with parsers that none of them recognises."""
