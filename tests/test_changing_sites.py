"""Sites that change between crawls, and what `jpnews health` says of them: one story over
several crawls of two outlets, Japan Today's sample site and The Japan Times' fixture site.

Every crawl runs the real pipeline against loopback servers with its clock injected
(JPNEWS_NOW): dates, due re-checks and the times the store records (a run's start and end, an
article's first sighting) are the crawl's. `jpnews health` is judged at an injected instant of
the same clock, so no verdict depends on when the test runs.

The story, with T the sample site's instant:
  T-6d .. T-1d  a crawl a day; both sites grow; health at T-1d: both ok.
  T-6h          Japan Today rewords an article: a second version is stored.
  T             Japan Today's articles published since T-6h come in a layout no parser of it
                knows: its fields come from the generic layer; health: Japan Today broken with
                that reason, The Japan Times ok.
  T+1h          The Japan Times answers 403 to every request: its run fails; health: broken,
                naming the 403s.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import datetime, timedelta

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from prometheus_client.parser import text_string_to_metric_families
from test_crawl_outlets import outlet_site

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import (
    EDITED_SLUG,
    Page,
    SampleSite,
    article_path,
    article_url,
    build_sample_site,
    published_at,
)

T = SAMPLE_NOW
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
DAYS = [T - k * DAY for k in range(6, 0, -1)]
EDIT_AT, BREAK_AT, BLOCK_AT = T - 6 * HOUR, T, T + HOUR
JUDGED_AFTER = timedelta(minutes=10)
"""How long after a crawl health is asked."""
SECOND = "japantimes"
SECOND_GROWTH = {DAYS[0]: 1, DAYS[2]: 2, DAYS[4]: 3}
"""The Japan Times' fixture pages served from each instant on: a new article every other day."""

BEFORE_REDESIGN = [dataclasses.replace(a, kind="standard") if a.kind == "redesign" else a
                   for a in SAMPLE_ARTICLES]
"""The sample site with every article in the outlet's own layout: its redesign is the story's."""


STRUCTURED_DATA = re.compile(rb'<script type="application/ld\+json">.*?</script>'
                             rb'|<meta (?:property|name)="(?:og|article|twitter):[^>]*>', re.S)


def relaunched_since(since: datetime) -> SampleSite:
    """Japan Today at T, its articles published after `since` in new templates: a layout no
    parser of the outlet knows, without the JSON-LD and OpenGraph tags the old pages had: their
    title and body come from the generic layer, and nothing finds their date."""
    new = [dataclasses.replace(a, kind="redesign") for a in BEFORE_REDESIGN
           if (published_at(a, T) or since) > since]
    renewed = {a.slug: a for a in new}
    site = build_sample_site(T, edition=2,
                             articles=[renewed.get(a.slug, a) for a in BEFORE_REDESIGN])
    for a in new:
        page = site.pages[article_path(a)]
        site.pages[article_path(a)] = dataclasses.replace(
            page, body=STRUCTURED_DATA.sub(b"", page.body))
    return site


def second_site(at: datetime) -> SampleSite:
    count = max(n for since, n in SECOND_GROWTH.items() if since <= at)
    site, _ = outlet_site(SECOND, count=count)
    return dataclasses.replace(site, now=at)


def forbidden(site: SampleSite, asked: Sequence[str]) -> SampleSite:
    """The site answering 403 to every page it has and every path ever asked of it."""
    refusal = Page(b"<html><body><h1>403 Forbidden</h1></body></html>", status=403)
    return dataclasses.replace(site, pages=dict.fromkeys([*site.pages, *asked], refusal))


def crawl(db: str, at: datetime, sites: dict[str, SampleSite]
          ) -> tuple[int, str, dict[str, list[str]]]:
    """`jpnews crawl` of both outlets in one process at the instant `at`; its exit status,
    stderr and the paths each server was asked."""
    with ExitStack() as stack:
        servers = {o: stack.enter_context(SiteServer(site)) for o, site in sites.items()}
        args = ["crawl", *sites, "--database-url", db, "-s", f"JPNEWS_NOW={at.isoformat()}",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0",
                "-s", "RETRY_TIMES=0", "-s", "JPNEWS_MAX_LISTING_PAGES=10"]
        for outlet, server in servers.items():
            args += ["--base-url", f"{outlet}={server.base_url}"]
        done = run_jpnews(*args)
        asked = {o: [path for path, _ in s.log] for o, s in servers.items()}
    return done.returncode, done.stderr, asked


def health(db: str, at: datetime, *flags: str) -> tuple[int, str]:
    done = run_jpnews("health", *flags, "--database-url", db,
                      env={"JPNEWS_NOW": (at + JUDGED_AFTER).isoformat()})
    assert done.returncode in (0, 1, 2), done.stderr
    return done.returncode, done.stdout


def health_json(db: str, at: datetime) -> tuple[int, dict[str, dict]]:
    status, out = health(db, at, "--json")
    return status, {o["outlet"]: o for o in map(json.loads, out.splitlines())}


