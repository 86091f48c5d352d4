"""毎日新聞 (mainichi.jp) and The Mainichi in English (mainichi.jp/english), one CMS.

Japanese pages, checked on real markup (the corpus page of 2025-01-14): body
`section#articledetail-body`, bylines `a.articletag-author` (JSON-LD names only the company),
dates with a "+0900" offset. English pages: not checked on a real page; same CMS assumed (`.txt`
paragraphs of the older English layout also accepted); wire copy ends "(Kyodo)".
"""

import re

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

    def authors(self) -> list[str]:
        """Translated English stories credit their writer only in the closing
        "(Japanese original by NAME, Bureau)" line."""
        found = super().authors()
        if found:
            return found
        for paragraph in reversed(self.paragraphs()[-3:]):
            match = re.match(r"\(Japanese original by ([^,)]+)", paragraph)
            if match:
                self.provenance["authors"] = "selectors"
                return [name.strip() for name in re.split(r"\s+and\s+", match.group(1))]
        return []
