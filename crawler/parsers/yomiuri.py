"""読売新聞オンライン (yomiuri.co.jp).

Checked on real markup (two corpus pages, 2024-10 and 2024-12): every body paragraph is its own
`itemprop=articleBody` (p.par1, p.par2, ...), with captioned figures between them; the bureau
dateline 【ソウル＝…】 opens the text; furigana are <ruby> with <rp> brackets, kept as printed.
JSON-LD isAccessibleForFree marks subscriber articles.
"""

from crawler.parsers.base import ArticlePage, Selectors


class Yomiuri2022(ArticlePage):
    selectors = Selectors(
        title=("article h1", "h1"),
        body=("div.p-main-contents",),
        tags=("div.p-related-tags ul li a",),
        drop=(".p-article-share", ".p-related-tags", ".scrap-modal", ".wp-caption-text"),
    )
