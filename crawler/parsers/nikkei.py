"""日本経済新聞 (nikkei.com).

Checked on real markup (one article crawled twice, 2025-01-14 and -27): generated class names,
so paragraphs are found as `p[class^=paragraph_]` of the article's content section; profile
boxes and "関連記事" lists sit beside them and are not text. Subscriber leads say
"この記事は有料会員限定" (the paywall container itself is on every page).
"""

from crawler.parsers.base import ArticlePage, Selectors


class Nikkei2023(ArticlePage):
    selectors = Selectors(
        title=("article h1", "h1"),
        body=("section[data-track-article-content] > p",
              "article section p[class^='paragraph_']"),
        drop=("[class^='container_c1tzahnc']",),
        paywall=("//*[contains(text(), '有料会員限定')]",
                 "//*[contains(text(), '登録すると続きをお読みいただけます')]"),
    )
