"""Builds the demo Japan Today site as a dict of path -> page, in the real site's markup.

The demo, the test suite and the benchmark all crawl this site over loopback instead of the real
japantoday.com. Every link is an absolute https://japantoday.com/... URL, as on the real site, so
the bytes never depend on the port the server happens to get; the crawler maps the origin itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from crawler.demo.articles import SAMPLE_ARTICLES, SampleArticle

ORIGIN = "https://japantoday.com"
ASSETS = "https://japantoday-asset.scdn3.secure.raxcdn.com"
TOKYO = ZoneInfo("Asia/Tokyo")
SECTIONS = ("national", "crime", "politics", "business", "tech", "sports", "world",
            "entertainment")
NAV_SECTIONS = (*SECTIONS, "features")
FEATURE_SUBSECTIONS = ("lifestyle", "kuchikomi", "new-products", "health", "food", "travel",
                       "opinions", "events")

HTML_UTF8 = "text/html; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_SIZE = 20
SAMPLE_PER_PAGE = 8

EDITED_SLUG = "bear-sightings-prompt-school-route-changes-in-akita"
"""The standard article whose text differs in edition 2 (one paragraph reworded, modified)."""
_EDITION_2_PARAGRAPH = 2
_EDITION_2_TEXT = (
    "Local hunters said a poor crop of beech nuts and acorns in the mountains this autumn has "
    "pushed bears to look for food much closer to towns. The prefecture has doubled the number of "
    "traps around the town and asked farmers to pick persimmons and chestnuts early."
)
_EDITION_2_MODIFIED_AFTER = timedelta(hours=20)

BAD_PAGES: dict[str, str] = {
    "truncated": "/category/national/city-bus-operator-adds-late-night-routes-in-sendai",
    "empty-body": "/category/national/prefecture-announces-new-disaster-drill-schedule",
    "wrong-charset": "/category/national/sapporo-cafe-owner-brings-european-pastries-to-hokkaido",
    "server-error": "/category/national/government-panel-to-review-summer-time-proposal",
    "slow": "/category/national/ferry-operator-resumes-service-to-remote-islands",
}
"""Kind -> path of the broken pages added by `include_bad_pages=True` (national section only)."""


@dataclass
class Page:
    """One response of the demo server."""

    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    delay: float = 0.0
    """Seconds the server waits before answering (to exercise download timeouts)."""
    last_modified: datetime | None = None
    """Its Last-Modified; None: the site's `now`, when the whole site was built."""
    location: str | None = None
    """The Location of a redirect (status 301, 302, ...): absolute, or a path of the site."""

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Page:
        return cls(b"", status=status, location=location)


@dataclass
class SampleSite:
    """The pages to serve plus the articles they were built from (the truth for tests)."""

    now: datetime
    pages: dict[str, Page]
    articles: list[SampleArticle]
    bad_articles: dict[str, SampleArticle] = field(default_factory=dict)
    """Kind -> what a bad page was built from (see BAD_PAGES); empty without bad pages."""

    def url(self, article: SampleArticle) -> str:
        return article_url(article)

    def published_at(self, article: SampleArticle) -> datetime | None:
        return published_at(article, self.now)

    def modified_at(self, article: SampleArticle) -> datetime | None:
        return modified_at(article, self.now)


# --------------------------------------------------------------------------- public helpers


def article_path(article: SampleArticle) -> str:
    """The path of an article page: /category/<section>/<slug>."""
    return f"/category/{article.section}/{article.slug}"


def article_url(article: SampleArticle) -> str:
    return ORIGIN + article_path(article)


def published_at(article: SampleArticle, now: datetime) -> datetime | None:
    """The publication time the page prints (JST, to the minute); None when it prints none."""
    if article.kind in ("no-date", "not-article"):
        return None
    return _jst(now - article.age)


def modified_at(article: SampleArticle, now: datetime) -> datetime | None:
    """The last-modified time the page prints (JST, to the minute), if it was updated."""
    published = published_at(article, now)
    if published is None or article.modified_after is None:
        return None
    return _jst(published + article.modified_after)


def build_sample_site(now: datetime, *, edition: int = 1, include_bad_pages: bool = False,
                      as_of: datetime | None = None,
                      articles: Sequence[SampleArticle] = SAMPLE_ARTICLES) -> SampleSite:
    """The hand-written sample site; `edition=2` rewords EDITED_SLUG to exercise re-crawls.
    `articles` serves other ones in the same markup (variants of the sample for tests).

    Publication times are `now` minus each article's age; `as_of` serves the site as it was at
    an earlier instant, without the articles published or the updates made after it, so that
    tests can replay a site that grows between crawls.
    """
    _require_aware(now)
    articles = list(articles)
    if as_of is not None:
        articles = [a if (modified_at(a, now) or as_of) <= as_of
                    else dataclasses.replace(a, modified_after=None)
                    for a in articles if (published_at(a, now) or as_of) <= as_of]
    if edition == 2:
        articles = [_edition_2(a) if a.slug == EDITED_SLUG else a for a in articles]
    elif edition != 1:
        raise ValueError(f"unknown edition {edition}")
    bad: list[tuple[_Entry, Page]] = []
    bad_articles: dict[str, SampleArticle] = {}
    builder = _SiteBuilder(now, articles, per_page=SAMPLE_PER_PAGE, latest_n=10,
                           comments_cap=2, comments_for=_sample_comment_count)
    if include_bad_pages:
        bad, bad_articles = builder.bad_pages()
    pages = builder.pages(extra=bad)
    return SampleSite(now=now, pages=pages, articles=articles, bad_articles=bad_articles)


