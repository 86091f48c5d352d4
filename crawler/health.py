"""Health of each outlet, judged from its crawl history: pure computation over rows.

The rows come from `crawler.storage.health_rows`; time is the caller's `now`, so the verdicts
of a given history are the same whenever they are computed (tests inject the clock).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from crawler.monitors import ERROR, FAILED
from crawler.outcome import INTERRUPTED
from crawler.parsers import UNKNOWN_LAYOUT
from crawler.sources import SOURCES

RECENT = timedelta(hours=24)
"""The window judged: new articles, request rates and the generic-layer share of the last day."""
BASELINE_DAYS = 7
"""The trailing days before the recent window that the recent window is compared with."""

HTTP_403_WARN, HTTP_403_BROKEN = 0.05, 0.20
"""Share of requests answered 403: a block by the site is the commonest silent failure."""
HTTP_429_WARN, HTTP_429_BROKEN = 0.10, 0.50
HTTP_5XX_WARN, HTTP_5XX_BROKEN = 0.10, 0.50
DROP_RATE_WARN = 0.50
"""Dropped items per request, all reasons together: most pages dropped means extraction fails."""

GENERIC_JUMP_WARN, GENERIC_JUMP_BROKEN = 0.15, 0.35
"""Rise of the share of fields from the generic layer, recent window over the baseline: the
outlet's own rules stopped matching, which is what a site redesign does."""
UNKNOWN_LAYOUT_WARN, UNKNOWN_LAYOUT_BROKEN = 0.20, 0.50
"""Share of recent articles that no parser of the outlet recognised."""
MIN_ARTICLES_FOR_SHARE = 3
"""Fewer recent or baseline articles than this say nothing about a share."""

LOW_VOLUME_RATIO = 0.25
"""New articles in the last day below this fraction of the baseline daily median: a warning."""
MIN_MEDIAN_FOR_VOLUME = 4
"""A baseline median below this is too small for the volume rule (weeklies, quiet days)."""

STALE_WARN_FACTOR, STALE_BROKEN_FACTOR = 4, 12
"""No new article for this many times the outlet's usual interval between new articles."""
MIN_INTERVAL = timedelta(minutes=30)
"""Floor of the usual interval: a burst of articles stored by one crawl is not a rhythm. The
outlet's crawl interval (`Source.crawl_every`) is a floor too: nothing can be seen new more
often than the outlet is crawled."""
MIN_GAPS_FOR_INTERVAL = 3

NO_SUCCESS_BROKEN = timedelta(days=2)
"""Runs but no finished run for this long: broken."""

OK, WARNING, BROKEN, NEVER = "ok", "warning", "broken", "never crawled"
EXIT_STATUS = {OK: 0, WARNING: 1, BROKEN: 2}
_RANK = {OK: 0, WARNING: 1, BROKEN: 2}
_NOT_FIELDS = {"parser", "layout", "imported"}
"""Provenance keys that describe the page, not where a field came from."""


@dataclass(frozen=True)
class RunRow:
    spider: str
    started_at: datetime
    finish_reason: str | None
    stats: dict[str, Any]
    dropped: dict[str, int]
    finished_at: datetime | None = None
    monitors: dict[str, Any] | None = None
    """The in-run monitors' results (crawler/monitors.py); None before they existed."""


@dataclass(frozen=True)
class ArticleRow:
    source: str
    first_seen_at: datetime
    provenance: dict[str, Any]


