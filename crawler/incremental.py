"""Incremental crawls: what a crawl of an outlet fetches when it has crawled the outlet before.

A news page changes most in its first hours (corrections, updated casualty figures, an editor's
note) and almost never after a few days, while an outlet's feeds and listings change all day. So:

- feeds, sitemaps and listings are always asked for, conditionally (If-None-Match /
  If-Modified-Since with the validators of their last answer); a 304 costs no parsing;
- an article URL not seen before is fetched;
- a known article is fetched again only when it is due: a re-check age of the outlet's schedule
  (by default 1 h, 6 h, 24 h and 72 h after publication, then never) has passed since it was
  last checked, or a feed entry or sitemap lists it as modified after it was last checked. A due
  re-check is conditional too, so an unchanged page answers 304 without a body;
- known articles due by age are requested even when no feed lists them any more.

This module decides; it holds no connection and reads no clock (both are given), so every rule
is tested on its own. The spider asks it and counts; crawler/storage/page_checks.py loads and
saves what it knows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from crawler.urls import canonicalize_url
from crawler.window import WindowError, format_every, parse_every

DEFAULT_RECHECK_AGES = (timedelta(hours=1), timedelta(hours=6), timedelta(hours=24),
                        timedelta(hours=72))


@dataclass(frozen=True)
class RecheckSchedule:
    """The ages after publication at which a stored article is checked for changes."""

    ages: tuple[timedelta, ...] = DEFAULT_RECHECK_AGES

    @classmethod
    def parse(cls, text: str) -> RecheckSchedule:
        """"1h,6h,24h,72h", or "never" for an outlet whose articles never change."""
        if text.strip().lower() in ("never", "none", ""):
            return cls(())
        try:
            ages = tuple(sorted(parse_every(part) for part in text.split(",")))
        except WindowError as exc:
            raise ValueError(f"not a re-check schedule: {text!r} ({exc})") from None
        return cls(ages)

    def describe(self) -> str:
        return ", ".join(format_every(age) for age in self.ages) or "never"

    def due(self, anchor: datetime, last_checked: datetime, now: datetime) -> bool:
        """Whether a check age has passed since the page was last checked: the newest age
        reached by `now` lies after `last_checked`. An article first crawled two days after it
        appeared is checked at 72 h, not five times in a row to catch up."""
        reached = [anchor + age for age in self.ages if anchor + age <= now]
        return bool(reached) and last_checked < reached[-1]


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the version we have (RFC 9110, section 8.8)."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> Validators:
        lowered = {key.lower(): value for key, value in headers.items()}
        return cls(lowered.get("etag") or None, lowered.get("last-modified") or None)

    def headers(self) -> dict[str, str]:
        """The conditional request headers; none when the server gave no validator."""
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass(frozen=True)
class KnownPage:
    """A stored article page, as far as deciding to fetch it again goes."""

    url: str
    anchor: datetime
    """Its publication time, or when it was first fetched if it shows none."""
    last_checked: datetime
    """Its last answer, 200 or 304."""
    validators: Validators = Validators()


class Fetch(Enum):
    NEW = "new"
    """Never fetched: fetched unconditionally."""
    RECHECK = "recheck"
    """Known and due by its age: fetched conditionally."""
    LISTED_CHANGED = "listed as modified"
    """Known, and a feed or sitemap says it changed after our last check: conditional."""
    SKIP = "known"
    """Known and not due: not fetched."""
    ALREADY = "already requested"
    """Requested earlier in this crawl (listed twice, or due and listed): not again."""
    FULL = "full crawl"
    """--full: fetched unconditionally, known or not."""


@dataclass(frozen=True)
class Decision:
    fetch: Fetch
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def wanted(self) -> bool:
        return self.fetch not in (Fetch.SKIP, Fetch.ALREADY)


@dataclass(frozen=True)
class Answer:
    """A page's answer in this crawl, to remember for the next one."""

    url: str
    kind: str
    validators: Validators
    checked_at: datetime
    fetched: bool
    """A body came (200), as opposed to 304 Not Modified."""