def generate_site(n_articles: int, now: datetime, *, seed: int = 0,
                  per_listing_page: int = 50, copies: int = 0) -> SampleSite:
    """A large site of seeded, invented articles for the benchmark (~60-120 KB per page).

    `copies`: that many of the articles (of the `n_articles`) are the text of an earlier one
    printed again under a title and URL of their own, as a wire story run twice is: what story
    clustering must find, whichever of the two a crawl stores first."""
    _require_aware(now)
    rng = random.Random(seed)
    articles = _generate_articles(n_articles, rng)
    for i in range(min(copies, n_articles // 2)):
        original, slot = articles[i * 2], len(articles) - 1 - i
        articles[slot] = dataclasses.replace(original, slug=f"{original.slug}-wire-{i}",
                                 title=f"{original.title} (wire)", age=articles[slot].age)
    counts = {a.slug: rng.randint(2, 48) for a in articles}
    builder = _SiteBuilder(now, articles, per_page=per_listing_page, latest_n=30,
                           comments_cap=None, comments_for=lambda a: counts[a.slug])
    return SampleSite(now=now, pages=builder.pages(), articles=articles)


# --------------------------------------------------------------------------- dates


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def _jst(dt: datetime) -> datetime:
    return dt.astimezone(TOKYO).replace(second=0, microsecond=0)


_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sep.", "Oct.", "Nov.",
           "Dec.")


def _iso(d: datetime) -> str:
    return d.isoformat()


def _attr(d: datetime) -> str:
    """The <time datetime> form: JST wall time, no offset (as the real site prints it)."""
    return d.strftime("%Y-%m-%d %H:%M")


def _clock(d: datetime) -> str:
    hour = d.hour % 12 or 12
    return f"{hour:02d}:{d.minute:02d} {'am' if d.hour < 12 else 'pm'}"


def _day(d: datetime, now: datetime) -> str:
    text = f"{_MONTHS[d.month - 1]} {d.day}"
    return text if d.year == now.year else f"{text}, {d.year}"


def _rfc822(d: datetime) -> str:
    return format_datetime(d)


# --------------------------------------------------------------------------- markup helpers


def _t(text: str) -> str:
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    return html.escape(text, quote=True)


def _hash(slug: str) -> str:
    return hashlib.sha1(slug.encode("utf-8")).hexdigest()


def _image(slug: str, size: str) -> str:
    h = _hash(slug)
    return f"{ASSETS}/img/store/{h[:2]}/{h[2:4]}/{h[4:40]}/photo/{size}.jpg"


def _label(section: str) -> str:
    return section.replace("-", " ").title()


def _jsonld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return ('<script type="application/ld+json">' + text.replace("</", "<\\/") + "</script>")


def _sample_comment_count(article: SampleArticle) -> int:
    return 2 + int(_hash(article.slug)[:4], 16) % 38


@dataclass
class _Entry:
    """A link target in listings and feeds: an article page or one of the bad pages."""

    url: str
    slug: str
    section: str
    title: str
    summary: str | None
    published: datetime | None
    modified: datetime | None
    authors: tuple[str, ...]
    age: timedelta
    comments: int
    in_feeds: bool


# --------------------------------------------------------------------------- the builder


class _SiteBuilder:
    """Renders every page of one site; the shared chrome is rendered once and reused."""

    def __init__(self, now: datetime, articles: list[SampleArticle], *, per_page: int,
                 latest_n: int, comments_cap: int | None,
                 comments_for: Callable[[SampleArticle], int]) -> None:
        if per_page < 1:
            raise ValueError("per_page must be positive")
        self.now = now
        self.now_jst = _jst(now)
        self.articles = articles
        self.per_page = per_page
        self.comments_cap = comments_cap
        self.comments_for = comments_for
        self.entries = [self._entry(a) for a in articles]
        self.linkable = sorted((e for e, a in zip(self.entries, articles, strict=True)
                                if a.kind not in ("no-date", "not-article")),
                               key=lambda e: e.age)
        popular = sorted(self.linkable, key=lambda e: (-e.comments, e.slug))[:5]
        self.chrome = _Chrome.build(self.now_jst.year, popular, self.linkable[:latest_n])
        by_section: dict[str, list[_Entry]] = {}
        for e in self.linkable:
            by_section.setdefault(e.section, []).append(e)
        self.by_section = by_section

    def _entry(self, a: SampleArticle) -> _Entry:
        return _Entry(url=article_url(a), slug=a.slug, section=a.section, title=a.title,
                      summary=a.summary, published=published_at(a, self.now),
                      modified=modified_at(a, self.now), authors=a.authors, age=a.age,
                      comments=self.comments_for(a),
                      in_feeds=a.kind not in ("no-date", "not-article"))

    def related(self, a: SampleArticle) -> list[_Entry]:
        pool = [e for e in self.by_section.get(a.section, []) if e.slug != a.slug]
        if len(pool) < 3:
            pool += [e for e in self.linkable if e.slug != a.slug and e not in pool]
        start = int(_hash(a.slug)[:6], 16) % max(1, len(pool) - 2) if len(pool) > 3 else 0
        return pool[start:start + 3]

    # -- pages ------------------------------------------------------------------------------

    def pages(self, extra: Sequence[tuple[_Entry, Page]] = ()) -> dict[str, Page]:
        pages: dict[str, Page] = {"/robots.txt": Page(
            b"User-agent: *\nDisallow: /search\nDisallow: /login\n",
            content_type="text/plain; charset=utf-8")}
        for a, e in zip(self.articles, self.entries, strict=True):
            pages[article_path(a)] = self.article_page(a, e)
        extra_entries = [e for e, _ in extra]
        for e, page in extra:
            pages[e.url.removeprefix(ORIGIN)] = page
        for section in NAV_SECTIONS:
            own = sorted((e for e in self.entries if e.section == section), key=lambda e: e.age)
            bad = [e for e in extra_entries if e.section == section]
            entries = sorted(own + bad, key=lambda e: e.age)
            pages.update(self.listing_pages(section, entries))
            feed_items = sorted([e for e in own if e.in_feeds][:FEED_SIZE] + bad,
                                key=lambda e: e.age)
            pages[f"/category/{section}/feed"] = Page(
                _rss(feed_items, f"{ORIGIN}/category/{section}/feed",
                     f"Japan Today - {_label(section)}", self.now_jst).encode(),
                content_type=RSS_TYPE)
        latest = [e for e in self.entries if e.in_feeds]
        latest.sort(key=lambda e: e.age)
        latest = latest[:FEED_SIZE]
        pages["/feed"] = Page(_rss(latest, f"{ORIGIN}/feed", "Japan Today", self.now_jst).encode(),
                              content_type=RSS_TYPE)
        pages["/feed/atom"] = Page(_atom(latest, self.now_jst).encode(), content_type=ATOM_TYPE)
        pages["/"] = Page(self.home_page().encode())
        return pages

    def article_page(self, a: SampleArticle, e: _Entry) -> Page:
        if a.kind == "redesign":
            return Page(_redesign_page(a, e, self.related(a), self.now_jst).encode())
        if a.kind == "not-article":
            return Page(self._not_article(a).encode())
        text = self.article_html(a, e, charset="Shift_JIS" if a.kind == "shift_jis" else "utf-8")
        if a.kind == "shift_jis":
            body = text.replace("©", "&copy;").encode("shift_jis", errors="xmlcharrefreplace")
            return Page(body, content_type="text/html")
        return Page(text.encode())

    def article_html(self, a: SampleArticle, e: _Entry, *, charset: str = "utf-8",
                     comments: int | None = None) -> str:
        """A Japan Today article page: standard, no-jsonld, no-date and shift_jis variants."""
        url = e.url
        label = _label(a.section)
        image = _image(a.slug, "_w850")
        dated = e.published is not None
        head = [
            f'<meta charset="{charset}">',
            f"<title>{_t(a.title)} - Japan Today</title>",
            f'<link rel="canonical" href="{_a(url)}">',
        ]
        if a.summary:
            head.append(f'<meta name="description" content="{_a(a.summary)}">')
        head += [
            '<meta property="og:site_name" content="Japan Today">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{_a(a.title)}">',
        ]
        if a.summary:
            head.append(f'<meta property="og:description" content="{_a(a.summary)}">')
        head += [
            f'<meta property="og:url" content="{_a(url)}">',
            f'<meta property="og:image" content="{_a(image)}">',
            '<meta name="twitter:card" content="summary_large_image">',
            '<meta name="twitter:site" content="@JapanToday">',
        ]
        if e.published is not None:
            head.append(f'<meta property="article:published_time" '
                        f'content="{_iso(e.published)}">')
        if e.modified is not None:
            head.append(f'<meta property="article:modified_time" content="{_iso(e.modified)}">')
        head.append(f'<meta property="article:section" content="{_a(label)}">')
        head += [f'<meta property="article:tag" content="{_a(t)}">' for t in a.tags]
        if a.kind != "no-jsonld":
            ld: dict = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "mainEntityOfPage": url,
                "headline": a.title,
            }
            if a.summary:
                ld["description"] = a.summary
            ld["image"] = [image]
            if e.published is not None:
                ld["datePublished"] = _iso(e.published)
            if e.modified is not None:
                ld["dateModified"] = _iso(e.modified)
            ld["author"] = ([{"@type": "Person", "name": n} for n in a.authors] if a.authors
                            else {"@type": "Organization", "name": "Japan Today"})
            ld["publisher"] = _PUBLISHER
            ld["articleSection"] = label
            ld["keywords"] = list(a.tags)
            head.append(_jsonld(ld))
        head.append(_analytics_stub(a.section, "article", a.slug))
        head.append(self.chrome.head_assets)

        meta_line = []
        if dated:
            assert e.published is not None
            meta_line.append(f'<time datetime="{_attr(e.published)}" itemprop="datePublished">'
                             f"{_day(e.published, self.now_jst)} {_clock(e.published)} JST</time>")
            if e.modified is not None:
                meta_line.append(
                    f'<span class="text-color sep"></span> <time datetime="{_attr(e.modified)}" '
                    f'itemprop="dateModified">Updated {_day(e.modified, self.now_jst)} '
                    f"{_clock(e.modified)} JST</time>")
        meta_line.append(f'<a class="text-gray" href="#comments"><span class="text-primary" '
                         f'itemprop="commentCount">{e.comments}</span> Comments</a>')
        byline = ""
        if a.authors:
            names = " and ".join(
                '<span itemprop="author" itemscope itemtype="http://schema.org/Person">'
                f'<span itemprop="name">{_t(n)}</span></span>' for n in a.authors)
            byline = f'<p class="article-byline">By {names}</p>\n'
        caption = (f'<figcaption class="text-small text-gray">{_t(a.caption)}</figcaption>'
                   if a.caption else "")
        figure = (f'<figure class="article-figure"><img itemprop="image" class="img-responsive" '
                  f'src="{_a(image)}" alt="">{caption}</figure>\n')
        body = _article_body(a)
        n_comments = e.comments if comments is None else comments
        shown = n_comments if self.comments_cap is None else min(n_comments, self.comments_cap)
        parts = [
            '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n', "\n".join(head),
            '\n</head>\n<body class="page-article">\n', self.chrome.header,
            '<div class="container wrapper-lg">\n<div class="row">\n<div class="col-md-9">\n',
            '<article class="article-full" itemscope itemtype="http://schema.org/NewsArticle">\n',
            f'<a class="text-primary text-uppercase text-small text-strong" '
            f'href="{ORIGIN}/category/{a.section}">{_t(label)}</a>\n',
            f'<h1 class="text-xstrong mt-5" itemprop="headline">{_t(a.title)}</h1>\n',
            '<div class="text-strong text-xsmall text-gray">\n', "\n".join(meta_line), "\n</div>\n",
            byline, figure,
            '<div class="text-large" itemprop="articleBody">\n', body, "</div>\n",
            _share(url, a.title),
            '<p class="text-small text-gray">Join the discussion: '
            f'<a href="{ORIGIN}/login">Login</a> or <a href="{ORIGIN}/register">Register</a> '
            "to comment.</p>\n</article>\n",
            _related_section(self.related(a)),
            _comments_section(a.slug, n_comments, shown),
            '</div>\n<div class="col-md-3">\n', self.chrome.sidebar, "</div>\n</div>\n</div>\n",
            self.chrome.footer, self.chrome.tail_scripts, "</body>\n</html>\n",
        ]
        return "".join(parts)

    def _not_article(self, a: SampleArticle) -> str:
        url = article_url(a)
        intro, *items, closing = a.paragraphs
        ld = {"@context": "https://schema.org", "@type": "WebPage", "name": a.title, "url": url}
        head = "\n".join([
            '<meta charset="utf-8">',
            f"<title>{_t(a.title)} - Japan Today</title>",
            f'<link rel="canonical" href="{_a(url)}">',
            f'<meta name="description" content="{_a(a.summary)}">',
            '<meta property="og:site_name" content="Japan Today">',
            '<meta property="og:type" content="website">',
            f'<meta property="og:title" content="{_a(a.title)}">',
            f'<meta property="og:url" content="{_a(url)}">',
            _jsonld(ld),
            _analytics_stub(a.section, "page", a.slug),
            self.chrome.head_assets,
        ])
        lis = "".join(f"<li>{_t(i)}</li>\n" for i in items)
        return "".join([
            '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n', head,
            '\n</head>\n<body class="page-static">\n', self.chrome.header,
            '<div class="container wrapper-lg">\n<div class="row">\n<div class="col-md-9">\n',
            '<div class="page-content">\n',
            f'<h1 class="text-xstrong mt-5">{_t(a.title)}</h1>\n',
            f"<p>{_t(intro)}</p>\n<ul class=\"guidelines\">\n{lis}</ul>\n<p>{_t(closing)}</p>\n",
            "</div>\n</div>\n<div class=\"col-md-3\">\n", self.chrome.sidebar,
            "</div>\n</div>\n</div>\n", self.chrome.footer, self.chrome.tail_scripts,
            "</body>\n</html>\n",
        ])

    def listing_pages(self, section: str, entries: list[_Entry]) -> dict[str, Page]:
        base = f"/category/{section}"
        n_pages = max(1, -(-len(entries) // self.per_page))
        out: dict[str, Page] = {}
        for number in range(1, n_pages + 1):
            chunk = entries[(number - 1) * self.per_page:number * self.per_page]
            path = base if number == 1 else f"{base}?page={number}"
            nav = []
            if number > 1:
                prev = base if number == 2 else f"{base}?page={number - 1}"
                nav.append(f'<li><a rel="prev" href="{ORIGIN}{_a(prev)}">Previous</a></li>')
            if number < n_pages:
                nav.append(f'<li><a rel="next" href="{ORIGIN}{base}?page={number + 1}">Next</a>'
                           "</li>")
            items = "".join(_media(e, self.now_jst) for e in chunk) or (
                '<p class="text-gray">There are no articles in this section yet.</p>\n')
            content = (f'<h1 class="section-title text-xstrong">{_t(_label(section))}</h1>\n'
                       f'<div class="media-list">\n{items}</div>\n'
                       f'<ul class="pagination">{"".join(nav)}</ul>\n')
            out[path] = Page(self._shell(
                f"{_label(section)} - Japan Today", ORIGIN + path, content, section,
                f"The latest {_label(section).lower()} news from Japan.").encode())
        return out

    def home_page(self) -> str:
        latest = "".join(_media(e, self.now_jst) for e in self.linkable[:20])
        blocks = []
        for section in SECTIONS:
            items = self.by_section.get(section, [])[:4]
            if items:
                blocks.append(
                    f'<section class="home-section"><h2 class="section-title">'
                    f'<a href="{ORIGIN}/category/{section}">{_t(_label(section))}</a></h2>\n'
                    + "".join(_media(e, self.now_jst) for e in items) + "</section>\n")
        content = ('<h2 class="section-title">Latest News</h2>\n<div class="media-list">\n'
                   f"{latest}</div>\n{''.join(blocks)}")
        return self._shell("Japan Today: Japan News and Discussion", ORIGIN + "/", content,
                           "home", "Japan Today: English news and discussion about Japan.")

    def _shell(self, title: str, url: str, content: str, section: str, description: str) -> str:
        head = "\n".join([
            '<meta charset="utf-8">',
            f"<title>{_t(title)}</title>",
            f'<link rel="canonical" href="{_a(url)}">',
            f'<meta name="description" content="{_a(description)}">',
            '<meta property="og:site_name" content="Japan Today">',
            '<meta property="og:type" content="website">',
            f'<meta property="og:title" content="{_a(title)}">',
            f'<meta property="og:url" content="{_a(url)}">',
            f'<link rel="alternate" type="application/rss+xml" title="Japan Today" '
            f'href="{ORIGIN}/feed">',
            _analytics_stub(section, "listing", section),
            self.chrome.head_assets,
        ])
        return "".join([
            '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n', head,
            '\n</head>\n<body class="page-category">\n', self.chrome.header,
            '<div class="container wrapper-lg">\n<div class="row">\n<div class="col-md-9">\n',
            content, '</div>\n<div class="col-md-3">\n', self.chrome.sidebar,
            "</div>\n</div>\n</div>\n", self.chrome.footer, self.chrome.tail_scripts,
            "</body>\n</html>\n",
        ])

    # -- bad pages --------------------------------------------------------------------------

    def bad_pages(self) -> tuple[list[tuple[_Entry, Page]], dict[str, SampleArticle]]:
        """The broken national pages: listed in the national listing and feed only."""
        out: list[tuple[_Entry, Page]] = []
        for kind, article in _BAD_ARTICLES.items():
            assert article_path(article) == BAD_PAGES[kind]
            e = self._entry(article)
            if kind == "empty-body":
                e = dataclasses.replace(e, comments=0)
            if kind == "truncated":
                text = self.article_html(article, e)
                start = text.index('itemprop="articleBody"')
                third = text.index(article.paragraphs[2], start)
                page = Page(text[:third + len(article.paragraphs[2]) // 2].encode())
            elif kind == "empty-body":
                page = Page(self.article_html(article, e, comments=0).encode())
            elif kind == "wrong-charset":
                page = Page(self.article_html(article, e).encode("cp1252"))
            elif kind == "server-error":
                page = Page(_ERROR_500, status=500)
            else:
                page = Page(self.article_html(article, e).encode(), delay=30.0)
            out.append((e, page))
        return out, dict(_BAD_ARTICLES)


def _edition_2(a: SampleArticle) -> SampleArticle:
    paragraphs = list(a.paragraphs)
    paragraphs[_EDITION_2_PARAGRAPH] = _EDITION_2_TEXT
    return dataclasses.replace(a, paragraphs=tuple(paragraphs),
                               modified_after=_EDITION_2_MODIFIED_AFTER)


_PUBLISHER = {
    "@type": "Organization",
    "name": "Japan Today",
    "logo": {"@type": "ImageObject", "url": f"{ASSETS}/img/logo/japantoday-logo-600x60.png",
             "width": 600, "height": 60},
}

_ERROR_500 = (b"<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n"
              b"<body><h1>Internal Server Error</h1><p>The server encountered an error and could "
              b"not complete your request.</p></body></html>\n")


def _article_body(a: SampleArticle) -> str:
    out = []
    for i, p in enumerate(a.paragraphs, 1):
        out.append(f"<p>{_t(p)}</p>\n")
        if i in (2, 6) and i < len(a.paragraphs):
            out.append(_ad_in_article(a.slug, i))
    if a.editor_note:
        out.append(f"<p>{_t(a.editor_note)}</p>\n")
    if a.credit:
        out.append(f"<p>{_t(a.credit)}</p>\n")
    return "".join(out)


def _ad_in_article(slug: str, position: int) -> str:
    h = _hash(slug)
    return (f'<div class="s10r ad-in-article" data-id="{h[:8]}-{position}">'
            '<span class="text-xsmall">Advertisement</span>'
            f'<a href="https://go.example.com/ad?slot=in-article-{position}&amp;c={h[8:14]}" '
            'rel="nofollow sponsored" target="_blank">'
            f'<img src="{ASSETS}/img/ads/house/{h[14:22]}_728x90.jpg" width="728" height="90" '
            'alt=""></a></div>\n')


def _share(url: str, title: str) -> str:
    u = quote(url, safe="")
    t = quote(title, safe="")
    return ('<div class="article-share">'
            f'<a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={u}" '
            'target="_blank" rel="noopener">Share on Facebook</a> '
            f'<a class="share-tw" href="https://twitter.com/intent/tweet?url={u}&amp;text={t}'
            '&amp;via=JapanToday" target="_blank" rel="noopener">Tweet</a> '
            f'<a class="share-mail" href="mailto:?subject={t}&amp;body={u}">Email</a>'
            "</div>\n")


def _related_section(related: Iterable[_Entry]) -> str:
    items = "".join(f'<li><a href="{_a(e.url)}">{_t(e.title)}</a></li>' for e in related)
    return (f'<section class="related-articles"><h4 class="section-title">Related Coverage</h4>'
            f"<ul>{items}</ul></section>\n")


def _media(e: _Entry, now_jst: datetime) -> str:
    """One listing item in the 2018 markup of the real site's listings and homepage."""
    url = _a(e.url)
    title = _a(e.title)
    when = ""
    if e.published is not None:
        d = e.published
        if d.date() == now_jst.date():
            shown = (f'Today <span class="text-color sep"></span> {_clock(d)} JST '
                     '<span class="text-color sep"></span>')
        else:
            shown = _day(d, now_jst)
        when = f'<time datetime="{_attr(d)}" itemprop="datePublished">{shown}</time>\n'
    return (
        '<div class="media">\n'
        f'<a href="{url}" title="{title}"><img class="img-responsive" '
        f'src="{_a(_image(e.slug, "_w270_h190_cv25"))}" alt=""></a>\n'
        '<div class="text-strong text-xsmall text-primary">\n'
        f'{when}<a class="text-gray" href="{url}#comments"><span class="text-primary" '
        f'itemprop="commentCount">{e.comments}</span> Comments</a>\n'
        "</div>\n"
        f'<h3 class="text-xstrong mt-5"><a href="{url}" title="{title}">{_t(e.title)}</a></h3>\n'
        "</div>\n")


def _rss(entries: Sequence[_Entry], self_url: str, title: str, now_jst: datetime) -> str:
    items = []
    for e in entries:
        assert e.published is not None
        desc = f"<description>{_t(e.summary)}</description>" if e.summary else ""
        creator = "".join(f"<dc:creator>{_t(n)}</dc:creator>" for n in e.authors)
        items.append(
            f"<item><title>{_t(e.title)}</title><link>{_t(e.url)}</link>"
            f'<guid isPermaLink="true">{_t(e.url)}</guid>{desc}'
            f"<pubDate>{_rfc822(e.published)}</pubDate>"
            f"<category>{_t(_label(e.section))}</category>{creator}</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
            f"<title>{_t(title)}</title>\n<link>{ORIGIN}/</link>\n"
            "<description>English-language news and discussion about Japan.</description>\n"
            f"<language>en</language>\n<lastBuildDate>{_rfc822(now_jst)}</lastBuildDate>\n"
            f'<atom:link href="{_a(self_url)}" rel="self" type="application/rss+xml"/>\n'
            + "\n".join(items) + "\n</channel>\n</rss>\n")


def _atom(entries: Sequence[_Entry], now_jst: datetime) -> str:
    out = []
    for e in entries:
        assert e.published is not None
        authors = e.authors or ("Japan Today",)
        summary = f"<summary>{_t(e.summary)}</summary>" if e.summary else ""
        out.append(
            f"<entry><title>{_t(e.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{_a(e.url)}"/>'
            f"<id>{_t(e.url)}</id><published>{_iso(e.published)}</published>"
            f"<updated>{_iso(e.modified or e.published)}</updated>{summary}"
            f'<category term="{_a(_label(e.section))}"/>'
            + "".join(f"<author><name>{_t(n)}</name></author>" for n in authors)
            + "</entry>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>Japan Today</title>\n<id>{ORIGIN}/</id>\n"
            f'<link rel="alternate" type="text/html" href="{ORIGIN}/"/>\n'
            f'<link rel="self" type="application/atom+xml" href="{ORIGIN}/feed/atom"/>\n'
            f"<updated>{_iso(now_jst)}</updated>\n" + "\n".join(out) + "\n</feed>\n")


# --------------------------------------------------------------------------- the redesign


def _redesign_page(a: SampleArticle, e: _Entry, related: Iterable[_Entry], now_jst: datetime,
                   ) -> str:
    """A layout no parser knows: JSON-LD (no articleBody) and OpenGraph, plain <p> body."""
    url = e.url
    image = _image(a.slug, "_w1200")
    label = _label(a.section)
    ld: dict = {"@context": "https://schema.org", "@type": "NewsArticle",
                "mainEntityOfPage": {"@type": "WebPage", "@id": url}, "headline": a.title,
                "description": a.summary, "image": {"@type": "ImageObject", "url": image}}
    if e.published is not None:
        ld["datePublished"] = _iso(e.published)
    if e.modified is not None:
        ld["dateModified"] = _iso(e.modified)
    ld["author"] = ([{"@type": "Person", "name": n} for n in a.authors] if a.authors
                    else [{"@type": "Organization", "name": "Japan Today", "url": ORIGIN + "/"}])
    ld["publisher"] = _PUBLISHER
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_t(a.title)} | Japan Today</title>",
        f'<link rel="canonical" href="{_a(url)}">',
        f'<meta name="description" content="{_a(a.summary)}">',
        '<meta property="og:site_name" content="Japan Today">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_a(a.title)}">',
        f'<meta property="og:description" content="{_a(a.summary)}">',
        f'<meta property="og:url" content="{_a(url)}">',
        f'<meta property="og:image" content="{_a(image)}">',
    ]
    if e.published is not None:
        head.append(f'<meta property="article:published_time" content="{_iso(e.published)}">')
    if e.modified is not None:
        head.append(f'<meta property="article:modified_time" content="{_iso(e.modified)}">')
    head.append(f'<meta property="article:section" content="{_a(label)}">')
    head += [f'<meta property="article:tag" content="{_a(t)}">' for t in a.tags]
    head += [
        _jsonld(ld),
        f'<link rel="stylesheet" href="{ASSETS}/v2/build/app.3f9c2e.css">',
        f'<script defer src="{ASSETS}/v2/build/app.3f9c2e.js"></script>',
        '<script>window.__STORY__ = {"id": "' + _hash(a.slug)[:10] + '", "layout": "v2"};'
        "</script>",
    ]
    nav = "".join(f'<li><a href="{ORIGIN}/category/{s}">{_t(_label(s))}</a></li>'
                  for s in NAV_SECTIONS)
    body = "".join(f"<p>{_t(p)}</p>\n" for p in a.paragraphs)
    if a.editor_note:
        body += f"<p>{_t(a.editor_note)}</p>\n"
    if a.credit:
        body += f"<p>{_t(a.credit)}</p>\n"
    u = quote(url, safe="")
    rel = "".join(f'<li><a href="{_a(r.url)}">{_t(r.title)}</a></li>' for r in related)
    caption = f"<figcaption>{_t(a.caption)}</figcaption>" if a.caption else ""
    return "".join([
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n', "\n".join(head), "\n</head>\n<body>\n",
        '<nav class="site-nav-v2"><a class="site-nav-v2__brand" href="', ORIGIN, '/">Japan Today'
        '</a><ul class="site-nav-v2__menu">', nav, '</ul><a class="site-nav-v2__login" href="',
        ORIGIN, '/login">Sign in</a></nav>\n<main>\n',
        '<div class="story-v2__header"><a class="story-v2__kicker" href="', ORIGIN,
        f'/category/{a.section}">{_t(label)}</a>\n<h1 class="story-v2__title">{_t(a.title)}</h1>'
        "</div>\n",
        '<div class="story-v2__share"><a href="https://www.facebook.com/sharer/sharer.php?u=', u,
        '">Share</a> <a href="https://twitter.com/intent/tweet?url=', u, '">Post</a></div>\n',
        f'<figure class="story-v2__media"><img src="{_a(image)}" alt="">{caption}</figure>\n',
        f'<div class="story-v2__content">\n{body}</div>\n',
        f'<aside class="story-v2__related"><h2>Read next</h2><ul>{rel}</ul></aside>\n',
        '</main>\n<footer class="site-footer-v2"><ul><li><a href="', ORIGIN, '/about">About</a>'
        '</li><li><a href="', ORIGIN, '/privacy">Privacy</a></li><li><a href="', ORIGIN,
        f'/contact">Contact</a></li></ul><p>&copy;{now_jst.year} GPlusMedia Inc.</p></footer>\n',
        "</body>\n</html>\n",
    ])


# --------------------------------------------------------------------------- chrome


def _analytics_stub(section: str, page_type: str, page_id: str) -> str:
    data = json.dumps({"section": section, "pageType": page_type,
                       "pageId": _hash(page_id)[:12]}, separators=(",", ":"))
    return ("<script>/* analytics stub */ window.dataLayer = window.dataLayer || []; "
            f"window.dataLayer.push({data});</script>")


@dataclass
class _Chrome:
    """Page parts shared by every page of a site (header, sidebar, footer, assets)."""

    head_assets: str
    header: str
    sidebar: str
    footer: str
    tail_scripts: str

    @classmethod
    def build(cls, year: int, popular: Sequence[_Entry], latest: Sequence[_Entry]) -> _Chrome:
        return cls(head_assets=_HEAD_ASSETS, header=_HEADER, sidebar=_sidebar(popular, latest),
                   footer=_footer(year), tail_scripts=_TAIL_SCRIPTS)


def _sidebar(popular: Sequence[_Entry], latest: Sequence[_Entry]) -> str:
    pop = "".join(
        f'<li class="media"><span class="popular-rank">{i}</span>'
        f'<a href="{_a(e.url)}" title="{_a(e.title)}">{_t(e.title)}</a></li>\n'
        for i, e in enumerate(popular, 1))
    lat = "".join(
        '<div class="media media-sm">'
        f'<a class="media-left" href="{_a(e.url)}"><img class="img-responsive lazy" '
        f'data-src="{_a(_image(e.slug, "_w120_h90_cv25"))}" width="120" height="90" alt=""></a>'
        f'<div class="media-body"><a class="text-xsmall text-primary" '
        f'href="{ORIGIN}/category/{e.section}">{_t(_label(e.section))}</a>'
        f'<h5 class="text-xstrong"><a href="{_a(e.url)}">{_t(e.title)}</a></h5>'
        f'<a class="text-gray text-xsmall" href="{_a(e.url)}#comments">{e.comments} Comments'
        "</a></div></div>\n"
        for e in latest)
    return ('<aside class="sidebar">\n'
            '<div class="ad ad-sidebar" data-slot="sidebar-top" style="min-height:250px"></div>\n'
            '<section class="sidebar-popular"><h4 class="section-title">Popular</h4>\n'
            f'<ol class="list-unstyled">\n{pop}</ol></section>\n'
            '<div class="ad ad-sidebar" data-slot="sidebar-mid" style="min-height:600px"></div>\n'
            '<section class="sidebar-latest"><h4 class="section-title">Latest</h4>\n'
            f"{lat}</section>\n"
            + _PROMOS
            + '<section class="sidebar-newsletter"><h4 class="section-title">Newsletter</h4>'
            "<p>Get the day's top stories from Japan delivered to your inbox every morning.</p>"
            f'<form action="{ORIGIN}/newsletter" method="post"><input type="email" name="email" '
            'placeholder="Your email address" required><button type="submit" class="btn '
            'btn-primary">Subscribe</button></form></section>\n</aside>\n')


def _footer(year: int) -> str:
    cols = []
    for heading, links in _FOOTER_LINKS:
        lis = "".join(f'<li><a href="{ORIGIN}{path}">{_t(text)}</a></li>' for text, path in links)
        cols.append(f'<div class="col-sm-3"><h5 class="text-strong">{_t(heading)}</h5>'
                    f'<ul class="list-unstyled">{lis}</ul></div>')
    return ('<footer class="footer">\n<div class="container">\n<div class="row">'
            + "".join(cols) + "</div>\n"
            '<ul class="list-inline footer-social">'
            '<li><a href="https://www.facebook.com/JapanToday" rel="noopener">Facebook</a></li>'
            '<li><a href="https://twitter.com/JapanToday" rel="noopener">Twitter</a></li>'
            '<li><a href="https://www.instagram.com/japantoday" rel="noopener">Instagram</a></li>'
            f'<li><a href="{ORIGIN}/feed">RSS</a></li></ul>\n'
            f'<p class="text-xsmall text-gray"><span>©{year}</span> '
            '<a href="https://gplusmedia.com">GPlusMedia Inc.</a> All rights reserved.</p>\n'
            "</div>\n</footer>\n")


_FOOTER_LINKS = (
    ("News", tuple((_label(s), f"/category/{s}") for s in SECTIONS)),
    ("Features", tuple((_label(s), f"/category/features/{s}") for s in FEATURE_SUBSECTIONS)),
    ("Japan Today", (("About us", "/about"), ("Contact us", "/contact"),
                     ("Advertise", "/advertise"), ("Careers", "/careers"))),
    ("Legal", (("Terms of use", "/terms"), ("Privacy policy", "/privacy"),
               ("Cookie settings", "/cookies"), ("Sitemap", "/sitemap"))),
)


def _build_header() -> str:
    items = []
    for s in NAV_SECTIONS:
        if s == "features":
            subs = "".join(f'<li><a href="{ORIGIN}/category/features/{f}">{_t(_label(f))}</a>'
                           "</li>" for f in FEATURE_SUBSECTIONS)
            items.append(f'<li class="dropdown"><a class="dropdown-toggle" '
                         f'href="{ORIGIN}/category/features">Features</a>'
                         f'<ul class="dropdown-menu">{subs}</ul></li>')
        else:
            items.append(f'<li><a href="{ORIGIN}/category/{s}">{_t(_label(s))}</a></li>')
    return (
        _SVG_SPRITE +
        '<header class="header">\n'
        '<div class="header-top hidden-xs"><div class="container">'
        '<ul class="list-inline pull-left text-xsmall"><li><a href="https://gplusmedia.com">'
        "GPlusMedia</a></li><li><a href=\"https://savvytokyo.example\">Savvy Tokyo</a></li>"
        '<li><a href="https://gaijinpot.example">GaijinPot</a></li></ul>'
        '<ul class="list-inline pull-right text-xsmall">'
        f'<li><a href="{ORIGIN}/login">Login</a></li>'
        f'<li><a href="{ORIGIN}/register">Register</a></li></ul></div></div>\n'
        '<div class="container header-main">'
        f'<a class="logo" href="{ORIGIN}/"><img src="{ASSETS}/img/logo/japantoday-logo.svg" '
        'width="220" height="36" alt="Japan Today"></a>'
        '<div class="ad ad-leaderboard" data-slot="header-leaderboard" '
        'style="min-height:90px"></div>'
        f'<form class="header-search" action="{ORIGIN}/search" method="get" role="search">'
        '<label class="sr-only" for="q">Search</label>'
        '<input id="q" type="search" name="keyword" placeholder="Search Japan Today">'
        '<button type="submit" class="btn btn-link">Search</button></form></div>\n'
        '<nav class="navbar navbar-main" role="navigation"><div class="container">'
        '<button type="button" class="navbar-toggle" data-toggle="collapse" '
        'data-target="#nav-main">Menu</button>'
        f'<ul id="nav-main" class="nav navbar-nav collapse navbar-collapse">{"".join(items)}</ul>'
        "</div></nav>\n</header>\n")


def _critical_css() -> str:
    """Utility CSS inlined in <head> like the real site's critical stylesheet."""
    rules = [
        "html{font-family:sans-serif;-ms-text-size-adjust:100%;-webkit-text-size-adjust:100%}",
        "body{margin:0;font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;font-size:15px;"
        "line-height:1.5;color:#222;background-color:#fff}",
        "a{color:#1a5bb8;text-decoration:none;background-color:transparent}",
        "a:hover,a:focus{color:#0e3a78;text-decoration:underline}",
        "img{vertical-align:middle;border:0}.img-responsive{display:block;max-width:100%;"
        "height:auto}",
        ".container{padding-right:15px;padding-left:15px;margin-right:auto;margin-left:auto}",
        ".row{margin-right:-15px;margin-left:-15px}",
        ".row:before,.row:after,.container:before,.container:after{content:' ';display:table}",
        ".row:after,.container:after{clear:both}",
        ".header{border-bottom:3px solid #c8102e;background:#fff}",
        ".header-top{background:#222;color:#ccc;font-size:11px;line-height:28px}",
        ".header-top a{color:#ddd}.navbar-main{background:#c8102e;min-height:42px}",
        ".navbar-main .nav>li>a{color:#fff;font-weight:700;text-transform:uppercase;"
        "padding:12px 14px}",
        ".dropdown-menu{display:none;position:absolute;z-index:1000;min-width:180px;"
        "background:#fff;box-shadow:0 6px 12px rgba(0,0,0,.175)}",
        ".dropdown:hover .dropdown-menu{display:block}",
        ".media{margin-top:15px;overflow:hidden;zoom:1}.media:first-child{margin-top:0}",
        ".media-left{padding-right:10px;display:table-cell;vertical-align:top}",
        ".media-body{display:table-cell;vertical-align:top;width:10000px}",
        ".section-title{border-bottom:2px solid #222;font-size:16px;font-weight:700;"
        "text-transform:uppercase;padding-bottom:6px;margin:20px 0 12px}",
        ".article-full h1{font-size:30px;line-height:1.2}",
        ".article-figure{margin:15px 0}.article-figure figcaption{padding:6px 0}",
        ".article-share a{display:inline-block;padding:6px 12px;margin-right:6px;"
        "border-radius:3px;color:#fff;background:#3b5998}",
        ".article-share .share-tw{background:#1da1f2}.article-share .share-mail{background:#777}",
        ".ad-in-article{margin:20px auto;text-align:center;min-height:90px}",
        ".comments .comment{border-top:1px solid #eee;padding:10px 0}",
        ".comment-author{font-weight:700;margin:0 0 4px}",
        ".comment-actions{font-size:11px;color:#888}",
        ".footer{background:#1d1d1d;color:#aaa;padding:30px 0;margin-top:40px}",
        ".footer a{color:#ddd}.pagination{display:inline-block;padding-left:0;margin:20px 0}",
        ".pagination>li{display:inline}.pagination>li>a{padding:6px 12px;border:1px solid #ddd}",
        ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
        "clip:rect(0,0,0,0);border:0}",
        ".btn{display:inline-block;padding:6px 12px;font-size:14px;border:1px solid transparent;"
        "border-radius:4px;cursor:pointer}.btn-primary{color:#fff;background:#c8102e}",
        ".list-unstyled,.list-inline{padding-left:0;list-style:none}",
        ".list-inline>li{display:inline-block;padding-right:5px;padding-left:5px}",
    ]
    sizes = {"xxsmall": 10, "xsmall": 11, "small": 13, "base": 15, "large": 17, "xlarge": 20}
    rules += [f".text-{k}{{font-size:{v}px}}" for k, v in sizes.items()]
    colors = {"primary": "#c8102e", "gray": "#777", "color": "#c8102e", "dark": "#222",
              "light": "#f5f5f5", "muted": "#999", "info": "#31708f", "success": "#3c763d"}
    for k, v in colors.items():
        rules += [f".text-{k}{{color:{v}}}", f".bg-{k}{{background-color:{v}}}",
                  f".border-{k}{{border-color:{v}}}"]
    rules += [".text-strong{font-weight:600}", ".text-xstrong{font-weight:800}",
              ".text-uppercase{text-transform:uppercase}", ".text-center{text-align:center}",
              ".sep:before{content:'|';padding:0 4px;color:#ccc}"]
    for prefix, prop in (("m", "margin"), ("p", "padding")):
        for side, name in (("t", "top"), ("b", "bottom"), ("l", "left"), ("r", "right")):
            for n in range(0, 55, 5):
                rules.append(f".{prefix}{side}-{n}{{{prop}-{name}:{n}px!important}}")
    for bp, width in (("xs", 0), ("sm", 768), ("md", 992), ("lg", 1200)):
        cols = "".join(
            f".col-{bp}-{i}{{float:left;width:{i / 12 * 100:.8f}%}}"
            f".col-{bp}-offset-{i}{{margin-left:{i / 12 * 100:.8f}%}}"
            f".col-{bp}-push-{i}{{left:{i / 12 * 100:.8f}%}}" for i in range(1, 13))
        block = (f".container{{width:{max(width - 18, 750)}px}}" if width else "") + cols
        block += f".hidden-{bp}{{display:none!important}}.visible-{bp}{{display:block!important}}"
        rules.append(f"@media (min-width:{width}px){{{block}}}" if width else block)
    return "\n".join(rules)


def _build_head_assets() -> str:
    preloads = "\n".join(
        f'<link rel="preload" href="{ASSETS}/{path}" as="{kind}" crossorigin>'
        for path, kind in (("fonts/jt-sans-regular.woff2", "font"),
                           ("fonts/jt-sans-bold.woff2", "font"),
                           ("fonts/jt-serif-regular.woff2", "font"),
                           ("build/app.7d41c0.js", "script"),
                           ("build/vendor.91b2aa.js", "script")))
    return "\n".join([
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
        '<meta name="theme-color" content="#c8102e">',
        f'<link rel="icon" href="{ASSETS}/img/favicon-32.png" sizes="32x32">',
        f'<link rel="apple-touch-icon" href="{ASSETS}/img/apple-touch-icon.png">',
        '<link rel="preconnect" href="https://securepubads.g.doubleclick.net">',
        '<link rel="preconnect" href="https://www.googletagmanager.com">',
        preloads,
        f'<style id="critical-css">\n{_critical_css()}\n</style>',
        f'<link rel="stylesheet" href="{ASSETS}/build/app.7d41c0.css" media="print" '
        "onload=\"this.media='all'\">",
        f"<script>{_AD_CONFIG_JS}</script>",
    ])


def _ad_slots() -> list[dict]:
    slots = []
    for page_type in ("home", "listing", "article"):
        for pos, sizes in (("header-leaderboard", [[728, 90], [970, 90], [970, 250]]),
                           ("sidebar-top", [[300, 250], [336, 280]]),
                           ("sidebar-mid", [[300, 600], [300, 250], [160, 600]]),
                           ("in-article-2", [[728, 90], [468, 60], [300, 250]]),
                           ("in-article-6", [[728, 90], [300, 250]]),
                           ("footer", [[728, 90], [970, 90]]),
                           ("mobile-sticky", [[320, 50], [320, 100]])):
            slots.append({"id": f"div-gpt-{page_type}-{pos}",
                          "path": f"/21821003/japantoday/{page_type}/{pos}",
                          "sizes": sizes, "mapping": pos.split("-")[0],
                          "targeting": {"pos": pos, "pt": page_type, "lazy": "true"}})
    return slots


_AD_CONFIG_JS = (
    "window.jtAds = window.jtAds || {slots: [], queue: []};\n"
    f"window.jtAds.slots = {json.dumps(_ad_slots(), separators=(',', ':'))};\n"
    "window.jtAds.sizeMapping = {header: [[[1024, 0], [[970, 90], [728, 90]]], [[0, 0], "
    "[[320, 50]]]], sidebar: [[[992, 0], [[300, 600], [300, 250]]], [[0, 0], []]], "
    "in: [[[768, 0], [[728, 90]]], [[0, 0], [[300, 250]]]], footer: [[[768, 0], [[728, 90]]], "
    "[[0, 0], [[320, 50]]]], mobile: [[[768, 0], []], [[0, 0], [[320, 50]]]]};\n"
    "window.jtAds.consent = (document.cookie.match(/(?:^|; )jt_consent=([^;]*)/) || [])[1] "
    "|| 'pending';\n"
)

_TAIL_SCRIPTS = (
    "<script>\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var lazyImages = [].slice.call(document.querySelectorAll('img.lazy'));\n"
    "  function reveal(img) {\n"
    "    if (img.dataset && img.dataset.src) { img.src = img.dataset.src; }\n"
    "    img.classList.remove('lazy');\n"
    "  }\n"
    "  if ('IntersectionObserver' in window) {\n"
    "    var observer = new IntersectionObserver(function (entries) {\n"
    "      entries.forEach(function (entry) {\n"
    "        if (!entry.isIntersecting) { return; }\n"
    "        reveal(entry.target);\n"
    "        observer.unobserve(entry.target);\n"
    "      });\n"
    "    }, {rootMargin: '200px 0px'});\n"
    "    lazyImages.forEach(function (img) { observer.observe(img); });\n"
    "  } else {\n"
    "    lazyImages.forEach(reveal);\n"
    "  }\n"
    "  var toggles = document.querySelectorAll('[data-toggle=\"collapse\"]');\n"
    "  Array.prototype.forEach.call(toggles, function (btn) {\n"
    "    btn.addEventListener('click', function () {\n"
    "      var target = document.querySelector(btn.getAttribute('data-target'));\n"
    "      if (target) { target.classList.toggle('in'); }\n"
    "    });\n"
    "  });\n"
    "  window.jtComments = {\n"
    "    vote: function (id, dir) {\n"
    "      var xhr = new XMLHttpRequest();\n"
    "      xhr.open('POST', '/api/comments/' + id + '/vote');\n"
    "      xhr.setRequestHeader('Content-Type', 'application/json');\n"
    "      xhr.send(JSON.stringify({direction: dir}));\n"
    "    },\n"
    "    reply: function (id) { window.location.hash = 'reply-' + id; }\n"
    "  };\n"
    "  function showConsent() {\n"
    "    if (window.jtAds && window.jtAds.consent !== 'pending') { return; }\n"
    "    var bar = document.createElement('div');\n"
    "    bar.className = 'consent-bar';\n"
    "    bar.innerHTML = '<p>We use cookies to personalise content and ads, and to analyse '\n"
    "      + 'our traffic.</p><button class=\"btn btn-primary\" id=\"consent-ok\">OK</button>';\n"
    "    document.body.appendChild(bar);\n"
    "    document.getElementById('consent-ok').addEventListener('click', function () {\n"
    "      document.cookie = 'jt_consent=granted; path=/; max-age=31536000; SameSite=Lax';\n"
    "      bar.parentNode.removeChild(bar);\n"
    "    });\n"
    "  }\n"
    "  if (document.readyState === 'loading') {\n"
    "    document.addEventListener('DOMContentLoaded', showConsent);\n"
    "  } else { showConsent(); }\n"
    "  window.dataLayer.push({event: 'jt.pageReady', ts: Date.now()});\n"
    "})();\n"
    "</script>\n"
    f'<script async src="{ASSETS}/build/vendor.91b2aa.js"></script>\n'
    f'<script async src="{ASSETS}/build/app.7d41c0.js"></script>\n'
    '<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>\n'
)

def _build_sprite() -> str:
    """An inline SVG icon sprite, as the real site inlines its icons before the header."""
    icons = {
        "facebook": "M22 12a10 10 0 1 0-11.6 9.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 "
                    "2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 "
                    "22 12z",
        "twitter": "M23 4.6a9 9 0 0 1-2.6.7 4.5 4.5 0 0 0 2-2.5 9 9 0 0 1-2.9 1.1 4.5 4.5 0 0 "
                   "0-7.7 4.1A12.8 12.8 0 0 1 2.5 3.3a4.5 4.5 0 0 0 1.4 6 4.5 4.5 0 0 1-2-.6"
                   "v.1a4.5 4.5 0 0 0 3.6 4.4 4.5 4.5 0 0 1-2 .1 4.5 4.5 0 0 0 4.2 3.1A9 9 0 0 1 "
                   "1 18.3 12.8 12.8 0 0 0 7.9 20.3c8.3 0 12.8-6.9 12.8-12.8v-.6A9.2 9.2 0 0 0 "
                   "23 4.6z",
        "search": "M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5-5-5zm-6 0a4.5 "
                  "4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9z",
        "comment": "M21 6h-2v9H6v2c0 .6.4 1 1 1h11l4 4V7c0-.6-.4-1-1-1zm-4 6V3c0-.6-.4-1-1-1H3c-.6 "
                   "0-1 .4-1 1v14l4-4h10c.6 0 1-.4 1-1z",
        "rss": "M6.2 15.6a2.2 2.2 0 1 1 0 4.4 2.2 2.2 0 0 1 0-4.4zM4 4.4A15.6 15.6 0 0 1 19.6 "
               "20h-2.9A12.7 12.7 0 0 0 4 7.3V4.4zm0 5.7a9.9 9.9 0 0 1 9.9 9.9H11a7 7 0 0 0-7-7"
               "v-2.9z",
        "menu": "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z",
        "close": "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 "
                 "1.4-1.4-5.6-5.6z",
        "mail": "M20 4H4a2 2 0 0 0-2 2v12c0 1.1.9 2 2 2h16a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 "
                "4-8 5-8-5V6l8 5 8-5v2z",
        "arrow": "M8.6 16.6 13.2 12 8.6 7.4 10 6l6 6-6 6z",
        "user": "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z",
    }
    symbols = "".join(f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{d}"/></symbol>'
                      for name, d in icons.items())
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{symbols}</svg>\n'


_PROMO_ITEMS = (
    ("Lifestyle", "lifestyle", "Ten quiet hot spring towns for a winter weekend",
     "From snowy Tohoku valleys to seaside baths in Kyushu, a guide to onsen towns that are "
     "still easy to book."),
    ("Food", "food", "How to make a simple oden at home",
     "Daikon, eggs and fish cakes simmered in a light dashi: a warming dish for cold evenings."),
    ("Travel", "travel", "Riding the slow local trains of Shikoku",
     "A four-day trip on single-car trains through river valleys and mountain villages."),
    ("Health", "health", "Why doctors recommend a short walk after dinner",
     "Ten minutes on foot after a meal may help keep blood sugar steady, researchers say."),
    ("Kuchikomi", "kuchikomi", "Weekly magazines ask whether the office party is back",
     "A look at what the tabloid weeklies are saying about year-end gatherings."),
    ("New Products", "new-products", "Convenience stores roll out winter desserts",
     "Chestnut puddings, sweet potato tarts and a matcha roll cake arrive on the shelves."),
)


def _build_promos() -> str:
    items = "".join(
        f'<div class="media media-promo"><a class="media-left" '
        f'href="{ORIGIN}/category/features/{path}"><img class="lazy" '
        f'data-src="{ASSETS}/img/promo/{path}_w120_h90.jpg" width="120" height="90" alt=""></a>'
        f'<div class="media-body"><span class="text-xsmall text-primary text-uppercase">{kicker}'
        f'</span><h5 class="text-xstrong"><a href="{ORIGIN}/category/features/{path}">{_t(title)}'
        f'</a></h5><p class="text-xsmall text-gray">{_t(blurb)}</p></div></div>\n'
        for kicker, path, title, blurb in _PROMO_ITEMS)
    return (f'<section class="sidebar-features"><h4 class="section-title">Features</h4>\n{items}'
            "</section>\n")


_SVG_SPRITE = _build_sprite()
_PROMOS = _build_promos()
_HEADER = _build_header()
_HEAD_ASSETS = _build_head_assets()


# --------------------------------------------------------------------------- comments

_COMMENTERS = (
    "kohakuyama", "TokyoCommuter", "Yubaba77", "sakura_fan", "OsakaBay", "ReadingRoomRon",
    "mountaintrail", "kaze_no_tani", "ShibuyaSam", "harborlights", "NagoyaNorth", "riceball99",
    "QuietObserver", "bentoboxer", "Hokkaido_Hiker", "TanukiTales", "fuji_view", "localteacher",
    "SapporoSnow", "KyotoWalker", "onsen_lover", "trainspotter_jp", "oldhand", "DailyReader",
)
_COMMENT_LINES = (
    "Good to see this covered. It affects a lot more people than the headline suggests.",
    "I live nearby and can confirm things have changed a lot over the past few years.",
    "The real question is who will pay for this once the subsidies run out.",
    "Sensible move. It should have happened years ago.",
    "Interesting, but I would like to see the actual figures before drawing conclusions.",
    "My neighbors were talking about exactly this at the community meeting last week.",
    "Another plan announced with great fanfare. Let's check back in a year.",
    "This is the kind of practical local solution Japan does well.",
    "Not sure this will work outside the big cities, where most people drive.",
    "Credit to the volunteers. They rarely get the recognition they deserve.",
    "Prices keep going up and wages are only just starting to catch up.",
    "The article could have mentioned how other countries handle the same problem.",
    "Hopefully the people affected are actually consulted this time.",
    "I had a similar experience when I first moved here. It takes time to adjust.",
    "Well written and balanced. Thanks for the report.",
    "Small steps, but they add up.",
    "As usual the comments section knows better than the experts.",
    "Happy to see some good news for once.",
    "They should publish the full report online so people can read it themselves.",
    "This has been a problem in my area for as long as I can remember.",
)


def _comments_section(slug: str, total: int, shown: int) -> str:
    rng = random.Random(slug)
    out = [f'<section id="comments" class="comments">\n<h4 class="section-title">{total} '
           "Comments</h4>\n"]
    for i in range(shown):
        cid = int(_hash(f"{slug}#{i}")[:7], 16)
        text = " ".join(rng.sample(_COMMENT_LINES, rng.randint(1, 3)))
        name = rng.choice(_COMMENTERS)
        up, down = rng.randint(0, 40), rng.randint(0, 12)
        out.append(
            f'<div class="comment" id="comment-{cid}" data-comment-id="{cid}">'
            f'<img class="comment-avatar lazy" data-src="{ASSETS}/img/avatars/{cid % 97}.png" '
            'width="40" height="40" alt="">'
            f'<p class="comment-author">{_t(name)}</p><p>{_t(text)}</p>'
            '<div class="comment-actions">'
            f'<a href="#comment-{cid}" onclick="jtComments.vote({cid}, 1); return false;" '
            f'class="vote-up">+{up}</a> '
            f'<a href="#comment-{cid}" onclick="jtComments.vote({cid}, -1); return false;" '
            f'class="vote-down">-{down}</a> '
            f'<a href="#comment-{cid}" onclick="jtComments.reply({cid}); return false;" '
            'class="reply">Reply</a></div></div>\n')
    if total > shown:
        out.append(f'<p class="text-center"><a class="btn btn-default" href="#comments" '
                   f'data-load-more="{_hash(slug)[:8]}">Load {total - shown} more comments</a>'
                   "</p>\n")
    if total == 0:
        out.append('<p class="text-gray">Be the first to comment.</p>\n')
    out.append(f'<p class="text-small">Login to leave a comment. <a href="{ORIGIN}/login">'
               "Login</a></p>\n</section>\n")
    return "".join(out)


# --------------------------------------------------------------------------- bad pages

_BAD_ARTICLES: dict[str, SampleArticle] = {
    "truncated": SampleArticle(
        slug="city-bus-operator-adds-late-night-routes-in-sendai",
        section="national",
        title="City bus operator adds late-night routes in Sendai",
        summary="Sendai's municipal bus operator will run four new late-night routes from "
        "December to serve shift workers.",
        paragraphs=(
            "Sendai's municipal bus operator will run four new late-night routes from December, "
            "aimed at hospital staff, factory workers and others whose shifts end after the last "
            "regular buses have left.",
            "The buses will leave the city center every 30 minutes until 1:30 a.m. and stop at "
            "two large hospitals and an industrial park in the east of the city.",
            "The operator said it had surveyed more than 2,000 workers and found that many were "
            "paying for taxis or asking relatives to collect them, which added to traffic around "
            "the hospitals late at night.",
            "Fares will be the same as during the day. The service will be reviewed after a year.",
        ),
        age=timedelta(minutes=4),
        credit="© KYODO",
        credit_agency="KYODO",
        tags=("Sendai", "transport"),
        caption="A municipal bus in central Sendai.",
    ),
    "empty-body": SampleArticle(
        slug="prefecture-announces-new-disaster-drill-schedule",
        section="national",
        title="Prefecture announces new disaster drill schedule",
        summary="",
        paragraphs=(),
        age=timedelta(minutes=7),
    ),
    "wrong-charset": SampleArticle(
        slug="sapporo-cafe-owner-brings-european-pastries-to-hokkaido",
        section="national",
        title="Sapporo café owner brings European pastries to Hokkaido",
        summary="A café in Sapporo run by a pastry chef trained in Zürich has become a "
        "weekend favorite for its crème brûlée.",
        paragraphs=(
            "A small café in Sapporo run by a pastry chef who trained in Zürich and Lyon has "
            "become a weekend favorite, with queues forming before it opens for its crème "
            "brûlée and apple strudel.",
            "Owner Mariko Fujisawa-Lefèvre, 41, said she uses Hokkaido butter, milk and "
            "wheat in every recipe. “The ingredients here are as good as anything I used in "
            "Europe,” she said — adding that only the vanilla is imported.",
            "The café’s most popular item is a pain au chocolat made with local dark chocolate. "
            "Fujisawa-Lefèvre plans to open a small pâtisserie school next spring.",
        ),
        age=timedelta(minutes=10),
        credit="© Japan Today",
        credit_agency="JAPANTODAY",
        tags=("Sapporo", "food"),
        caption="Pastries on display at a café in Sapporo.",
    ),
    "server-error": SampleArticle(
        slug="government-panel-to-review-summer-time-proposal",
        section="national",
        title="Government panel to review summer time proposal",
        summary="A government panel will study whether to move clocks forward in summer to "
        "save energy.",
        paragraphs=(
            "A government panel will study whether Japan should move its clocks forward by one "
            "hour in summer, the industry ministry said, reviving a debate that has surfaced "
            "several times over the past decades.",
            "Supporters say daylight saving time would cut electricity use in the evenings, while "
            "critics say the change would disrupt computer systems and sleep patterns.",
            "The panel is expected to report its findings by the end of next fiscal year.",
        ),
        age=timedelta(minutes=13),
        credit="© Jiji Press",
        credit_agency="JIJI",
    ),
    "slow": SampleArticle(
        slug="ferry-operator-resumes-service-to-remote-islands",
        section="national",
        title="Ferry operator resumes service to remote islands",
        summary="Ferry services to three remote islands in Kagoshima resumed after repairs to "
        "a damaged pier.",
        paragraphs=(
            "Ferry services to three remote islands in Kagoshima Prefecture resumed on Monday "
            "after repairs to a pier damaged by high waves during a typhoon in September.",
            "Islanders had relied on a smaller boat chartered by the prefecture to bring food, "
            "fuel and mail, while patients needing hospital care were flown to the mainland.",
            "The operator said it would add extra sailings over the coming weeks to clear a "
            "backlog of cargo, including building materials for homes damaged by the storm.",
        ),
        age=timedelta(minutes=16),
        credit="© KYODO",
        credit_agency="KYODO",
    ),
}


# --------------------------------------------------------------------------- generator

_GIVEN = ("Haruto", "Yuki", "Kenji", "Aiko", "Daisuke", "Emi", "Hiroshi", "Kaori", "Makoto",
          "Naoko", "Ryota", "Sayaka", "Takeshi", "Tomoko", "Yusuke", "Mei", "Shota", "Chihiro",
          "Kazuya", "Noriko", "Akira", "Misaki", "Junpei", "Rie", "Koji", "Asami", "Tetsuya",
          "Yoko", "Genki", "Hana")
_FAMILY = ("Moriyama", "Takebayashi", "Ishikura", "Hoshino", "Nakagiri", "Okabe", "Sugita",
           "Funakoshi", "Kamimura", "Tachibana", "Wakabayashi", "Noguchi", "Hirasawa", "Umeda",
           "Kurosaki", "Miyahara", "Shiraishi", "Akagawa", "Tsujimoto", "Hamasaki", "Iwanaga",
           "Yokomizo", "Sekiguchi", "Oshiro", "Matsunaga", "Kitazawa", "Amano", "Fukuhara")
_PREFS = ("Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki",
          "Tochigi", "Gunma", "Saitama", "Chiba", "Kanagawa", "Niigata", "Toyama", "Ishikawa",
          "Fukui", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie", "Shiga", "Hyogo", "Nara",
          "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima",
          "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki", "Kumamoto", "Oita",
          "Miyazaki", "Kagoshima", "Okinawa")
_CITIES = ("Sendai", "Niigata", "Kanazawa", "Shizuoka", "Hamamatsu", "Nagoya", "Kobe", "Okayama",
           "Hiroshima", "Matsuyama", "Kitakyushu", "Fukuoka", "Kumamoto", "Kagoshima", "Naha",
           "Sapporo", "Hakodate", "Morioka", "Utsunomiya", "Takasaki", "Chiba", "Yokohama",
           "Kawasaki", "Kyoto", "Osaka", "Sakai", "Himeji", "Matsue", "Kochi", "Nagasaki")
_COMPANIES = ("Hoshimura Electric", "Aozora Logistics", "Kitagawa Foods", "Minato Heavy "
              "Industries", "Sakuragi Motors", "Tsubame Telecom", "Kawase Pharmaceutical",
              "Daichi Retail Holdings", "Shinonome Bank", "Kumoi Chemical", "Hikari Robotics",
              "Asahigaoka Railway", "Tamagawa Construction", "Nishikaze Airlines",
              "Yamabuki Software", "Ginrei Steel", "Kotobuki Apparel", "Ryokufu Energy")
_BODIES = ("the health ministry", "the transport ministry", "the education ministry",
           "the Japan Meteorological Agency", "the Fire and Disaster Management Agency",
           "the Consumer Affairs Agency", "the Japan Tourism Agency", "prefectural police",
           "the National Police Agency", "the environment ministry", "the Cabinet Office",
           "the Bank of Japan", "the finance ministry", "the industry ministry")
_GROUPS = ("elderly residents", "young families", "foreign tourists", "high school students",
           "small business owners", "farmers", "commuters", "nurses and care workers",
           "fishermen", "university students", "shift workers", "single parents")
_THINGS = ("driverless buses", "night-time clinics", "cashless payments", "drone deliveries",
           "shared bicycles", "solar-powered shelters", "free school lunches", "online classes",
           "electric ferries", "heatstroke shelters", "rooftop farms", "community kitchens")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ROLES = ("a local resident", "a city official", "a shop owner", "a university professor",
          "an analyst at a Tokyo research institute", "a spokesperson for the company",
          "a prefectural official", "a volunteer", "a retired teacher", "a nurse",
          "the head of the local chamber of commerce")
_QUOTES = (
    "We have been waiting for this for a long time",
    "It is a small step, but it will make a real difference for people here",
    "Nobody expected the numbers to rise this quickly",
    "We need to act before the situation gets worse",
    "People are worried, and they want clear answers",
    "This is about making sure the next generation can live here too",
    "We will keep listening to residents and adjust the plan as needed",
    "The costs are rising faster than anyone planned for",
    "Our staff are working around the clock to keep things running",
    "It is too early to say whether the change will last",
)

_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    # (headline, lede): filled with the same values, so the lede reports the headline's story.
    "national": (
        ("{city} to trial {thing} for {group}",
         "The city of {city} will begin a trial of {thing} for {group} next month, officials "
         "said on {day}, in a bid to ease pressure on local services."),
        ("{pref} towns struggle to keep {thing} running",
         "Several small towns in {pref} Prefecture are struggling to keep {thing} running as "
         "budgets shrink and staff retire, a survey by the prefectural government showed."),
        ("Record number of {group} seek help in {pref}",
         "A record number of {group} sought help from public support centers in {pref} "
         "Prefecture in the six months to September, local officials said on {day}."),
        ("{city} residents push back on plan for {thing}",
         "Residents in {city} have pushed back against a city plan to introduce {thing}, saying "
         "they were not consulted before the decision was made."),
        ("Heatstroke cases in {pref} rise {pct} percent",
         "The number of people taken to hospital with heatstroke in {pref} Prefecture rose by "
         "{pct} percent from a year earlier, the Fire and Disaster Management Agency said."),
        ("{pref} village revives festival after {n}-year break",
         "A mountain village in {pref} Prefecture revived its autumn festival on {day} after a "
         "break of {n} years, with former residents returning to carry the portable shrine."),
        ("Bear sightings in {pref} up {pct} percent as food runs short",
         "Reported sightings of bears in {pref} Prefecture have risen {pct} percent, as a poor "
         "crop of nuts in the mountains drives the animals closer to towns, officials said."),
        ("{city} schools to add {thing} next year",
         "Public schools in {city} will add {thing} from the next academic year, the city's "
         "board of education said on {day}."),
        ("Volunteers in {city} step in to help {group}",
         "A group of volunteers in {city} has started a weekly service to help {group}, filling "
         "a gap left by cuts to local government programs."),
        ("Landslide warnings issued for {n} towns in {pref}",
         "The Japan Meteorological Agency issued landslide warnings for {n} towns in {pref} "
         "Prefecture on {day} after heavy rain soaked hillsides overnight."),
        ("{pref} to offer free health checks for {group}",
         "{pref} Prefecture will offer free health checks for {group} from April, hoping to "
         "catch illnesses earlier and reduce medical costs, officials said on {day}."),
        ("Heavy snow in {pref} strands {big} rail passengers",
         "Train services on several lines in {pref} Prefecture were suspended on {day} after "
         "heavy snow, leaving about {big} passengers stranded at stations."),
    ),
    "crime": (
        ("{city} man arrested over fraud targeting {group}",
         "Police in {city} have arrested a {age}-year-old man on suspicion of cheating {group} "
         "out of about {yen}, investigators said on {day}."),
        ("Police in {pref} seize handguns, arrest {n} in drug raid",
         "Police in {pref} Prefecture said on {day} they had seized handguns and stimulant drugs "
         "from an apartment and arrested {n} people."),
        ("Woman, {age}, arrested after hit-and-run in {city}",
         "A {age}-year-old woman has been arrested on suspicion of hitting a pedestrian with her "
         "car in {city} and driving away, police said on {day}."),
        ("{pref} police warn {group} of phone scams",
         "Police in {pref} Prefecture are warning {group} about a rise in phone scams in which "
         "callers pretend to be relatives or bank staff."),
        ("Man, {age}, arrested over theft from {city} shrine",
         "Police in {city} have arrested a {age}-year-old man on suspicion of stealing offertory "
         "boxes and a bronze statue from a local shrine."),
        ("Former {pref} official charged with taking {yen} in bribes",
         "Prosecutors on {day} charged a former official of the {pref} prefectural government "
         "with accepting {yen} in bribes from a construction company."),
    ),
    "politics": (
        ("Ruling coalition agrees on {yen} plan to support {group}",
         "The ruling coalition agreed on {day} on a {yen} package of measures to support {group}, "
         "including cash handouts and lower fees for public services."),
        ("Opposition demands probe into {yen} in {pref} subsidies",
         "Opposition parties demanded an investigation into how subsidies were spent in {pref} "
         "Prefecture after an audit found unexplained payments worth {yen}."),
        ("Diet panel debates rules on {thing} after {pref} accident",
         "A parliamentary committee debated new rules on {thing} on {day} after an accident in "
         "{pref} Prefecture, with lawmakers divided over safety standards and costs."),
        ("{person} wins second term as {pref} governor",
         "{person}, the incumbent governor of {pref} Prefecture, won a second term in an "
         "election on Sunday, defeating two challengers on a turnout of {pct} percent."),
        ("Cabinet approves {yen} extra budget to help {group}",
         "The Cabinet on {day} approved an extra budget worth {yen} that includes new support "
         "for {group} hit by rising prices."),
        ("Lawmakers split over plan to expand {thing} to {n} prefectures",
         "Lawmakers from the ruling and opposition parties were split on {day} over a "
         "government plan to expand {thing} to {n} more prefectures."),
    ),
    "business": (
        ("{company} to invest {yen} in {pref} plant",
         "{company} said on {day} it would invest {yen} to expand its plant in {pref} "
         "Prefecture, creating several hundred jobs."),
        ("{company} profit rises {pct} percent on strong demand",
         "{company} reported a {pct} percent rise in net profit for the first half of the fiscal "
         "year, helped by strong demand at home and abroad and a weaker yen."),
        ("{company} to close {n} percent of domestic stores",
         "{company} said on {day} it would close about {n} percent of its stores in Japan over "
         "the next two years as it shifts more of its sales online."),
        ("Exports rise for {ord} straight month on {product} shipments",
         "Japan's exports rose for the {ord} straight month in October, led by shipments of "
         "{product}, finance ministry data showed on {day}."),
        ("{company} to raise prices for first time in {n} years",
         "{company} will raise prices on most of its products from April, its first increase in "
         "{n} years, citing higher costs for materials and energy."),
        ("{company} teams up with startup on {thing}",
         "{company} said on {day} it had formed a partnership with a startup to develop {thing}, "
         "aiming to launch a service within two years."),
        ("{company} shares slide {small} percent on weak yen warning",
         "Shares of {company} fell {small} percent on {day} after the company warned that a weak "
         "yen was raising the cost of imported {product}."),
        ("{pct} percent of small firms in {pref} short of staff",
         "Small and medium-sized companies in {pref} Prefecture are struggling to hire staff, "
         "with {pct} percent saying they were short of workers, a survey showed."),
    ),
    "tech": (
        ("{company} unveils robot to help {group}",
         "{company} unveiled a robot on {day} designed to help {group} with everyday tasks, and "
         "said it would begin selling it next year."),
        ("{city} tests {thing} on 5G network",
         "The city of {city} began testing {thing} on a high-speed 5G network on {day}, in a "
         "trial that will run until March."),
        ("Startup in {city} raises {yen} for AI service",
         "A startup based in {city} has raised {yen} from investors to expand an artificial "
         "intelligence service used by local governments."),
        ("{company} to use AI to manage {thing}",
         "{company} said it would use artificial intelligence to manage {thing}, aiming to "
         "reduce costs and the workload of its staff."),
        ("Government to spend {yen} on research into {thing}",
         "The government will spend {yen} on research into {thing} as part of a program to "
         "support new technology, officials said on {day}."),
    ),
    "sports": (
        ("{pref} high school reaches national {sport} final",
         "A high school from {pref} Prefecture reached the final of the national {sport} "
         "tournament on {day}, the first time it has advanced so far."),
        ("Veteran pitcher {person} to retire",
         "Veteran pitcher {person} announced on {day} that he would retire at the end of the "
         "season after {n} years as a professional."),
        ("{city} marathon expects {big} runners",
         "{city} will host an international marathon next spring, with organizers expecting "
         "about {big} runners from Japan and overseas."),
        ("Sumo wrestler {person} wins first title",
         "Sumo wrestler {person} won his first top-division title on Sunday, finishing the "
         "15-day tournament with 13 wins and two losses."),
        ("{person} named in Japan squad for Asian {sport} championship",
         "Japan named its squad for next month's Asian {sport} championship on {day}, including "
         "{person} and several other young players yet to appear for the national team."),
    ),
    "world": (
        ("Japan pledges {yen} in flood aid to {country}",
         "Japan will provide {yen} in emergency aid to {country} after severe flooding, the "
         "foreign ministry said on {day}."),
        ("Japanese tourist numbers in {country} up {pct} percent",
         "The number of Japanese tourists traveling to {country} has risen {pct} percent this "
         "year as the yen has stabilized, travel agencies said."),
        ("Japan, {country} hold {ord} round of maritime talks",
         "Japan and {country} agreed on {day} at their {ord} round of talks to step up maritime "
         "cooperation, including joint "
         "exercises and the sharing of coast guard equipment."),
        ("Japanese volunteers help rebuild {n} schools in {country}",
         "A group of Japanese volunteers has helped rebuild {n} schools damaged by an "
         "earthquake in {country}, working alongside local builders for three months."),
        ("Japan to ease visa rules for {product} workers from {country}",
         "Japan will ease visa rules for skilled workers from {country} in factories making "
         "{product} from next year, the justice ministry said on {day}."),
    ),
    "entertainment": (
        ("Anime film set in {city} earns {yen} at box office",
         "An animated film set in {city} topped the Japanese box office for a second weekend, "
         "earning about {yen} since its release."),
        ("Veteran actor {person} to star in new drama",
         "Veteran actor {person} will star in a new television drama about a family-run inn, "
         "the broadcaster announced on {day}."),
        ("{city} museum shows {big} works on manga history",
         "A museum in {city} opened an exhibition on the history of manga on {day}, featuring "
         "about {big} original drawings and magazines."),
        ("Idol group announces {city} concert",
         "A popular idol group announced on {day} that it would hold a concert in {city} next "
         "spring, its first there in {n} years."),
        ("Director {person} wins award at film festival",
         "Director {person} won a best director award at an international film festival for a "
         "drama about a fishing village in {pref} Prefecture."),
    ),
}

_SENTENCES: dict[str, tuple[str, ...]] = {
    "national": (
        "Officials in {pref} said the number of {group} affected had risen by {pct} percent "
        "compared with the same period last year.",
        "The plan will start in {city} and could be expanded to other parts of {pref} if it "
        "proves successful.",
        "Residents who spoke at a public meeting on {day} said they welcomed the idea but worried "
        "about how it would be paid for.",
        "The city has set aside {yen} for the project in its budget for the next fiscal year.",
        "Local officials said around {big} households would be covered in the first stage.",
        "The town's population has fallen by about a third over the past two decades, leaving "
        "many homes empty.",
        "{body_cap} advised {group} to take extra care and to check updates from their local "
        "government.",
        "Similar efforts in other prefectures have had mixed results, according to a survey "
        "published earlier this year.",
    ),
    "crime": (
        "Police said the suspect, {person}, {age}, has admitted to the allegations.",
        "According to investigators, the suspect is accused of taking around {yen} from at least "
        "{n} people.",
        "Police in {pref} said they were examining security camera footage from near the scene.",
        "The suspect was quoted by police as saying he did not remember the details.",
        "Investigators believe the group targeted {group} who lived alone.",
        "Police said the number of similar cases in {pref} had risen by {pct} percent this year.",
        "No one was injured in the incident, which took place shortly after {hour} p.m. on "
        "{day}.",
    ),
    "politics": (
        "The bill is expected to be submitted to parliament before the end of the current "
        "session.",
        "Opposition lawmakers said the plan did not go far enough to help {group}.",
        "{person}, a senior member of the ruling party, said the government would explain the "
        "details to the public.",
        "The cost of the measures is estimated at {yen}, to be funded partly by issuing new "
        "bonds.",
        "A recent poll showed support for the Cabinet at {pct} percent, little changed from last "
        "month.",
        "Regional leaders, including the governor of {pref}, have called for more funding from "
        "the central government.",
    ),
    "business": (
        "{company} said net profit for the six months to September rose {pct} percent to {yen}.",
        "The company plans to hire about {big} workers over the next three years.",
        "Shares of {company} rose {small} percent in Tokyo trading after the announcement.",
        "Analysts said higher costs for energy and raw materials would continue to weigh on "
        "margins.",
        "The new plant in {pref} is expected to start operating within two years.",
        "{company} said it would pass some of the higher costs on to customers.",
        "The yen's weakness has helped exporters but raised import costs for households.",
        "Small and medium-sized companies account for about 70 percent of jobs in Japan.",
    ),
    "tech": (
        "{company} said the system had been tested at {n} sites in {pref}.",
        "The developers said the technology could help ease labor shortages faced by "
        "{group}.",
        "The service uses artificial intelligence to analyze data collected by sensors.",
        "Experts warned that privacy rules would need to be updated as such systems spread.",
        "The company plans to offer the service to local governments from next year.",
    ),
    "sports": (
        "The team will face a side from {pref} in the next round on {day}.",
        "{person}, {age}, said the result was the product of months of hard training.",
        "A crowd of about {big} watched the game at the stadium in {city}.",
        "The coach praised the younger players, several of whom were making their debut.",
        "Organizers said tickets for the final sold out within hours.",
    ),
    "world": (
        "Japan's foreign ministry said the aid would be delivered through international "
        "organizations.",
        "Officials said the agreement would be signed during a visit to Tokyo later this month.",
        "The number of Japanese travelers abroad has recovered to about {pct} percent of "
        "pre-pandemic levels.",
        "Japanese companies operating in the region said they were monitoring the situation "
        "closely.",
        "{person}, a spokesperson for the ministry, said Japan would continue to support the "
        "region.",
    ),
    "entertainment": (
        "The film has earned about {yen} since its release in {n} theaters nationwide.",
        "{person}, {age}, said it was a role she had always wanted to play.",
        "The exhibition in {city} runs until the end of next month and features about {big} "
        "works.",
        "Fans lined up outside the venue in {city} hours before the doors opened.",
        "The series will be streamed overseas with subtitles in several languages.",
    ),
    "generic": (
        "\"{quote},\" said {person}, {age}, {role}.",
        "\"{quote},\" {person}, {role}, told reporters on {day}.",
        "{body_cap} said it would publish more detailed figures later this month.",
        "The announcement came after a series of meetings with local governments and industry "
        "groups.",
        "Critics said more needed to be done to support {group} in rural areas.",
        "A survey of {big} people found that {pct} percent supported the change.",
        "The measures will take effect in April, at the start of the new fiscal year.",
        "Officials said they would review the results after one year.",
        "The issue has drawn attention as Japan's population ages and shrinks.",
        "Similar programs have been introduced in {city} and several other cities.",
        "{person}, {role}, said the change was overdue.",
        "The figures were compiled from reports by {n} municipalities.",
        "Further details will be announced at a news conference on {day}.",
        "Experts said it was too early to judge the long-term effects.",
        "The number of people affected is expected to grow over the next decade.",
        "Local media reported that the decision had been delayed twice since last year.",
        "A public hearing will be held in {city} before the plan is finalized.",
        "The plan follows a similar move by {pref} Prefecture two years ago.",
        "Officials said the cost would be shared between the national and local governments.",
        "{person}, {age}, said many people in the area had been hoping for a change.",
        "An online survey conducted in October drew responses from {big} people.",
        "The government has set a target of doubling the figure by 2030.",
        "Some residents said they had not been told about the plan in advance.",
        "According to the latest data, the figure has risen for {n} consecutive months.",
        "Officials plan to report on progress at the end of the fiscal year in March.",
        "The change will affect about {big} people, according to an estimate by {body}.",
        "Several municipalities have asked the central government for additional funding.",
        "{body_cap} plans to hold a meeting of experts on the issue in the coming weeks.",
        "Business groups welcomed the move but said more details were needed.",
        "The measures are part of a broader package approved earlier this year.",
    ),
}

_TAGS: dict[str, tuple[str, ...]] = {
    "national": ("society", "community", "weather", "education", "disaster", "health"),
    "crime": ("police", "fraud", "courts", "crime"),
    "politics": ("Diet", "government", "elections", "budget"),
    "business": ("economy", "markets", "industry", "retail", "labor", "yen"),
    "tech": ("technology", "AI", "robots", "startups"),
    "sports": ("baseball", "soccer", "sumo", "athletics"),
    "world": ("diplomacy", "aid", "Asia", "travel"),
    "entertainment": ("film", "anime", "music", "art"),
}
_SECTION_WEIGHTS = (("national", 30), ("business", 22), ("crime", 10), ("politics", 10),
                    ("tech", 8), ("sports", 8), ("world", 7), ("entertainment", 5))
_CREDITS = (("© KYODO", "KYODO", 15), ("© AFP", "AFP", 9), ("© Jiji Press", "JIJI", 10),
            ("© Reuters", "REUTERS", 7), ("© AP", "AP", 4), ("© Japan Today", "JAPANTODAY", 33),
            ("{gplus}", "JAPANTODAY", 7), (None, None, 15))
_EDITOR_REASONS = ("the latest casualty figures", "comments from the company",
                   "the number of people evacuated", "a revised estimate from officials",
                   "the arrest of a second suspect", "the government's response")
_SLOT = re.compile(r"\{(\w+)\}")


_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "10th", "11th", "12th")
_PRODUCTS = ("cars", "chip-making equipment", "machine tools", "steel", "electronic parts",
             "medical devices", "industrial robots", "auto parts", "processed foods")
