"""Japan Forward (japan-forward.com, WordPress; the Sankei group's English site).

Not checked on a real page (none is available offline); WordPress conventions, a printed
"Author: …" line, and "(Read the article in Japanese.)" links on Sankei translations, which are
not text.
"""

from crawler.parsers.base import ArticlePage, Selectors


class JapanForward2023(ArticlePage):
    selectors = Selectors(
        title=("h1.entry-title", "article h1", "h1"),
        body=("div.entry-content", "div.article-content", "article .content"),
        authors=(".author-name", "a[rel=author]"),
        published=("time[datetime]",),
        drop=(".sharedaddy", ".related-posts", ".wp-caption-text", ".newsletter",
              "//p[starts-with(normalize-space(.), 'Author:')]"),
    )