class FetchPolicy:
    """The decisions of one crawl of one outlet, given what earlier crawls stored."""

    def __init__(self, *, now: datetime, schedule: RecheckSchedule = RecheckSchedule(),
                 known: Mapping[str, KnownPage] | None = None,
                 discovery: Mapping[str, Validators] | None = None, full: bool = False) -> None:
        self.now = now
        self.schedule = schedule
        self.known = dict(known or {})
        """Keyed by canonical URL (crawler.urls)."""
        self.discovery = dict(discovery or {})
        """Validators of feeds, sitemaps and listings, keyed by URL."""
        self.full = full
        self.requested: set[str] = set()
        self.skipped: set[str] = set()
        """Known articles listed and not fetched (SKIP), unless requested after all."""
        self.answers: dict[str, Answer] = {}

    def discovery_headers(self, url: str) -> dict[str, str]:
        validators = self.discovery.get(url)
        return validators.headers() if validators and not self.full else {}

    def article(self, url: str, listed_modified: datetime | None = None) -> Decision:
        """Whether to fetch an article URL a feed, sitemap or listing gave, and how."""
        key = canonicalize_url(url)
        if key in self.requested:
            return Decision(Fetch.ALREADY)
        known = self.known.get(key)
        if self.full or known is None:
            self._requesting(key)
            return Decision(Fetch.FULL if self.full else Fetch.NEW)
        if listed_modified is not None and listed_modified > known.last_checked:
            fetch = Fetch.LISTED_CHANGED
        elif self.schedule.due(known.anchor, known.last_checked, self.now):
            fetch = Fetch.RECHECK
        else:
            self.skipped.add(key)
            return Decision(Fetch.SKIP)
        self._requesting(key)
        return Decision(fetch, known.validators.headers())

    def _requesting(self, key: str) -> None:
        self.requested.add(key)
        self.skipped.discard(key)  # listed as modified after an earlier listing skipped it

    @property
    def known_skipped(self) -> int:
        """Distinct known article URLs listed and not fetched: each counted once, however many
        feeds and listings name it, so that a crawl's counts add up to the URLs it found."""
        return len(self.skipped)

    def redirected(self, source: str, target: str) -> bool:
        """Whether to follow a redirect from one requested article URL to another: yes when
        the target is not requested yet (it is now, so a listing naming it later does not ask
        again), no when this crawl asks for it anyway or skips it as known and not due."""
        key = canonicalize_url(target)
        if key == canonicalize_url(source):
            return True
        if key in self.requested or key in self.skipped:
            return False
        self._requesting(key)
        return True

    def due_rechecks(self) -> list[tuple[KnownPage, Decision]]:
        """Known articles due by age, to request whether or not a feed still lists them."""
        if self.full:
            return []
        due = []
        for key, page in self.known.items():
            if key not in self.requested and \
                    self.schedule.due(page.anchor, page.last_checked, self.now):
                self._requesting(key)
                due.append((page, Decision(Fetch.RECHECK, page.validators.headers())))
        return due

    def answered(self, url: str, kind: str, status: int, headers: Mapping[str, str]) -> None:
        """Remember a page's answer. A 304 keeps the validators we sent unless it gives new
        ones; a 200 replaces them, even with none (that version has no validator)."""
        given = Validators.of(headers)
        if status == 304:
            previous = self.discovery.get(url) if kind != "article" else \
                getattr(self.known.get(canonicalize_url(url)), "validators", None)
            given = Validators(given.etag or (previous.etag if previous else None),
                               given.last_modified or (previous.last_modified if previous
                                                       else None))
        self.answers[url] = Answer(url, kind, given, self.now, fetched=status != 304)

    def to_save(self, *, clean: bool) -> list[Answer]:
        """The answers to keep. Those of feeds, sitemaps and listings only after a clean crawl:
        a feed remembered as seen would answer 304 next time and hide the articles this crawl
        failed to fetch. Article pages that came with a body are stored with their raw page
        (crawler/storage/articles.py), so only their 304s are here."""
        return [a for a in self.answers.values()
                if (a.kind == "article" and not a.fetched) or (a.kind != "article" and clean)]

