"""Every article URL a crawl discovers ends in exactly one count of its run's row: an article
page, a 304, a failure by reason, or a redirect merged into another request of the crawl; and
a redirect leaves neither the outlet nor its mirror (crawler/redirects.py). The real Scrapy
engine crawls a mirror on loopback whose listings link bad URLs of every kind."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import psycopg
from conftest import SAMPLE_NOW
from test_crawl import crawl

from crawler.demo.articles import SAMPLE_ARTICLES, SampleArticle
from crawler.demo.server import SiteServer
from crawler.demo.site import ORIGIN, Page, SampleSite, article_path, article_url, build_sample_site
from crawler.outcome import (
    ARTICLE_PAGES,
    ARTICLE_REQUESTS,
    FAILED,
    KNOWN_SKIPPED,
    NOT_MODIFIED,
    REDIRECT_MERGED,
)

BY_SLUG = {a.slug: a for a in SAMPLE_ARTICLES}
TARGET = BY_SLUG["nursery-waiting-lists-shrink-for-fifth-straight-year"]
"""Listed, and the target of another listed URL's redirect."""
MOVED = BY_SLUG["magnitude-5-earthquake-jolts-ibaraki-no-tsunami-warning"]
"""Listed under an old URL only, which redirects to where it now lives."""


def _listed(slug: str, age: timedelta = timedelta(days=1)) -> SampleArticle:
    """A listed national URL whose page the test replaces."""
    return dataclasses.replace(TARGET, slug=slug, age=age)


def hostile_site(foreign: str) -> tuple[SampleSite, dict[str, int]]:
    """The sample site whose listings also link: 404s, 500s, a redirect loop, a redirect chain
    longer than Scrapy follows, off-site redirects (one to a live server at `foreign` that
    serves an article), a redirect to an article listed too, and an article moved to a URL no
    listing shows. Returns it with the failures a crawl must count."""
    old = dataclasses.replace(MOVED, slug=MOVED.slug + "-old")
    bad = {
        "gone-1": None, "gone-2": None,
        "down-1": Page(b"<html>down</html>", status=500),
        "down-2": Page(b"<html>down</html>", status=500),
        "loop": Page.redirect("/category/national/loop-hop", status=302),
        "chain": Page.redirect("/hop/0", status=302),
        "elsewhere-live": Page.redirect(f"{foreign}{article_path(TARGET)}"),
        "elsewhere-dead": Page.redirect("https://example.org/news/1"),
        # listed after the target (older), so the target is requested first
        "renamed": Page.redirect(article_url(TARGET)),
    }
    extra = [_listed(slug, TARGET.age + timedelta(minutes=5) if slug == "renamed"
                     else timedelta(days=1)) for slug in bad]
    articles = [a for a in SAMPLE_ARTICLES if a is not MOVED] + [old] + extra
    site = build_sample_site(SAMPLE_NOW, articles=articles)
    for article, page in zip(extra, bad.values(), strict=True):
        if page is None:
            del site.pages[article_path(article)]
        else:
            site.pages[article_path(article)] = page
    site.pages["/category/national/loop-hop"] = Page.redirect(
        article_path(_listed("loop")), status=302)
    for hop in range(30):  # Scrapy's REDIRECT_MAX_TIMES is 20
        site.pages[f"/hop/{hop}"] = Page.redirect(f"/hop/{hop + 1}", status=302)
    site.pages[article_path(old)] = Page.redirect(article_path(MOVED))
    site.pages[article_path(MOVED)] = build_sample_site(SAMPLE_NOW).pages[article_path(MOVED)]
    return site, {"HTTP 404": 2, "HTTP 500": 2, "redirect loop": 1, "too many redirects": 1,
                  "off-site redirect": 2}


def _failed(stats: dict) -> dict[str, int]:
    return {k.removeprefix(FAILED): v for k, v in stats.items() if k.startswith(FAILED)}


def _accounted(run: dict) -> int:
    """Where the run says its article requests went: each in one count only."""
    stats = run["stats"]
    return (stats.get(ARTICLE_PAGES, 0) + stats.get(f"{NOT_MODIFIED}/article", 0)
            + sum(_failed(stats).values()) + stats.get(REDIRECT_MERGED, 0))


def test_every_discovered_url_is_counted_once_and_no_redirect_leaves_the_outlet(db: str
                                                                                 ) -> None:
    elsewhere = build_sample_site(SAMPLE_NOW)
    with SiteServer(elsewhere) as foreign:
        site, failures = hostile_site(foreign.base_url.replace("127.0.0.1", "localhost"))
        with SiteServer(site) as mirror:
            first = crawl(db, mirror.base_url)
            second = crawl(db, mirror.base_url)  # incremental: stored articles not fetched
        assert foreign.requests == 0  # an off-site target is never fetched
    stats = first["stats"]
    listed = len(site.articles)
    assert stats[ARTICLE_REQUESTS] == listed
    assert _failed(stats) == failures
    assert stats[REDIRECT_MERGED] == 1
    assert _accounted(first) == listed
    # and each article page fetched is stored or dropped for a reason
    pages = stats[ARTICLE_PAGES]
    assert pages == listed - sum(failures.values()) - 1
    assert pages == first["articles_new"] + sum(first["dropped"].values())
    assert first["dropped"] == {"not_article": 1}

    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT url, canonical_url FROM articles").fetchall()
        raw_urls = {url for url, in conn.execute("SELECT url FROM raw_pages")}
    expected = {article_url(a) for a in SAMPLE_ARTICLES if a.kind != "not-article"}
    # the moved article under where it lives, by its URL as by its canonical link; nothing else
    assert {url for url, _ in stored} == {canonical for _, canonical in stored} == expected
    assert article_url(MOVED) in raw_urls and not any("-old" in url for url in raw_urls)
    assert all(url.startswith(ORIGIN + "/category/") for url in raw_urls)

    again = second["stats"]
    assert again.get(KNOWN_SKIPPED, 0) > 0
    assert again[ARTICLE_REQUESTS] + again[KNOWN_SKIPPED] == listed
    assert _accounted(second) == again[ARTICLE_REQUESTS]
    assert _failed(again) == failures
