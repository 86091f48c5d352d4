"""The outlet registry: one declaration per outlet, read by spiders, parsers and the CLI.

Everything an outlet needs to be discovered is data here, so that a spider module only adds
what cannot be said as data (how a listing marks its article links, for instance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from crawler.incremental import DEFAULT_RECHECK_AGES

JAPANESE_MEDIA = "media-jepang"


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str
    name: str
    language: str
    home: str
    domains: tuple[str, ...]
    group: str = JAPANESE_MEDIA
    timezone: str = "Asia/Tokyo"
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_path: str = r".*"
    """Regex over the URL path that an article URL matches (listings and feeds link to more)."""
    aliases: tuple[str, ...] = ()
    """Other names the outlet signs with (the publisher), which are not bylines."""
    case_insensitive_paths: bool = False
    """The site serves a slug in any letter case, so URLs differing only in case are one page."""
    recheck_after: tuple[timedelta, ...] = DEFAULT_RECHECK_AGES
    """Ages after publication at which a stored article is fetched again, conditionally, to
    catch corrections and updates (crawler/incremental.py); JPNEWS_RECHECK_AFTER overrides."""
    crawl_every: timedelta = timedelta(minutes=15)
    """How often `jpnews crawl --every default` crawls the outlet. Fifteen minutes suits a daily
    or a wire publishing around the clock: a story is in the archive within the quarter hour,
    and a crawl then fetches the feeds and first listing pages, a few dozen requests, about as
    often as a feed reader polls them. Slower outlets say so below; `crawler.health` reads it
    too (a quiet spell shorter than a few intervals is no sign of trouble)."""

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return owns_host(self, parts.hostname or "") and bool(
            re.fullmatch(self.article_path, parts.path))


# Feeds, sitemaps and URL patterns below come from the outlets' public structure as public
# projects (fundus, RSSHub, calibre recipes) use it; none could be fetched from here, so a
# crawl's discovery statistics are the first place to look when an outlet yields nothing.

_JT = "https://japantoday.com"
_JT_SECTIONS = ("national", "crime", "politics", "business", "tech", "sports", "world",
                "entertainment", "features")
_JT_FEATURE_SUBSECTIONS = ("lifestyle", "kuchikomi", "new-products", "health", "food", "travel",
                           "executive-impact", "opinions", "events", "special-promotion")

JAPANTODAY = Source(
    id="japantoday",
    name="Japan Today",
    language="en",
    home=_JT + "/",
    domains=("japantoday.com",),
    feeds=(f"{_JT}/feed", f"{_JT}/feed/atom",
           *(f"{_JT}/category/{s}/feed" for s in _JT_SECTIONS)),
    listings=tuple(f"{_JT}/category/{s}" for s in _JT_SECTIONS),
    # /category/<section>[/<subsection>]/<slug>; section and subsection pages are listings and
    # /feed, /feed/atom are feeds, so those are excluded by name.
    article_path=(r"/category/(?!(?:[a-z-]+/)?(?:{})/?$)(?!.*/feed(?:/atom)?/?$)"
                  r"[a-z0-9-]+(?:/[a-z0-9-]+)?/[A-Za-z0-9%._'-]+/?").format("|".join(
        _JT_SECTIONS + _JT_FEATURE_SUBSECTIONS)),
    aliases=("GPlusMedia",),
    case_insensitive_paths=True,
)

JAPANNEWS = Source(
    id="japannews", name="The Japan News", language="en",
    home="https://japannews.yomiuri.co.jp/", domains=("japannews.yomiuri.co.jp",),
    feeds=("https://japannews.yomiuri.co.jp/feed/",),
    sitemaps=("https://japannews.yomiuri.co.jp/sitemap-news.xml",),
    listings=("https://japannews.yomiuri.co.jp/politics/", "https://japannews.yomiuri.co.jp/society/",
              "https://japannews.yomiuri.co.jp/business/", "https://japannews.yomiuri.co.jp/world/"),
    article_path=r"/(?:[a-z0-9-]+/){1,2}\d{8}-\d{5,7}/?",
    aliases=("The Japan News by The Yomiuri Shimbun", "The Yomiuri Shimbun"),
)

JAPANTIMES = Source(
    id="japantimes", name="The Japan Times", language="en",
    home="https://www.japantimes.co.jp/", domains=("japantimes.co.jp",),
    feeds=("https://www.japantimes.co.jp/feed/", "https://www.japantimes.co.jp/feed/topstories/",
           "https://www.japantimes.co.jp/news/feed/", "https://www.japantimes.co.jp/business/feed/"),
    article_path=(r"/(?:news|business|opinion|life|culture|sports|community|commentary)/"
                  r"\d{4}/\d{2}/\d{2}/(?:[a-z0-9-]+/){1,3}"),
)

KYODO = Source(
    id="kyodo", name="Kyodo News", language="en",
    home="https://english.kyodonews.net/", domains=("english.kyodonews.net",),
    feeds=("https://english.kyodonews.net/rss/all.xml", "https://english.kyodonews.net/rss/news.xml"),
    listings=("https://english.kyodonews.net/news/",),
    # the site before its 2025 relaunch, and after it
    article_path=r"/news/\d{4}/\d{2}/[0-9a-f]{12}-[a-z0-9-]+\.html|/articles/-/\d+",
    aliases=("Kyodo News", "KYODO NEWS"),
    case_insensitive_paths=True,
)

MAINICHI_EN = Source(
    id="mainichi_en", name="The Mainichi", language="en",
    home="https://mainichi.jp/english/", domains=("mainichi.jp",),
    feeds=("https://mainichi.jp/rss/etc/english_latest.rss",),
    listings=("https://mainichi.jp/english/latest/", "https://mainichi.jp/english/japan/"),
    article_path=r"/english/articles/\d{8}/p2[a-z]/\d{2}m/0[a-z]{2}/\d{6}c",
    aliases=("The Mainichi", "Mainichi Japan", "毎日新聞"),
)

ASAHI_AJW = Source(
    id="asahi_ajw", name="The Asahi Shimbun", language="en",
    home="https://www.asahi.com/ajw/", domains=("asahi.com",),
    feeds=("https://www.asahi.com/ajw/rss.rdf",),
    listings=("https://www.asahi.com/ajw/new", "https://www.asahi.com/ajw/national_report",
              "https://www.asahi.com/ajw/politics", "https://www.asahi.com/ajw/business"),
    article_path=r"/ajw/articles/(?:\d{7,8}|AJ\d{12})",
    aliases=("The Asahi Shimbun Asia & Japan Watch", "Asahi Shimbun"),
)

NIPPON_COM = Source(
    id="nippon_com", name="Nippon.com", language="en",
    home="https://www.nippon.com/en/", domains=("nippon.com",),
    feeds=("https://www.nippon.com/en/feed/",),
    sitemaps=("https://www.nippon.com/en/articles.xml",),
    article_path=(r"/en/(?:news/yjj\d{13}|japan-topics/[a-z]\d{5}|in-depth/[a-z]\d{5}|"
                  r"japan-data/h\d{5}|people/[a-z]\d{5}|guide-to-japan/[a-z]{2}\d{6})/"
                  r"(?:[a-z0-9-]+\.html)?"),
    aliases=("nippon.com",),
    # A magazine: a few features a weekday, plus Jiji wire copy that the dailies carry within
    # minutes anyway; an hour loses nothing and spares the site three polls in four.
    crawl_every=timedelta(hours=1),
)

NHK_WORLD_API = "https://api.nhkworld.jp/nwapi/rdnewsweb"
NHK_WORLD = Source(
    id="nhk_world", name="NHK World-Japan", language="en",
    home="https://www3.nhk.or.jp/nhkworld/en/news/", domains=("nhk.or.jp", "nhkworld.jp"),
    # Its pages are rendered in the browser from this JSON API, which the spider reads instead.
    feeds=(f"{NHK_WORLD_API}/v7b/en/outline/list.json",),
    article_path=r"/nhkworld/en/news/\d{8}_[0-9A-Za-z]+/?",
    aliases=("NHK",),
)

SORANEWS24 = Source(
    id="soranews24", name="SoraNews24", language="en",
    home="https://soranews24.com/", domains=("soranews24.com",),
    feeds=("https://soranews24.com/feed/",),
    article_path=r"/\d{4}/\d{2}/\d{2}/[^/]+/?",
    case_insensitive_paths=True,
    # Culture and oddities, a post every hour or so, none of it news that ages by the minute.
    crawl_every=timedelta(minutes=30),
)

JAPANFORWARD = Source(
    id="japanforward", name="Japan Forward", language="en",
    home="https://japan-forward.com/", domains=("japan-forward.com",),
    feeds=("https://japan-forward.com/feed/",),
    listings=("https://japan-forward.com/category/politics-security/",
              "https://japan-forward.com/category/culture/"),
    article_path=r"/(?!(?:category|tag|author|feed|page|newsletter|about|contact)/)[a-z0-9-]+/?",
    aliases=("JAPAN Forward",),
    case_insensitive_paths=True,
    # Opinion and analysis, five to ten pieces a day in Japanese office hours: every two hours
    # still stores each on the day it appears, with an eighth of the requests.
    crawl_every=timedelta(hours=2),
)

YOMIURI = Source(
    id="yomiuri", name="読売新聞", language="ja",
    home="https://www.yomiuri.co.jp/", domains=("yomiuri.co.jp",),
    sitemaps=("https://www.yomiuri.co.jp/sitemap-news-latest.xml",),
    article_path=r"/(?:[a-z0-9_-]+/)+\d{8}-OY[A-Z0-9]{6,8}/?",
    aliases=("読売新聞社",),
)

ASAHI = Source(
    id="asahi", name="朝日新聞", language="ja",
    home="https://www.asahi.com/", domains=("asahi.com",),
    feeds=("https://www.asahi.com/rss/asahi/newsheadlines.rdf",),
    sitemaps=("https://www.asahi.com/sitemap.xml",),
    article_path=r"/articles/[A-Z0-9]{15,24}\.html",
    aliases=("朝日新聞社",),
)

MAINICHI = Source(
    id="mainichi", name="毎日新聞", language="ja",
    home="https://mainichi.jp/", domains=("mainichi.jp",),
    feeds=("https://mainichi.jp/rss/etc/mainichi-flash.rss",),
    article_path=r"/articles/\d{8}/[a-z0-9]{3}/\d{2}m/\d{3}/\d{6}c",
    aliases=("毎日新聞社",),
)

NIKKEI = Source(
    id="nikkei", name="日本経済新聞", language="ja",
    home="https://www.nikkei.com/", domains=("nikkei.com",),
    sitemaps=("https://www.nikkei.com/sitemap.xml",),
    article_path=r"/article/DG[A-Z0-9]{20,30}/?",
    aliases=("日本経済新聞社", "日経"),
)

TOKYO_NP = Source(
    id="tokyo_np", name="東京新聞", language="ja",
    home="https://www.tokyo-np.co.jp/", domains=("tokyo-np.co.jp",),
    sitemaps=("https://www.tokyo-np.co.jp/sitemap.xml",),
    article_path=r"/article/\d+",
)

NHK_EASY = Source(
    id="nhk_easy", name="NHK NEWS WEB EASY", language="ja",
    home="https://www3.nhk.or.jp/news/easy/", domains=("nhk.or.jp",),
    feeds=("https://www3.nhk.or.jp/news/easy/news-list.json",),
    article_path=r"/news/easy/([a-z0-9]+)/\1\.html",
    aliases=("NEWS WEB EASY", "NHK"),
    # A handful of rewritten stories a weekday, released together around midday JST.
    crawl_every=timedelta(hours=3),
)

# Order matters where outlets share a host (mainichi.jp, asahi.com, nhk.or.jp): the first whose
# article pattern matches a URL owns it.
SOURCES: dict[str, Source] = {s.id: s for s in (
    JAPANTODAY, JAPANNEWS, JAPANTIMES, KYODO, MAINICHI_EN, ASAHI_AJW, NIPPON_COM, NHK_WORLD,
    SORANEWS24, JAPANFORWARD, YOMIURI, ASAHI, MAINICHI, NIKKEI, TOKYO_NP, NHK_EASY)}


def owns_host(source: Source, host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in source.domains)


def public_of(url: str, source: Source, base_url: str | None) -> str | None:
    """The outlet URL that `url` stands for: itself on the outlet's host, the outlet's address
    at the same path on its mirror `base_url` (a demo site, a test server, a WARC captured from
    one); None when it is neither, so not a page of the outlet."""
    parts = urlsplit(url)
    if owns_host(source, parts.hostname or ""):
        return url
    if base_url and (url == base_url or url.startswith((base_url + "/", base_url + "?"))):
        home = urlsplit(source.home)
        rest = urlsplit(url[len(base_url):] or "/")
        return urlunsplit((home.scheme, home.netloc, rest.path or "/", rest.query, ""))
    return None


def source_for_url(url: str) -> Source | None:
    """The outlet that publishes `url`, or None for a site we have no declaration for.

    Where outlets share a host (mainichi.jp has the Japanese and the English Mainichi), the
    article pattern decides; a URL that matches none goes to the host's first outlet.
    """
    host = urlsplit(url).hostname or ""
    owners = [s for s in SOURCES.values() if owns_host(s, host)]
    return next((s for s in owners if s.is_article_url(url)), owners[0] if owners else None)


def sources_in(selection: list[str] | None) -> list[Source]:
    """Resolve a CLI selection of outlet ids and group names to outlets (all when empty)."""
    if not selection:
        return list(SOURCES.values())
    chosen: dict[str, Source] = {}
    for name in selection:
        matches = [s for s in SOURCES.values() if name in (s.id, s.group)]
        if not matches:
            raise KeyError(f"unknown outlet or group: {name!r} (see `jpnews sources`)")
        chosen.update((s.id, s) for s in matches)
    return list(chosen.values())
