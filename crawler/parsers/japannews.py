"""The Japan News by the Yomiuri Shimbun (japannews.yomiuri.co.jp, WordPress).

Checked on real markup (the 2024-10 page in the shared corpus): body `div#p-article-block`, whose
`p.byline` and `p.postdate` are not text; the printed byline names the writers, while JSON-LD
(a BlogPosting) names the CMS user, so the byline wins; dates from article:published_time.
"""

from crawler.parsers.base import ArticlePage, Selectors


class JapanNews2022(ArticlePage):
    selectors = Selectors(
        title=("#p-article-block h1", "h1"),
        body=("div#p-article-block",),
        authors=("#p-article-block p.byline",),
        published=("#p-article-block p.postdate",),
        drop=("p.byline", "p.postdate", ".p-article-sns", "#p-article-tag", ".related-article"),
        paywall=("meta[name='cXenseParse:yoj-articletype']:not([content='free'])",),
    )
    prefer_selectors = frozenset({"authors"})