def test_sites_that_change_between_crawls_and_what_health_says(db: str) -> None:
    asked_second: list[str] = []
    stored_by_day = []
    for day in DAYS:
        status, err, asked = crawl(db, day, {
            "japantoday": build_sample_site(T, as_of=day, articles=BEFORE_REDESIGN),
            SECOND: second_site(day)})
        assert status == 0, err[-3000:]
        asked_second += asked[SECOND]
        with psycopg.connect(db) as conn:
            stored_by_day.append(dict(conn.execute(
                "SELECT source, count(*) FROM articles GROUP BY source").fetchall()))

    # ---- new articles appeared between crawls, and each was first seen by its crawl's clock
    jt = [n["japantoday"] for n in stored_by_day]
    assert jt == sorted(jt) and len(set(jt)) == len(DAYS)  # more every day
    assert [n[SECOND] for n in stored_by_day] == [1, 1, 2, 2, 3, 3]
    with psycopg.connect(db) as conn:
        seen = {url: at for url, at in conn.execute(
            "SELECT canonical_url, first_seen_at FROM articles WHERE source = 'japantoday'")}
        runs = conn.execute("SELECT spider, started_at, finished_at, finish_reason "
                            "FROM crawl_runs ORDER BY id").fetchall()
    dated = {article_url(a): published for a in BEFORE_REDESIGN
             if (published := published_at(a, T)) and published <= DAYS[-1]}
    assert dated and set(dated) <= set(seen)
    for url, published in dated.items():  # first seen by the first crawl after publication
        assert seen[url] == min(d for d in DAYS if d >= published), url
    assert sorted(runs) == sorted((spider, day, day, "finished") for day in DAYS
                                  for spider in ("japantoday", SECOND))

    status, report = health_json(db, DAYS[-1])
    assert report["japantoday"]["verdict"] == "ok", report["japantoday"]
    assert report[SECOND]["verdict"] == "ok", report[SECOND]
    assert report["japantoday"]["new_24h"] == jt[-1] - jt[-2]
    assert status == 0

    # ---- an edit: the reworded article is stored as a second version
    status, err, _ = crawl(db, EDIT_AT, {
        "japantoday": build_sample_site(T, edition=2, as_of=EDIT_AT, articles=BEFORE_REDESIGN),
        SECOND: second_site(EDIT_AT)})
    assert status == 0, err[-3000:]
    edited = next(a for a in SAMPLE_ARTICLES if a.slug == EDITED_SLUG)
    with psycopg.connect(db) as conn:
        versions = conn.execute(
            "SELECT v.version, v.crawled_at FROM article_versions v JOIN articles a "
            "ON a.id = v.article_id WHERE a.canonical_url = %s ORDER BY v.version",
            (article_url(edited),)).fetchall()
    assert [v for v, _ in versions] == [1, 2]
    assert versions[1][1] == EDIT_AT

    # ---- Japan Today's new pages come in a layout its parser does not know
    broken_site = relaunched_since(EDIT_AT)
    status, err, _ = crawl(db, BREAK_AT, {"japantoday": broken_site,
                                          SECOND: second_site(BREAK_AT)})
    assert status == 0, err[-3000:]
    status, report = health_json(db, BREAK_AT)
    jt_health = report["japantoday"]
    assert jt_health["verdict"] == "broken", jt_health
    assert any("from the generic layer rose from" in r and "own rules stopped matching" in r
               for r in jt_health["reasons"]), jt_health["reasons"]
    assert jt_health["generic_share_24h"] > jt_health["generic_share_7d"]
    assert report[SECOND]["verdict"] == "ok", report[SECOND]
    assert status == 2
    text_status, text = health(db, BREAK_AT)
    assert text_status == status
    assert "japantoday: broken" in text and "own rules stopped matching" in text
    assert f"{SECOND}: ok" in text

    # ---- The Japan Times answers 403 to everything
    blocked = forbidden(second_site(BLOCK_AT), asked_second)
    status, err, asked = crawl(db, BLOCK_AT, {"japantoday": broken_site, SECOND: blocked})
    assert status != 0 and f"crawl failed: {SECOND}" in err, err[-3000:]
    with psycopg.connect(db) as conn:
        reasons = dict(conn.execute(
            "SELECT spider, finish_reason FROM crawl_runs WHERE started_at = %s",
            (BLOCK_AT,)).fetchall())
    assert reasons == {"japantoday": "finished", SECOND: "failed"}
    with psycopg.connect(db) as conn:  # one outlet's errors are not another's, in one process
        error_count = dict(conn.execute(
            """SELECT spider, monitors->'monitors'->'error count'->>'status' FROM crawl_runs
               WHERE started_at = %s""", (BLOCK_AT,)).fetchall())
    assert error_count["japantoday"] == "passed", error_count
    status, report = health_json(db, BLOCK_AT)
    assert report[SECOND]["verdict"] == "broken", report[SECOND]
    assert "100% of requests in the last run answered 403 Forbidden" in report[SECOND]["reasons"]
    assert report["japantoday"]["verdict"] == "broken"
    assert status == 2

    status, out = health(db, BLOCK_AT, "--prometheus")
    assert status == 2
    families = {f.name: f for f in text_string_to_metric_families(out)}
    verdicts = {s.labels["outlet"]: s.value for s in families["jpnews_outlet_health"].samples}
    assert verdicts["japantoday"] == 2 and verdicts[SECOND] == 2
    rates = {(s.labels["outlet"], s.labels["status"]): s.value
             for s in families["jpnews_http_error_rate"].samples}
    assert rates[(SECOND, "403")] > 0


def test_health_refuses_an_injected_instant_it_cannot_read(db: str) -> None:
    done = run_jpnews("health", "--database-url", db, env={"JPNEWS_NOW": "yesterday"})
    assert done.returncode == 1 and not done.stdout  # as every user error of jpnews
    assert done.stderr.strip().splitlines() == [
        "jpnews: error: JPNEWS_NOW: not an ISO date or date-time: 'yesterday'"]
