"""Japan Today (japantoday.com, GPlusMedia): article pages and listing pages.

Checked on real markup: the listing rules (article links, `<time datetime="%Y-%m-%d %H:%M"
itemprop="datePublished">` in JST without offset, "Today 06:40 pm JST" text) against the saved
2018-03-19 homepage in the shared corpus. Not checked on real markup (no real article page is
available offline): the article selectors, which follow the site's microdata (`itemprop=headline`,
`articleBody`, `datePublished`) as its listing pages use it; the structured-data and generic layers
carry an article if those selectors miss.
"""

from __future__ import annotations

from crawler.parsers.base import ArticlePage, Selectors


class JapanToday2017(ArticlePage):
    """Layout in use since the 2017 redesign (bootstrap classes, schema.org microdata)."""

    selectors = Selectors(
        title=("article h1[itemprop=headline]", "article h1", "h1"),
        body=("article div[itemprop=articleBody]", "article .article-body", "article .text-large"),
        published=("article time[itemprop=datePublished]", "article time[datetime]"),
        modified=("article time[itemprop=dateModified]",),
        authors=(".article-byline [itemprop=name]", ".article-byline"),
        section=("article a.text-primary.text-uppercase",),
        tags=("article .tags a",),
        image=("article figure img", "article img[itemprop=image]"),
        drop=(".s10r", ".article-share", "figcaption", ".text-gray.text-small"),
    )
