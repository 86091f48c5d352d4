"""Nippon.com (nippon.com/en).

Not checked on a real page (none is available offline). Rules from public scrapers of the site:
body `div.editArea` paragraphs without a class, tags `section.c-detailkeyward a`, author meta
`cXenseParse:author`; Jiji Press items open with a "Tokyo, Nov. 22 (Jiji Press)--" dateline and
close with a "[Copyright The Jiji Press, Ltd.]" line, which is their credit.
"""

from crawler.parsers.base import ArticlePage, Selectors


class NipponCom2020(ArticlePage):
    selectors = Selectors(
        title=("h1.c-title", "h1"),
        body=("div.editArea",),
        tags=("section.c-detailkeyward a",),
        drop=(".c-sns", ".c-related", "figure", ".caption"),
    )
