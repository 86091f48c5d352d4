"""The Japan Times (japantimes.co.jp): the 2020 layout and the 2023 redesign.

2020 layout, checked on real markup (the corpus page of 2020-02-18): body `div#jtarticle`, wire
credit `header p.credit` ("JIJI"), `meta name=author` "No Author" on wire copy. 2023 layout: not
checked on a real page (none is available offline); its rules follow the markup public scrapers
of the redesigned site read (`h1.title-article`, `div.article-body`, `div.byline` with
`span.credit`), and the structured-data layers carry the page if they miss.
"""

from crawler.parsers.base import ArticlePage, Selectors


class JapanTimes2020(ArticlePage):
    selectors = Selectors(
        title=("article header h1", "h1"),
        body=("div#jtarticle",),
        published=("article time[pubdate]", "time[datetime]"),
        authors=("article header .author a", "article header p.author"),
        credit=("article header p.credit",),
        drop=(".jt-related-stories", ".note-to-commenters", ".newsletter-signup",
              ".jt-subscribe-box", ".single-sns-area", ".post-keywords"),
    )


class JapanTimes2023(ArticlePage):
    selectors = Selectors(
        title=("h1.title-article", "h1"),
        body=("div.article-body",),
        published=("div.publish-date",),
        authors=("div.byline a", "div.byline .author"),
        credit=("div.byline span.credit",),
        drop=(".jt_content_ad", ".image_body", ".article-image-gallery", ".jt-related-stories"),
        paywall=(".jt-subscribe-box", "#piano-paywall", ".paywall"),
    )
