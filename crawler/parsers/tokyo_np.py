"""東京新聞 (tokyo-np.co.jp).

Checked on real markup (the corpus page of 2025-01-13, whose charset is declared only after
~5 KB of comments): body `div.block` paragraphs; category-follow and recommendation boxes beside
the text are dropped; JSON-LD authors end in 記者, which the byline splitter removes.
"""

from crawler.parsers.base import ArticlePage, Selectors


class TokyoNp2020(ArticlePage):
    selectors = Selectors(
        title=("h1",),
        body=("div#entry div.block",),
        drop=("p.caption", "p.thumb-caption", "div.cmp-lst016", "div.cmp-misc010",
              ".cmp-sns", "figure"),
        paywall=("//*[contains(text(), '会員限定記事')]",),
    )
