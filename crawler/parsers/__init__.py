"""Which parser reads a page: the outlet's, in the version of the page's time, else the generic.

Parsers are versioned by the date they took effect (fundus-style), so a page crawled before a
redesign is read with the rules of its time when it is parsed again from the raw store.
"""

from __future__ import annotations

from datetime import date, datetime

from crawler.parsers.base import ArticlePage
from crawler.parsers.japantoday import JapanToday2017
from crawler.sources import Source, source_for_url

PARSERS: dict[str, list[tuple[date, type[ArticlePage]]]] = {
    "japantoday": [(date(2017, 1, 1), JapanToday2017)],
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
    source = source or source_for_url(url)
    return parser_for(source, crawled_at)(url, html, crawled_at, source)
