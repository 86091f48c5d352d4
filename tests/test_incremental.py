"""Incremental crawls: the rules of crawler/incremental.py alone, the sample server's answers to
conditional requests, and the real engine crawling a site that changes between crawls, with the
crawl's clock injected (JPNEWS_NOW) so that no test depends on when it runs."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import psycopg
import pytest
from conftest import SAMPLE_NOW
from test_crawl import crawl

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import EDITED_SLUG, article_path, build_sample_site, published_at
from crawler.discovery import feed_entries, sitemap_entries
from crawler.incremental import (
    Fetch,
    FetchPolicy,
    KnownPage,
    RecheckSchedule,
    Validators,
)
from crawler.sources import JAPANTODAY, NIPPON_COM
from spiders.base import recheck_schedule

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=SAMPLE_NOW.tzinfo)
H = timedelta(hours=1)
URL = "https://japantoday.com/category/national/a-story"


# ---- the schedule --------------------------------------------------------------------------------

@pytest.mark.parametrize(("last_checked", "now", "due"), [
    (T0 + 0.5 * H, T0 + 0.9 * H, False),   # the 1 h age not reached yet
    (T0 + 0.5 * H, T0 + 1.1 * H, True),    # reached since the last check
    (T0 + 1.2 * H, T0 + 5 * H, False),     # checked after 1 h; 6 h not reached
    (T0 + 1.2 * H, T0 + 6.5 * H, True),
    (T0 + 73 * H, T0 + 500 * H, False),    # after 72 h: never again
    (T0 + 50 * H, T0 + 60 * H, False),     # first crawled late: 24 h lies before its check
    (T0 + 50 * H, T0 + 73 * H, True),      # ...and 72 h after it, once
])
def test_an_article_is_due_when_an_age_has_passed_since_its_last_check(
        last_checked: datetime, now: datetime, due: bool) -> None:
    assert RecheckSchedule().due(T0, last_checked, now) is due


def test_schedules_are_read_from_settings_and_never_means_never() -> None:
    assert RecheckSchedule.parse("72h, 1h").ages == (H, 72 * H)
    assert not RecheckSchedule.parse("never").due(T0, T0, T0 + 1000 * H)
    with pytest.raises(ValueError, match="not a re-check schedule"):
        RecheckSchedule.parse("1h,soon")
    # one for all outlets, or per outlet by JSON; an outlet not named keeps the registry's
    assert recheck_schedule("6h", JAPANTODAY).ages == (6 * H,)
    per_outlet = json.dumps({"nippon_com": "24h"})
    assert recheck_schedule(per_outlet, NIPPON_COM).ages == (24 * H,)
    assert recheck_schedule(per_outlet, JAPANTODAY).ages == JAPANTODAY.recheck_after
    assert recheck_schedule(None, JAPANTODAY).describe() == "1h, 6h, 1d, 3d"


# ---- the decisions -------------------------------------------------------------------------------

def _policy(now: datetime, **kwargs: object) -> FetchPolicy:
    known = {URL: KnownPage(URL, T0, T0 + 2 * H, Validators('"v1"', None))}
    return FetchPolicy(now=now, known=known, **kwargs)  # type: ignore[arg-type]


def test_a_known_article_is_skipped_until_due_and_then_asked_conditionally() -> None:
    assert _policy(T0 + 3 * H).article(URL).fetch is Fetch.SKIP
    due = _policy(T0 + 7 * H).article(URL)
    assert due.fetch is Fetch.RECHECK and due.headers == {"If-None-Match": '"v1"'}
    # the same URL spelt otherwise (tracking parameter, trailing slash) is the same page
    assert _policy(T0 + 3 * H).article(URL + "/?utm_source=rss").fetch is Fetch.SKIP


def test_a_listing_that_says_modified_after_our_check_makes_a_conditional_recheck() -> None:
    policy = _policy(T0 + 3 * H)
    assert policy.article(URL, listed_modified=T0 + 1 * H).fetch is Fetch.SKIP
    changed = policy.article(URL, listed_modified=T0 + 2.5 * H)
    assert changed.fetch is Fetch.LISTED_CHANGED and changed.headers
    assert policy.article(URL, listed_modified=T0 + 2.5 * H).fetch is Fetch.ALREADY


def test_new_articles_are_fetched_once_and_full_fetches_everything() -> None:
    policy = _policy(T0 + 3 * H)
    other = URL.replace("a-story", "another-story")
    assert policy.article(other).fetch is Fetch.NEW
    assert policy.article(other).fetch is Fetch.ALREADY  # listed by a second feed
    assert _policy(T0 + 3 * H, full=True).article(URL).fetch is Fetch.FULL
    assert _policy(T0 + 3 * H, full=True).article(URL).headers == {}


def test_due_articles_are_requested_even_when_no_feed_lists_them() -> None:
    policy = _policy(T0 + 7 * H)
    [(page, decision)] = policy.due_rechecks()
    assert page.url == URL and decision.headers == {"If-None-Match": '"v1"'}
    assert policy.article(URL).fetch is Fetch.ALREADY  # and not a second time when listed
    assert _policy(T0 + 3 * H).due_rechecks() == []


def test_a_known_article_listed_many_times_is_skipped_once_unless_fetched_after_all() -> None:
    policy = _policy(T0 + 3 * H)
    for _ in range(3):  # a feed, a section feed and a listing
        assert policy.article(URL).fetch is Fetch.SKIP
    assert policy.known_skipped == 1
    assert policy.article(URL, listed_modified=T0 + 2.5 * H).fetch is Fetch.LISTED_CHANGED
    assert policy.known_skipped == 0  # requested: counted there, not here too


def test_a_redirect_is_followed_unless_its_target_is_listed_too() -> None:
    policy = _policy(T0 + 3 * H)
    moved, listed, old = (URL.replace("a-story", name) for name in ("moved", "listed", "old"))
    assert policy.article(old).fetch is Fetch.NEW and policy.article(listed).fetch is Fetch.NEW
    assert policy.article(URL).fetch is Fetch.SKIP
    assert policy.redirected(old, old + "/")  # the same article
    assert not policy.redirected(old, listed)  # fetched by its own request
    assert not policy.redirected(old, URL)  # known, listed, not due: skipped
    assert policy.redirected(old, moved)
    assert policy.article(moved).fetch is Fetch.ALREADY  # listed after the redirect found it


def test_feed_validators_are_kept_only_after_a_clean_crawl() -> None:
    feed = "https://japantoday.com/feed"
    policy = FetchPolicy(now=T0, discovery={feed: Validators('"f1"', "Sun, 01 Nov 2026")})
    assert policy.discovery_headers(feed) == {"If-None-Match": '"f1"',
                                              "If-Modified-Since": "Sun, 01 Nov 2026"}
    policy.answered(feed, "feed", 304, {})  # a 304 keeps what we sent
    [kept] = policy.to_save(clean=True)
    assert kept.validators == Validators('"f1"', "Sun, 01 Nov 2026") and not kept.fetched
    policy.answered(feed, "feed", 200, {"ETag": '"f2"'})  # a 200 replaces it, all of it
    assert policy.to_save(clean=True)[0].validators == Validators('"f2"', None)
    assert policy.to_save(clean=False) == []


def test_feeds_and_sitemaps_give_the_time_an_entry_last_changed() -> None:
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://x.jp/a"/>'
            b"<published>2026-11-01T10:00:00Z</published>"
            b"<updated>2026-11-02T08:00:00Z</updated></entry></feed>")
    [entry] = feed_entries(atom, "https://x.jp/")
    assert (entry.published, entry.modified) == ("2026-11-01T10:00:00Z", "2026-11-02T08:00:00Z")
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
               b"<loc>https://x.jp/a</loc><lastmod>2026-11-03</lastmod></url></urlset>")
    [page], _ = sitemap_entries(sitemap, "https://x.jp/")
    assert page.modified == "2026-11-03"


# ---- the sample server ---------------------------------------------------------------------------

def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), answer.read()


def test_the_sample_site_answers_conditional_requests_as_real_servers_do() -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        url = server.base_url + "/feed"
        status, headers, body = _get(url)
        assert status == 200 and body and headers["ETag"].startswith('"')
        assert _get(url, **{"If-None-Match": headers["ETag"]})[:3:2] == (304, b"")
        assert _get(url, **{"If-None-Match": '"other", ' + headers["ETag"]})[0] == 304
        assert _get(url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert _get(url, **{"If-None-Match": '"other"'})[0] == 200
        # If-None-Match decides when both are sent (RFC 9110 13.2.2)
        assert _get(url, **{"If-None-Match": '"other"',
                            "If-Modified-Since": headers["Last-Modified"]})[0] == 200
        assert _get(url, **{"If-Modified-Since": "Sun, 01 Nov 2026 00:00:00 GMT"})[0] == 200
    with SiteServer(build_sample_site(SAMPLE_NOW, edition=2)) as server:
        path = article_path(next(a for a in SAMPLE_ARTICLES if a.slug == EDITED_SLUG))
        _, edited, _ = _get(server.base_url + path)
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        assert _get(server.base_url + path, **{"If-None-Match": edited["ETag"]})[0] == 200


# ---- crawls of a site that changes ---------------------------------------------------------------

def _crawl_at(db: str, site_server: SiteServer, now: datetime, *extra: str) -> dict:
    return crawl(db, site_server.base_url, "-s", f"JPNEWS_NOW={now.isoformat()}", *extra)


def _article_requests(server: SiteServer) -> dict[str, int]:
    paths = {article_path(a) for a in SAMPLE_ARTICLES}
    return {path: status for path, status in server.log if path in paths}


def test_a_second_crawl_right_after_the_first_fetches_no_article_page(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        first = _crawl_at(db, server, SAMPLE_NOW)
        asked_first = len(server.log)
        second = _crawl_at(db, server, SAMPLE_NOW + timedelta(minutes=10))
        log = server.log[asked_first:]
    assert first["article_pages"] == len(SAMPLE_ARTICLES) and first["not_modified"] == 0
    articles = {article_path(a) for a in SAMPLE_ARTICLES}
    assert not [path for path, _ in log if path in articles]
    discovery = [status for path, status in log if path != "/robots.txt"]
    assert discovery and set(discovery) == {304}
    assert second["finish_reason"] == "finished"
    assert (second["article_pages"], second["not_modified"]) == (0, len(discovery))
    assert (second["articles_new"], second["articles_unchanged"]) == (0, 0)


def _due(published: datetime | None, last_check: datetime, now: datetime) -> bool:
    """The test's own reading of the default schedule: an age of 1, 6, 24 or 72 hours after
    publication (or after the first fetch, for a page without a date) reached since the check."""
    anchor = published or last_check
    return any(last_check < anchor + age * H <= now for age in (1, 6, 24, 72))


def test_articles_due_by_age_are_asked_again_even_when_the_feeds_did_not_change(
        db: str) -> None:
    """Seven hours later, the same site: every feed answers 304, yet the articles that reached
    a re-check age are asked for, conditionally, and answer 304 in turn."""
    site = build_sample_site(SAMPLE_NOW)
    with SiteServer(site) as server:
        _crawl_at(db, server, SAMPLE_NOW)
        asked_first = len(server.log)
        run = _crawl_at(db, server, SAMPLE_NOW + 7 * H)
        asked = {path: status for path, status in server.log[asked_first:]
                 if path in _article_requests(server)}
    due = {article_path(a) for a in site.articles
           if _due(published_at(a, SAMPLE_NOW), SAMPLE_NOW, SAMPLE_NOW + 7 * H)}
    assert due and set(asked) == due and set(asked.values()) == {304}
    assert run["rechecks_due"] == len(due) and run["article_pages"] == 0
    assert run["not_modified"] > len(due)  # the articles' and the feeds' 304s
    assert (run["articles_new"], run["articles_updated"]) == (0, 0)


def test_a_site_that_grows_gets_new_articles_rechecks_and_the_edit(db: str) -> None:
    """Seven hours between two crawls: seven articles appeared, one was reworded, and the
    others that reached a re-check age are asked for conditionally (their pages changed too:
    the sidebar lists the new articles, so they answer 200 and are stored unchanged)."""
    first_at, second_at = SAMPLE_NOW - 7 * H, SAMPLE_NOW
    before = build_sample_site(SAMPLE_NOW, as_of=first_at)
    with SiteServer(before) as server:
        _crawl_at(db, server, first_at)
    after = build_sample_site(SAMPLE_NOW, edition=2)
    with SiteServer(after) as server:
        run = _crawl_at(db, server, second_at)
        asked = _article_requests(server)
    old = {article_path(a): a for a in before.articles}
    new = {article_path(a) for a in after.articles} - set(old)
    edited = next(p for p, a in old.items() if a.slug == EDITED_SLUG)
    due = {p for p, a in old.items()
           if _due(published_at(a, SAMPLE_NOW), first_at, second_at)}
    assert len(new) == 7 and edited in due
    assert set(asked) == new | due
    assert (run["articles_new"], run["articles_updated"]) == (len(new), 1)
    assert run["rechecks_due"] == len(due)
    assert run["article_pages"] == sum(status == 200 for status in asked.values())
    assert run["known_skipped"] > 0  # listed again, stored, not due


def test_with_rechecks_off_an_edit_is_still_found_through_the_feed(db: str) -> None:
    """The Atom feed's <updated> of the reworded article is after our last check: that alone
    makes it due, while nothing else stored is fetched again."""
    never = ("-s", "JPNEWS_RECHECK_AFTER=never")
    first_at = SAMPLE_NOW - 7 * H
    before = build_sample_site(SAMPLE_NOW, as_of=first_at)
    with SiteServer(before) as server:
        _crawl_at(db, server, first_at, *never)
    with SiteServer(build_sample_site(SAMPLE_NOW, edition=2)) as server:
        run = _crawl_at(db, server, SAMPLE_NOW, *never)
        asked = _article_requests(server)
    edited = article_path(next(a for a in SAMPLE_ARTICLES if a.slug == EDITED_SLUG))
    new = {article_path(a) for a in SAMPLE_ARTICLES} - {article_path(a) for a in before.articles}
    assert set(asked) == new | {edited}
    assert (run["articles_updated"], run["rechecks_due"]) == (1, 1)
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT max(version) FROM articles").fetchone()[0] == 2


def test_full_fetches_every_listed_article_unconditionally(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        _crawl_at(db, server, SAMPLE_NOW)
        asked_first = len(server.log)
        run = _crawl_at(db, server, SAMPLE_NOW, "-s", "JPNEWS_FULL_CRAWL=1")
        again = [(p, s) for p, s in server.log[asked_first:]]
    assert run["article_pages"] == len(SAMPLE_ARTICLES) and run["not_modified"] == 0
    assert run["articles_unchanged"] == len(SAMPLE_ARTICLES) - 1  # the non-article page
    assert {s for _, s in again} == {200}


def test_a_page_whose_article_was_not_stored_is_fetched_again(db: str) -> None:
    """The raw page of an article the database refused is stored, the article is not (it goes
    to the spill file): the next crawl must not take the page for known."""
    site = build_sample_site(SAMPLE_NOW)
    refused = site.articles[0]
    with psycopg.connect(db, autocommit=True) as conn:  # a fault of the database, injected
        conn.execute("ALTER TABLE articles ADD CONSTRAINT refuse_one CHECK (title <> %s)"
                     .replace("%s", "'" + refused.title.replace("'", "''") + "'"))
    try:
        with SiteServer(site) as server:
            first = _crawl_at(db, server, SAMPLE_NOW)
            with psycopg.connect(db, autocommit=True) as conn:
                conn.execute("ALTER TABLE articles DROP CONSTRAINT refuse_one")
            asked_first = len(server.log)
            second = _crawl_at(db, server, SAMPLE_NOW + timedelta(minutes=10))
            asked = [p for p, _ in server.log[asked_first:] if p in _article_requests(server)]
    finally:
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("ALTER TABLE articles DROP CONSTRAINT IF EXISTS refuse_one")
    assert first["articles_new"] == len(SAMPLE_ARTICLES) - 2  # the refused and the non-article
    assert asked == [article_path(refused)] and second["articles_new"] == 1
