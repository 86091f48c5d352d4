"""SoraNews24 (soranews24.com, WordPress).

Not checked on a real page (none is available offline); WordPress conventions: `h1.entry-title`,
`div.entry-content`, Yoast JSON-LD graph with the Article and its author. The closing
"Source:", "Top image:" and "Insert images:" lines are attributions, not text.
"""

from crawler.parsers.base import ArticlePage, Selectors


class SoraNews2020(ArticlePage):
    selectors = Selectors(
        title=("h1.entry-title", "h1"),
        body=("div.entry-content",),
        published=("time.entry-date[datetime]",),
        authors=(".entry-author a", "a[rel=author]"),
        drop=(".sharedaddy", ".jp-relatedposts", ".wp-caption-text", ".related-posts",
              "//p[starts-with(normalize-space(.), 'Source:')]",
              "//p[starts-with(normalize-space(.), 'Top image:')]",
              "//p[starts-with(normalize-space(.), 'Insert image')]",
              "//p[starts-with(normalize-space(.), '●')]",
              "//p[contains(., 'Read in Japanese')]"),
    )