@dataclass
class OutletHealth:
    outlet: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    last_run: datetime | None = None
    last_success: datetime | None = None
    last_new_article: datetime | None = None
    new_24h: int = 0
    daily_median_7d: float = 0.0
    requests_24h: int = 0
    http_403_rate: float = 0.0
    http_429_rate: float = 0.0
    http_5xx_rate: float = 0.0
    drop_rates: dict[str, float] = field(default_factory=dict)
    generic_share_24h: float | None = None
    generic_share_7d: float | None = None
    unknown_layout_24h: int = 0
    usual_interval_s: float | None = None

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("last_run", "last_success", "last_new_article"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def judge(outlets: list[str], runs: list[RunRow], articles: list[ArticleRow],
          last_seen: dict[str, datetime], now: datetime) -> list[OutletHealth]:
    """One verdict per outlet, in the order given. `articles` covers at least the recent window
    and the baseline; `last_seen` is each outlet's newest first_seen_at, however old."""
    return [_judge_one(o, [r for r in runs if r.spider == o],
                       [a for a in articles if a.source == o], last_seen.get(o), now)
            for o in outlets]


def exit_status(report: list[OutletHealth]) -> int:
    """The worst verdict among outlets with a crawl history."""
    return max((EXIT_STATUS[h.verdict] for h in report if h.verdict != NEVER), default=0)


def _judge_one(outlet: str, runs: list[RunRow], articles: list[ArticleRow],
               last_seen: datetime | None, now: datetime) -> OutletHealth:
    if not runs:
        return OutletHealth(outlet, NEVER, ["never crawled"], last_new_article=last_seen)
    health = OutletHealth(outlet, OK, last_new_article=last_seen)
    found: list[tuple[str, str]] = []
    recent_start = now - RECENT
    baseline_start = recent_start - timedelta(days=BASELINE_DAYS)

    health.last_run = max(r.started_at for r in runs)
    successes = [r.started_at for r in runs if r.finish_reason == "finished"]
    health.last_success = max(successes, default=None)
    latest = max(runs, key=lambda r: r.started_at)
    # A run stopped by a signal (a deploy, a restart) says nothing of the outlet: the last run
    # that ended by itself is judged. It is no success either, so an outlet whose runs are
    # always stopped before they end still falls under the two-day rule.
    ended = [r for r in runs if r.finish_reason != INTERRUPTED]
    last_ended = max(ended, key=lambda r: r.started_at) if ended else None
    if health.last_success is None or health.last_success < now - NO_SUCCESS_BROKEN:
        found.append((BROKEN, "no successful run in the last "
                      f"{NO_SUCCESS_BROKEN.days} days"))
    elif last_ended is not None and last_ended.finish_reason not in ("finished", None):
        found.append((WARNING, f"last run ended {last_ended.finish_reason!r}"))

    found += _monitors(latest)
    found += _rates(health, [r for r in runs if r.started_at > recent_start] or [latest], latest)
    found += _volume(health, articles, recent_start, baseline_start, now)
    found += _generic(health, articles, recent_start, baseline_start)
    found += _staleness(health, articles, last_seen, baseline_start, now)

    worst = max((_RANK[v] for v, _ in found), default=0)
    health.verdict = next(k for k, rank in _RANK.items() if rank == worst)
    health.reasons = [reason for verdict, reason in found if _RANK[verdict] == worst] or \
        ["every rule passes"]
    if worst:  # the lesser findings still help whoever reads the report
        health.reasons += [reason for verdict, reason in found if 0 < _RANK[verdict] < worst]
    return health


def _monitors(latest: RunRow) -> list[tuple[str, str]]:
    """The last run's failed in-run monitors: each a warning, with the monitor's own reason.
    Only the last run's: an earlier run's failure that the next run no longer has is over."""
    results = (latest.monitors or {}).get("monitors", {})
    return [(WARNING, f"the {name} monitor failed in the last run: {result['reason']}")
            for name, result in sorted(results.items())
            if result.get("status") in (FAILED, ERROR)]


def _level(value: float, warn: float, broken: float) -> str | None:
    return BROKEN if value >= broken else WARNING if value >= warn else None


def _counts(runs: list[RunRow]) -> tuple[int, Counter[int], Counter[str]]:
    """Requests, responses by status and drops by reason, from the Scrapy stats runs stored."""
    requests = sum(int(r.stats.get("downloader/request_count", 0)) for r in runs)
    status: Counter[int] = Counter()
    drops: Counter[str] = Counter()
    for run in runs:
        for key, value in run.stats.items():
            if key.startswith("downloader/response_status_count/"):
                code = key.rsplit("/", 1)[-1]
                if code.isdigit():
                    status[int(code)] += int(value)
        drops.update({k: int(v) for k, v in run.dropped.items()})
    return requests, status, drops


def _http_rates(requests: int, status: Counter[int]) -> dict[str, float]:
    return {"403 Forbidden": status[403] / requests,
            "429 Too Many Requests": status[429] / requests,
            "5xx server errors": sum(v for k, v in status.items() if 500 <= k < 600) / requests}


_HTTP_LIMITS = {"403 Forbidden": (HTTP_403_WARN, HTTP_403_BROKEN),
                "429 Too Many Requests": (HTTP_429_WARN, HTTP_429_BROKEN),
                "5xx server errors": (HTTP_5XX_WARN, HTTP_5XX_BROKEN)}


def _rates(health: OutletHealth, window: list[RunRow], latest: RunRow
           ) -> list[tuple[str, str]]:
    """Rates over the recent window are reported; the verdict takes the worse of the window and
    the last run, so a block that began an hour ago is not diluted by a good morning."""
    requests, status, drops = _counts(window)
    health.requests_24h = requests
    if not requests:
        return []
    rates = _http_rates(requests, status)
    health.http_403_rate, health.http_429_rate, health.http_5xx_rate = rates.values()
    health.drop_rates = {k: v / requests for k, v in sorted(drops.items())}
    last_requests, last_status, _ = _counts([latest])
    last = _http_rates(last_requests, last_status) if last_requests else rates
    found = []
    for name, (warn, broken) in _HTTP_LIMITS.items():
        rate, where = max((rates[name], "in 24 h"), (last[name], "in the last run"))
        level = _level(rate, warn, broken)
        if level:
            found.append((level, f"{rate:.0%} of requests {where} answered {name}"))
    dropped = sum(drops.values()) / requests
    if dropped >= DROP_RATE_WARN:
        top = ", ".join(f"{k} {v}" for k, v in drops.most_common(3))
        found.append((WARNING, f"{dropped:.0%} of requests in 24 h dropped ({top})"))
    return found


def _volume(health: OutletHealth, articles: list[ArticleRow], recent_start: datetime,
            baseline_start: datetime, now: datetime) -> list[tuple[str, str]]:
    health.new_24h = sum(recent_start < a.first_seen_at <= now for a in articles)
    per_day = Counter((recent_start - a.first_seen_at) // timedelta(days=1) for a in articles
                      if baseline_start < a.first_seen_at <= recent_start)
    health.daily_median_7d = float(statistics.median(
        per_day.get(day, 0) for day in range(BASELINE_DAYS)))
    if health.daily_median_7d >= MIN_MEDIAN_FOR_VOLUME and \
            health.new_24h < LOW_VOLUME_RATIO * health.daily_median_7d:
        return [(WARNING, f"{health.new_24h} new articles in 24 h against a daily median of "
                 f"{health.daily_median_7d:g} over the previous {BASELINE_DAYS} days")]
    return []


def generic_share(articles: list[ArticleRow]) -> float | None:
    """Fields answered by the generic layer, over all fields that have a recorded layer."""
    layers = [layer for a in articles for key, layer in a.provenance.items()
              if key not in _NOT_FIELDS]
    return sum(layer == "generic" for layer in layers) / len(layers) if layers else None


def _generic(health: OutletHealth, articles: list[ArticleRow], recent_start: datetime,
             baseline_start: datetime) -> list[tuple[str, str]]:
    recent = [a for a in articles if a.first_seen_at > recent_start]
    baseline = [a for a in articles if baseline_start < a.first_seen_at <= recent_start]
    health.generic_share_24h = generic_share(recent)
    health.generic_share_7d = generic_share(baseline)
    health.unknown_layout_24h = sum(a.provenance.get("layout") == UNKNOWN_LAYOUT for a in recent)
    found = []
    if len(recent) >= MIN_ARTICLES_FOR_SHARE and len(baseline) >= MIN_ARTICLES_FOR_SHARE:
        now_share, before = health.generic_share_24h or 0.0, health.generic_share_7d or 0.0
        level = _level(now_share - before, GENERIC_JUMP_WARN, GENERIC_JUMP_BROKEN)
        if level:
            found.append((level, f"fields from the generic layer rose from {before:.0%} to "
                          f"{now_share:.0%}: the outlet's own rules stopped matching "
                          "(a redesign?)"))
    if len(recent) >= MIN_ARTICLES_FOR_SHARE:
        share = health.unknown_layout_24h / len(recent)
        level = _level(share, UNKNOWN_LAYOUT_WARN, UNKNOWN_LAYOUT_BROKEN)
        if level:
            found.append((level, f"{health.unknown_layout_24h} of {len(recent)} new articles "
                          "in 24 h have a layout no parser of the outlet recognises"))
    return found


def _staleness(health: OutletHealth, articles: list[ArticleRow], last_seen: datetime | None,
               baseline_start: datetime, now: datetime) -> list[tuple[str, str]]:
    seen = sorted(a.first_seen_at for a in articles if a.first_seen_at >= baseline_start)
    gaps = [later - earlier for earlier, later in pairwise(seen)]
    gaps = [g for g in gaps if g > timedelta(0)]  # one crawl stores many at once
    if len(gaps) < MIN_GAPS_FOR_INTERVAL or last_seen is None:
        return []
    crawled = SOURCES[health.outlet].crawl_every if health.outlet in SOURCES else MIN_INTERVAL
    interval = max(statistics.median(gaps), MIN_INTERVAL, crawled)
    health.usual_interval_s = interval.total_seconds()
    quiet = now - last_seen
    level = _level(quiet / interval, STALE_WARN_FACTOR, STALE_BROKEN_FACTOR)
    if not level:
        return []
    return [(level, f"no new article for {_hours(quiet)}, {quiet / interval:.0f} times the "
             f"usual interval of {_hours(interval)}")]


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def prometheus_text(report: list[OutletHealth]) -> str:
    """The report in the Prometheus text exposition format, from a registry of its own (the
    process-wide default one would add this process's own metrics)."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    registry = CollectorRegistry()

    def gauge(name: str, doc: str, *labels: str) -> Gauge:
        return Gauge(f"jpnews_{name}", doc, ["outlet", *labels], registry=registry)

    verdict = gauge("outlet_health", "Outlet verdict: 0 ok, 1 warning, 2 broken, -1 never "
                    "crawled")
    last_run = gauge("last_run_timestamp_seconds", "Start of the outlet's last crawl run")
    last_ok = gauge("last_success_timestamp_seconds", "Start of the last finished crawl run")
    new = gauge("new_articles_24h", "Articles first seen in the last 24 hours")
    median = gauge("new_articles_daily_median_7d", "Median new articles per day, previous 7 "
                   "days")
    requests = gauge("requests_24h", "Requests made by the runs of the last 24 hours")
    http = gauge("http_error_rate", "Share of requests answered with this status", "status")
    drops = gauge("drop_rate", "Dropped items per request, by reason", "reason")
    generic = gauge("generic_field_share", "Share of fields from the generic layer", "window")
    unknown = gauge("unknown_layout_articles_24h", "New articles whose layout no parser knows")
    for h in report:
        verdict.labels(h.outlet).set(EXIT_STATUS.get(h.verdict, -1))
        if h.verdict == NEVER:
            continue
        if h.last_run:
            last_run.labels(h.outlet).set(h.last_run.timestamp())
        if h.last_success:
            last_ok.labels(h.outlet).set(h.last_success.timestamp())
        new.labels(h.outlet).set(h.new_24h)
        median.labels(h.outlet).set(h.daily_median_7d)
        requests.labels(h.outlet).set(h.requests_24h)
        for status, rate in (("403", h.http_403_rate), ("429", h.http_429_rate),
                             ("5xx", h.http_5xx_rate)):
            http.labels(h.outlet, status).set(rate)
        for reason, rate in h.drop_rates.items():
            drops.labels(h.outlet, reason).set(rate)
        for window, share in (("24h", h.generic_share_24h), ("7d", h.generic_share_7d)):
            if share is not None:
                generic.labels(h.outlet, window).set(share)
        unknown.labels(h.outlet).set(h.unknown_layout_24h)
    return generate_latest(registry).decode()
