"""What `jpnews crawl --every` runs when: pure logic over times the caller gives.

An outlet is due once its interval has passed since its last run started, whoever started it
(this scheduler, cron, a person): the caller reads the last start from `crawl_runs`, so a
restarted scheduler picks up where the history stands instead of crawling everything at once.
The loop that runs the crawls is crawler/scheduler.py; tests drive this module with their own
clock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.sources import Source, owns_host, sources_in
from crawler.window import WindowError, format_every, parse_every

DEFAULT = "default"
"""`--every default`: each outlet at its registry interval (`Source.crawl_every`)."""


class ScheduleError(ValueError):
    """A bad --every; the message is one line meant for the user."""


def intervals(chosen: Sequence[Source], specs: Sequence[str], minimum: timedelta
              ) -> dict[str, timedelta]:
    """Each chosen outlet's interval, in the order chosen: its registry default, unless a bare
    `--every 15m` sets one for all, unless `--every OUTLET=10m` (an outlet id or a group) sets
    that outlet's. Intervals given below `minimum` are refused: a crawl every few seconds is
    no way to treat a news site."""
    result = {s.id: s.crawl_every for s in chosen}
    for_all: timedelta | None = None
    for_some: dict[str, timedelta] = {}
    for spec in specs:
        name, named, value = spec.partition("=")
        if not named:
            if spec.strip().lower() == DEFAULT:
                continue
            if for_all is not None:
                raise ScheduleError(f"--every {spec}: an interval for every outlet is given "
                                    "twice")
            for_all = _interval(spec, spec, minimum)
            continue
        try:
            targets = [s.id for s in sources_in([name.strip()]) if s.id in result]
        except KeyError as exc:
            raise ScheduleError(f"--every {spec}: {exc.args[0]}") from None
        if not targets:
            raise ScheduleError(f"--every {spec}: {name.strip()!r} is not among the outlets "
                                "this command crawls")
        interval = _interval(spec, value, minimum)
        for_some.update(dict.fromkeys(targets, interval))
    if for_all is not None:
        result = dict.fromkeys(result, for_all)
    result.update(for_some)
    return result


def _interval(spec: str, value: str, minimum: timedelta) -> timedelta:
    try:
        interval = parse_every(value)
    except WindowError as exc:
        raise ScheduleError(f"--every {spec}: {exc}") from None
    if interval < minimum:
        raise ScheduleError(f"--every {spec}: shorter than the minimum of "
                            f"{format_every(minimum)} between two crawls of an outlet "
                            "(JPNEWS_MIN_CRAWL_EVERY)")
    return interval


def latest(*histories: Mapping[str, datetime]) -> dict[str, datetime]:
    """Per outlet, the latest start among several sources of starts (the database's rows and
    the crawls this scheduler launched, which may have died before they made a row)."""
    out: dict[str, datetime] = {}
    for history in histories:
        for outlet, at in history.items():
            if outlet not in out or at > out[outlet]:
                out[outlet] = at
    return out


@dataclass(frozen=True)
class Plan:
    intervals: Mapping[str, timedelta]
    """Per outlet, in the order chosen."""
    sources: Mapping[str, Source]
    parallel: int
    """Crawls running at once, at most."""

    @classmethod
    def of(cls, chosen: Sequence[Source], every: Mapping[str, timedelta], parallel: int
           ) -> Plan:
        if parallel < 1:
            raise ScheduleError("--parallel must be at least 1")
        return cls(dict(every), {s.id: s for s in chosen if s.id in every}, parallel)

    def due_at(self, outlet: str, last: Mapping[str, datetime]) -> datetime | None:
        """When the outlet falls due; None for one never crawled (due at once)."""
        started = last.get(outlet)
        return None if started is None else started + self.intervals[outlet]

    def due(self, now: datetime, last: Mapping[str, datetime]) -> list[str]:
        """The outlets due at `now`, longest overdue first (never crawled before all)."""
        due = [(self.due_at(o, last), i, o) for i, o in enumerate(self.intervals)]
        ready = [d for d in due if d[0] is None or d[0] <= now]
        return [o for at, i, o in sorted(ready, key=lambda d: (d[0] is not None, d[0] or now,
                                                               d[1]))]

    def startable(self, now: datetime, last: Mapping[str, datetime],
                  running: Collection[str]) -> list[str]:
        """The due outlets to start now: not already running, within the parallel limit, and
        never two outlets of one host at once (asahi and asahi_ajw share asahi.com), so that
        the site sees one crawler's pace, not two."""
        busy = list(running)
        start: list[str] = []
        for outlet in self.due(now, last):
            if len(busy) >= self.parallel:
                break
            if outlet in busy or any(self.share_host(outlet, other) for other in busy):
                continue
            start.append(outlet)
            busy.append(outlet)
        return start

    def upcoming(self, now: datetime, last: Mapping[str, datetime],
                 running: Collection[str]) -> tuple[datetime, list[str]] | None:
        """The next time after `now` that outlets not running fall due, and which ones. Due
        outlets held back (the limit, a shared host) are not in it: they start when a running
        crawl ends, which wakes the loop anyway."""
        times = [(at, o) for o in self.intervals if o not in running
                 and (at := self.due_at(o, last)) is not None and at > now]
        if not times:
            return None
        first = min(at for at, _ in times)
        return first, [o for at, o in times if at == first]

    def share_host(self, a: str, b: str) -> bool:
        one, other = self.sources[a], self.sources[b]
        return any(owns_host(other, d) for d in one.domains) or \
            any(owns_host(one, d) for d in other.domains)