_COUNTRIES = ("the Philippines", "Vietnam", "Indonesia", "Thailand", "Malaysia", "India",
              "Australia", "New Zealand", "France", "Italy", "Spain", "Germany", "Brazil",
              "Fiji", "Papua New Guinea", "Sri Lanka", "Bangladesh", "Mongolia", "Peru", "Kenya")
_SPORTS = ("baseball", "soccer", "volleyball", "basketball", "rugby", "table tennis",
           "badminton", "handball", "softball", "judo")
_STICKY = ("city", "pref", "company", "thing", "group")
"""Slots whose article-level value the body mostly repeats, so a story stays about one place."""


def _filler(rng: random.Random) -> dict[str, Callable[[], str]]:
    def person() -> str:
        return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"

    return {
        "city": lambda: rng.choice(_CITIES), "pref": lambda: rng.choice(_PREFS),
        "person": person, "company": lambda: rng.choice(_COMPANIES),
        "group": lambda: rng.choice(_GROUPS), "thing": lambda: rng.choice(_THINGS),
        "day": lambda: rng.choice(_DAYS), "role": lambda: rng.choice(_ROLES),
        "quote": lambda: rng.choice(_QUOTES), "age": lambda: str(rng.randint(20, 79)),
        "n": lambda: str(rng.randint(3, 40)), "pct": lambda: str(rng.randint(2, 48)),
        "ord": lambda: rng.choice(_ORDINALS),
        "product": lambda: rng.choice(_PRODUCTS), "country": lambda: rng.choice(_COUNTRIES),
        "sport": lambda: rng.choice(_SPORTS),
        "small": lambda: f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
        "big": lambda: f"{rng.randint(1, 60) * 100 + rng.randint(0, 99):,}",
        "hour": lambda: str(rng.randint(6, 11)),
        "yen": lambda: f"{rng.randint(2, 950)} {rng.choice(('million', 'billion'))} yen",
        "body": lambda: rng.choice(_BODIES),
        "body_cap": lambda: (lambda b: b[0].upper() + b[1:])(rng.choice(_BODIES)),
    }


