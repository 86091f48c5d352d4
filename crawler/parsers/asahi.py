"""朝日新聞 (asahi.com) and its English edition, The Asahi Shimbun AJW (asahi.com/ajw).

朝日新聞, checked on real markup (the corpus page of 2025-01-13): the article's classes are
generated names that change with each build, so the body is found by structure (the block of
paragraphs in <main>), the ad box and the member prompt are dropped by what they say; the
subscriber prompt "この記事は有料記事です" marks a paywalled lead.
AJW: not checked on a real page; rules from its public structure (`div.ArticleText`,
`p.EnArticleName` byline, `p.EnLastUpdated` "March 8, 2025 at 07:30 JST").
"""

from crawler.parsers.base import ArticlePage, Selectors


class Asahi2023(ArticlePage):
    selectors = Selectors(
        title=("main h1", "h1"),
        body=("//main[@id='main']//div[p][not(ancestor::aside)][1]",),
        drop=(".AdMod", ".notPrint", "//p[contains(., '有料会員になると')]",
              "//p[contains(., 'キャンペーン') and contains(., '詳しくはこちら')]"),
        paywall=("//*[contains(text(), 'この記事は有料記事です')]",
                 "//*[contains(text(), '有料会員になると続きをお読みいただけます')]"),
    )


class AsahiAjw2020(ArticlePage):
    selectors = Selectors(
        title=(".ArticleTitle h1", "h1"),
        body=("div.ArticleText",),
        authors=("p.EnArticleName",),
        published=("p.EnLastUpdated",),
        drop=("div.Image", ".Caption", "div.insert_image_full", "ul.Thum", "div.SnsUtilityArea",
              ".PremiumGate"),
        paywall=(".PremiumGate", "p.EnPremium"),
    )
    prefer_selectors = frozenset({"authors"})
