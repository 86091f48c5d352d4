"""What `jpnews crawl --every` starts when: the interval grammar, the registry's intervals and
their overrides, and the due logic on an injected clock (no sleeps, no processes)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.schedule import Plan, ScheduleError, intervals, latest
from crawler.sources import SOURCES, sources_in
from crawler.window import WindowError, format_every, parse_every

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)
ALL = sources_in(None)


@pytest.mark.parametrize(("text", "seconds"), [
    ("15m", 900), ("15min", 900), ("2h", 7200), ("1h30m", 5400), ("1 h 30 m", 5400),
    ("90s", 90), ("1d", 86400), ("1w", 604800), ("2S", 2)])
def test_interval_grammar(text: str, seconds: int) -> None:
    assert parse_every(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["15", "m", "6mo", "1y", "0m", "-5m", "15m later", "soon", ""])
def test_bad_intervals_are_one_message(text: str) -> None:
    with pytest.raises(WindowError) as caught:
        parse_every(text)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["15m", "2h", "1h30m", "1d", "2s", "1m30s"])
def test_intervals_print_as_they_are_written(text: str) -> None:
    assert format_every(parse_every(text)) == text


def test_the_registry_gives_each_outlet_its_interval() -> None:
    every = intervals(ALL, [], MINUTE)
    assert every == {s.id: s.crawl_every for s in ALL}
    assert every["japantoday"] == every["kyodo"] == timedelta(minutes=15)
    # the slower outlets are crawled less often than the dailies and wires
    assert every["nippon_com"] > every["japantoday"]
    assert every["japanforward"] > every["japantoday"]
    assert intervals(ALL, ["default"], MINUTE) == every


def test_one_interval_for_all_then_one_per_outlet_or_group() -> None:
    every = intervals(ALL, ["30m"], MINUTE)
    assert set(every.values()) == {timedelta(minutes=30)}
    every = intervals(ALL, ["japantoday=10m", "nippon_com=2h"], MINUTE)
    assert every["japantoday"] == timedelta(minutes=10)
    assert every["nippon_com"] == timedelta(hours=2)
    assert every["kyodo"] == SOURCES["kyodo"].crawl_every  # the others keep the registry's
    # a named outlet wins over the interval for all, whatever the order they are given in
    every = intervals(ALL, ["japantoday=10m", "1h"], MINUTE)
    assert every["japantoday"] == timedelta(minutes=10) and every["kyodo"] == timedelta(hours=1)
    every = intervals(sources_in(["japantoday", "kyodo"]), ["media-jepang=45m"], MINUTE)
    assert every == {"japantoday": timedelta(minutes=45), "kyodo": timedelta(minutes=45)}


@pytest.mark.parametrize(("specs", "message"), [
    (["10s"], "shorter than the minimum of 1m"),
    (["japantoday=30s"], "shorter than the minimum of 1m"),
    (["nosuch=10m"], "unknown outlet or group: 'nosuch'"),
    (["kyodo=10m"], "'kyodo' is not among the outlets this command crawls"),
    (["japantoday=soon"], "not an interval: 'soon'"),
    (["10m", "20m"], "given twice"),
])
def test_bad_every_is_one_message(specs: list[str], message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        intervals(sources_in(["japantoday"]), specs, MINUTE)


def plan(*outlets: str, every: str = "15m", parallel: int = 4) -> Plan:
    chosen = sources_in(list(outlets))
    return Plan.of(chosen, intervals(chosen, [every], MINUTE), parallel)


def test_due_once_the_interval_has_passed_since_the_last_start() -> None:
    p = plan("japantoday", "kyodo", "japantimes")
    last = {"japantoday": NOW - timedelta(minutes=14), "kyodo": NOW - timedelta(minutes=40),
            "japantimes": NOW - timedelta(minutes=15)}
    assert p.due(NOW, last) == ["kyodo", "japantimes"]  # longest overdue first
    assert p.due(NOW + MINUTE, last) == ["kyodo", "japantimes", "japantoday"]
    # an outlet never crawled comes before every overdue one
    assert p.due(NOW, {"kyodo": last["kyodo"]}) == ["japantoday", "japantimes", "kyodo"]


def test_a_restart_crawls_only_what_is_due() -> None:
    """The last starts come from crawl_runs: a scheduler started a minute after a crawl waits
    for the interval instead of crawling again."""
    p = plan("japantoday", "kyodo")
    last = {"japantoday": NOW - MINUTE, "kyodo": NOW - timedelta(hours=3)}
    assert p.startable(NOW, last, running=[]) == ["kyodo"]
    assert p.upcoming(NOW, last, running=["kyodo"]) == (NOW + 14 * MINUTE, ["japantoday"])


def test_the_registry_interval_decides_when_no_override_is_given() -> None:
    chosen = sources_in(["japantoday", "japanforward"])
    p = Plan.of(chosen, intervals(chosen, ["default"], MINUTE), 4)
    both = {"japantoday": NOW - timedelta(minutes=20), "japanforward": NOW - timedelta(minutes=20)}
    assert p.due(NOW, both) == ["japantoday"]
    at, outlets = p.upcoming(NOW, both, running=["japantoday"])
    assert outlets == ["japanforward"]
    assert at == both["japanforward"] + SOURCES["japanforward"].crawl_every


def test_running_outlets_the_parallel_limit_and_shared_hosts_hold_back() -> None:
    p = plan("japantoday", "kyodo", "japantimes", "asahi", "asahi_ajw", parallel=3)
    assert p.startable(NOW, {}, running=[]) == ["japantoday", "kyodo", "japantimes"]
    assert p.startable(NOW, {}, running=["kyodo"]) == ["japantoday", "japantimes"]
    assert p.startable(NOW, {}, running=["japantoday", "kyodo", "japantimes"]) == []
    # asahi and asahi_ajw are both asahi.com: never crawled at once
    assert p.startable(NOW, {}, running=["japantoday", "asahi"]) == ["kyodo"]
    assert p.startable(NOW, {}, running=["asahi_ajw"]) == ["japantoday", "kyodo"]
    shared = plan("mainichi", "mainichi_en", "nhk_world", "nhk_easy", "japantoday")
    assert shared.share_host("mainichi", "mainichi_en") and shared.share_host("nhk_easy",
                                                                              "nhk_world")
    assert not shared.share_host("mainichi", "nhk_world")
    # held back now, so nothing upcoming for them: they start when a running crawl ends
    assert p.upcoming(NOW, {}, running=["asahi"]) is None


def test_upcoming_is_the_earliest_next_start_of_the_outlets_not_running() -> None:
    p = plan("japantoday", "kyodo", "japantimes")
    last = {"japantoday": NOW - 5 * MINUTE, "kyodo": NOW - 5 * MINUTE, "japantimes": NOW}
    assert p.upcoming(NOW, last, running=[]) == (NOW + 10 * MINUTE, ["japantoday", "kyodo"])
    assert p.upcoming(NOW, last, running=["japantoday", "kyodo"]) == \
        (NOW + 15 * MINUTE, ["japantimes"])


def test_a_launch_without_a_row_counts_as_a_start() -> None:
    """A crawl that died before it wrote its crawl_runs row must not be relaunched at once,
    again and again: the scheduler's own launch times count."""
    rows = {"japantoday": NOW - timedelta(hours=2)}
    launched = {"japantoday": NOW - MINUTE, "kyodo": NOW - 2 * MINUTE}
    assert latest(rows, launched) == launched
    assert latest({"japantoday": NOW}, launched)["japantoday"] == NOW
    assert plan("japantoday", "kyodo").due(NOW, latest(rows, launched)) == []