def _fill(template: str, fill: dict[str, Callable[[], str]]) -> str:
    return _SLOT.sub(lambda m: fill[m.group(1)](), template)


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:90].rstrip("-")


def _generate_articles(n: int, rng: random.Random) -> list[SampleArticle]:
    """n invented articles, newest first, from seeded templates (never from real text)."""
    sections = [s for s, _ in _SECTION_WEIGHTS]
    weights = [w for _, w in _SECTION_WEIGHTS]
    credit_weights = [w for *_, w in _CREDITS]
    fresh = _filler(rng)
    used: set[str] = set()
    out: list[SampleArticle] = []
    age = timedelta(minutes=rng.randint(8, 20))
    for _ in range(n):
        section = rng.choices(sections, weights)[0]
        values = {k: make() for k, make in fresh.items()}
        fixed = {k: (lambda v=v: v) for k, v in values.items()}
        body = dict(fresh)
        for k in _STICKY:
            body[k] = (lambda k=k, v=values[k]: v if rng.random() < 0.7 else fresh[k]())
        headline, lede = rng.choice(_TITLES[section])
        title = _fill(headline, fixed)
        summary = _fill(lede, fixed)
        slug = base = _slugify(title)
        k = 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        pool = list(_SENTENCES[section] + _SENTENCES["generic"])
        rng.shuffle(pool)  # drawn without replacement: no sentence repeats within an article
        paragraphs = [" ".join([summary, *(_fill(pool.pop(), body)
                                           for _ in range(rng.randint(1, 2)))])]
        for _ in range(rng.randint(3, 9)):
            count = min(rng.randint(2, 3), len(pool))
            if count == 0:
                break
            paragraphs.append(" ".join(_fill(pool.pop(), body) for _ in range(count)))
        credit, agency, _w = rng.choices(_CREDITS, credit_weights)[0]
        if credit == "{gplus}":
            credit = "©2026 GPlusMedia Inc."
        editor_note = None
        modified_after = None
        if credit == "© KYODO" and rng.random() < 0.12:
            editor_note = ("Editor: Story has been updated to report "
                           f"{rng.choice(_EDITOR_REASONS)}.")
        if editor_note or rng.random() < 0.06:
            modified_after = timedelta(minutes=rng.randint(5, 240))
            if modified_after >= age:
                modified_after = age // 2
        authors: tuple[str, ...] = ()
        if rng.random() < 0.04:
            authors = (f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",)
        caption = None
        if rng.random() < 0.6:
            captions = ["A view of {city}.", "Officials speak to reporters in {city} on {day}.",
                        "People gather at a community center in {pref} Prefecture."]
            if section in ("business", "tech"):
                captions.append("The headquarters of {company} in Tokyo.")
            caption = _fill(rng.choice(captions), body)
        tags = tuple(rng.sample(_TAGS[section], 2))
        out.append(SampleArticle(
            slug=slug, section=section, title=title, summary=summary,
            paragraphs=tuple(paragraphs), age=age, modified_after=modified_after,
            credit=credit, credit_agency=agency, editor_note=editor_note, authors=authors,
            tags=tags, caption=caption))
        age += timedelta(minutes=rng.randint(3, 19))
    return out
