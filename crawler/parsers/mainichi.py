"""毎日新聞 (mainichi.jp) and The Mainichi in English (mainichi.jp/english), one CMS.

Japanese pages, checked on real markup (the corpus page of 2025-01-14): body
`section#articledetail-body`, bylines `a.articletag-author` (JSON-LD names only the company),
dates with a "+0900" offset. English pages: not checked on a real page; same CMS assumed (`.txt`
paragraphs of the older English layout also accepted); wire copy ends "(Kyodo)".
"""

from crawler.parsers.base import ArticlePage, Selectors


class Mainichi2020(ArticlePage):
    selectors = Selectors(
        title=("#articledetail-title h1", "h1.title-page", "h1"),
        body=("section#articledetail-body", "div.main-text", "div.txt"),
        authors=("a.articletag-author", ".articledetail-head .author"),
        published=(".articledetail-head time[datetime]", "time[datetime]"),
        drop=(".articledetail-nav", ".ad-articlebody", ".sns-wrap", ".mainichi-member"),
        paywall=("//*[contains(text(), 'ここから有料')]",
                 "meta[name='cXenseParse:mai-fee-charging'][content='1']"),
    )
