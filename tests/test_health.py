"""`jpnews health`: verdict rules on constructed rows, then the real command on real crawls."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from prometheus_client.parser import text_string_to_metric_families
from test_crawl import crawl

from crawler import health as h
from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site
from crawler.health import BROKEN, NEVER, OK, WARNING, ArticleRow, RunRow, exit_status, judge
from crawler.sources import SOURCES

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
OWN = {"title": "selectors", "body": "selectors", "published": "jsonld", "authors": "selectors",
       "parser": "JapanTodayPage"}
GENERIC = {"title": "generic", "body": "generic", "published": "jsonld", "authors": "selectors",
           "parser": "ArticlePage", "layout": "unknown"}


def run(at: datetime, *, requests: int = 100, statuses: dict[int, int] | None = None,
        reason: str = "finished") -> RunRow:
    stats = {"downloader/request_count": requests,
             **{f"downloader/response_status_count/{k}": v
                for k, v in (statuses or {200: requests}).items()}}
    return RunRow("japantoday", at, reason, stats, {"not_article": 1})


def history(*, recent: dict | None = None, hourly_until: datetime = NOW,
            ) -> tuple[list[RunRow], list[ArticleRow], dict[str, datetime]]:
    """Eight days of an outlet crawled hourly, a new article every hour."""
    runs, articles = [], []
    at = NOW - timedelta(days=8)
    while at <= hourly_until:
        runs.append(run(at))
        prov = recent if recent is not None and at > NOW - h.RECENT else OWN
        articles.append(ArticleRow("japantoday", at, prov))
        at += timedelta(hours=1)
    return runs, articles, {"japantoday": articles[-1].first_seen_at}


def verdict(runs: list[RunRow], articles: list[ArticleRow], last_seen: dict[str, datetime]
            ) -> h.OutletHealth:
    return judge(["japantoday"], runs, articles, last_seen, NOW)[0]


def test_a_steady_outlet_is_ok() -> None:
    result = verdict(*history())
    assert result.verdict == OK, result.reasons
    assert result.new_24h == 24 and result.daily_median_7d == 24
    assert result.generic_share_24h == 0
    assert result.usual_interval_s == 3600


def test_403s_make_an_outlet_broken() -> None:
    runs, articles, seen = history()
    runs[-1] = run(NOW, statuses={403: 60, 200: 40})  # the last run is blocked
    result = verdict(runs, articles, seen)
    assert result.verdict == BROKEN
    # diluted over the day's runs the rate is small: the last run alone decides
    assert 0 < result.http_403_rate < h.HTTP_403_WARN
    assert result.reasons == ["60% of requests in the last run answered 403 Forbidden"]
    assert exit_status([result]) == 2


def test_a_jump_of_the_generic_layer_share_is_reported_with_its_reason() -> None:
    result = verdict(*history(recent=GENERIC))
    assert result.verdict == BROKEN
    assert result.generic_share_7d == 0 and result.generic_share_24h == 0.5
    assert any("generic layer rose from 0% to 50%" in r for r in result.reasons), result.reasons
    assert any("layout no parser" in r for r in result.reasons)
    assert result.unknown_layout_24h == 24


def test_a_small_jump_is_a_warning() -> None:
    partly = {**OWN, "title": "generic"}  # 1 of 4 fields: 25 %
    result = verdict(*history(recent=partly))
    assert result.verdict == WARNING
    assert any("generic layer rose from 0% to 25%" in r for r in result.reasons), result.reasons


def test_an_outlet_without_new_articles_for_many_intervals_is_stale() -> None:
    runs, articles, seen = history(hourly_until=NOW - timedelta(hours=6))
    runs.append(run(NOW - timedelta(minutes=10)))  # still crawled, nothing new
    result = verdict(runs, articles, seen)
    assert result.verdict == WARNING
    assert any("no new article for 6.0 h" in r for r in result.reasons), result.reasons
    runs, articles, seen = history(hourly_until=NOW - timedelta(hours=20))
    runs.append(run(NOW - timedelta(minutes=10)))
    assert verdict(runs, articles, seen).verdict == BROKEN


def test_an_interrupted_last_run_is_no_warning_but_the_run_before_it_is_judged() -> None:
    runs, articles, seen = history()
    runs[-1] = run(NOW, reason="interrupted")  # the scheduler was stopped (a deploy)
    result = verdict(runs, articles, seen)
    assert result.verdict == OK, result.reasons
    runs[-2] = run(NOW - timedelta(hours=1), reason="failed")
    result = verdict(runs, articles, seen)
    assert result.verdict == WARNING
    assert result.reasons == ["last run ended 'failed'"]


def test_runs_that_are_always_interrupted_are_no_success() -> None:
    runs, articles, seen = history()
    interrupted = [RunRow(r.spider, r.started_at, "interrupted", r.stats, r.dropped)
                   for r in runs]
    result = verdict(interrupted, articles, seen)
    assert result.verdict == BROKEN
    assert result.reasons[0] == "no successful run in the last 2 days"


def test_a_slow_outlet_is_judged_by_its_crawl_interval() -> None:
    """Japan Forward is crawled every two hours (the registry): its new articles arrive in
    bursts that far apart, so three quiet hours are one empty crawl, not a stale outlet."""
    every = SOURCES["japanforward"].crawl_every
    runs, articles = [], []
    at = NOW - timedelta(days=8)
    while at <= NOW - timedelta(hours=3):
        runs.append(RunRow("japanforward", at, "finished", {"downloader/request_count": 20}, {}))
        articles += [ArticleRow("japanforward", at + timedelta(seconds=s), OWN) for s in (0, 5)]
        at += every
    runs.append(RunRow("japanforward", at, "finished", {"downloader/request_count": 20}, {}))
    result = judge(["japanforward"], runs, articles,
                   {"japanforward": articles[-1].first_seen_at}, NOW)[0]
    assert result.verdict == OK, result.reasons
    assert result.usual_interval_s == every.total_seconds()


def test_a_day_far_below_the_weekly_median_is_a_warning() -> None:
    runs, articles, seen = history()
    recent = [a for a in articles if a.first_seen_at > NOW - h.RECENT]
    kept = [a for a in articles if a not in recent[:-3]]  # 3 of the day's 24 remain, the last
    result = verdict(runs, kept, seen)
    assert result.verdict == WARNING
    assert result.reasons == ["3 new articles in 24 h against a daily median of 24 over the "
                              "previous 7 days"]


def test_a_failed_monitor_of_the_last_run_is_a_warning() -> None:
    runs, articles, seen = history()
    failed = {"monitors": {
        "field coverage": {"status": "failed",
                           "reason": "Article/published_at (expected 0.8, got 0.1)"},
        "item validation": {"status": "passed", "reason": ""},
        "error count": {"status": "skipped", "reason": "not checked: no SPIDERMON_MAX_ERRORS"}}}
    last = runs[-1]
    runs[-1] = dataclasses.replace(last, monitors=failed)
    result = verdict(runs, articles, seen)
    assert result.verdict == WARNING
    assert result.reasons == ["the field coverage monitor failed in the last run: "
                              "Article/published_at (expected 0.8, got 0.1)"]
    # the run before failed, the last one passed: the failure is over
    runs[-2:] = [dataclasses.replace(runs[-2], monitors=failed), last]
    assert verdict(runs, articles, seen).verdict == OK


def test_never_crawled_is_no_alert() -> None:
    runs, articles, seen = history()
    report = judge(["japantoday", "kyodo"], runs, articles, seen, NOW)
    assert [r.verdict for r in report] == [OK, NEVER]
    assert exit_status(report) == 0
    assert exit_status([judge(["kyodo"], [], [], {}, NOW)[0]]) == 0


def test_health_command_on_real_crawls(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        crawl(db, server.base_url)
        crawl(db, server.base_url)
    with psycopg.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    done = run_jpnews("health", "--json", "--database-url", db)
    assert done.returncode == 0, done.stderr
    report = {o["outlet"]: o for o in map(json.loads, done.stdout.splitlines())}
    assert report["japantoday"]["verdict"] == OK, report["japantoday"]
    assert report["japantoday"]["new_24h"] == stored > 0
    assert report["japantoday"]["http_403_rate"] == 0
    assert report["kyodo"]["verdict"] == NEVER

    done = run_jpnews("health", "--prometheus", "--database-url", db)
    assert done.returncode == 0, done.stderr
    families = {f.name: f for f in text_string_to_metric_families(done.stdout)}
    verdicts = {s.labels["outlet"]: s.value for s in families["jpnews_outlet_health"].samples}
    assert verdicts["japantoday"] == 0 and verdicts["kyodo"] == -1
    new = {s.labels["outlet"]: s.value for s in families["jpnews_new_articles_24h"].samples}
    assert new == {"japantoday": stored}
    assert "# HELP jpnews_http_error_rate" in done.stdout
