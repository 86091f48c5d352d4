"""Kyodo News English (english.kyodonews.net).

Not checked on a real page (none is available offline). Rules of the site before its 2025
relaunch, from public scrapers of the same CMS: body `div.article-body`, `p.credit`
("KYODO NEWS - Nov 12, 2024 - 16:42 | Business, All"), JSON-LD dates without an offset (read as
JST). Every article is Kyodo's own wire copy: the credit is KYODO unless the page names another.
"""

from crawler.parsers.base import ArticlePage, Selectors


class Kyodo2019(ArticlePage):
    selectors = Selectors(
        title=("div.article-head h1", "article h1", "h1"),
        body=("div.article-body",),
        published=("p.credit time[datetime]", "p.credit"),
        section=("p.credit a",),
        drop=("div.mainpic", ".related", ".article-sns", "p.credit", ".ad"),
    )

    def credit(self) -> str | None:
        return super().credit() or "KYODO NEWS"
