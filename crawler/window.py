"""Time windows, one grammar for every command: relative ages (24h, 3d, 2w, 6m, 1y) or ISO
dates. The search page's "not older than 1 year" is `1y`; `any` means no bound.

Intervals between crawls (`jpnews crawl --every 15m`) are durations in the same shape, a number
and a unit, with one difference: there `m` is minutes, as in systemd and cron tools. A window
looks back over months, a crawl interval never spans one, so `m` means the unit each needs and
an interval refuses months and years outright."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta

_RELATIVE = re.compile(r"(\d{1,6})\s*([hdwmy])")
_UNITS = {"h": "hours", "d": "days", "w": "weeks", "m": "months", "y": "years"}
NO_BOUND = frozenset({"any", "all", "none"})
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)


class WindowError(ValueError):
    """Not a time window; the message is one line meant for the user."""


def parse_since(text: str, now: datetime | None = None) -> datetime | None:
    """The start of a window: `3d` is three days before `now`, an ISO date is that date (UTC
    midnight), `any` is no start."""
    value = text.strip().lower()
    if value in NO_BOUND:
        return None
    if match := _RELATIVE.fullmatch(value):
        amount, unit = int(match.group(1)), match.group(2)
        now = now or datetime.now(timezone.utc)
        try:
            start = now - relativedelta(**{_UNITS[unit]: amount})
        except (OverflowError, ValueError):
            start = None
        if start is None or start < EARLIEST:
            raise WindowError(f"{text!r} reaches back before {EARLIEST.year}")
        return start
    if re.match(r"\d{4}-", value):  # meant as a date: its own message ("before 1900")
        return parse_instant(text)
    raise WindowError(f"not a time window: {text!r} (use 24h, 3d, 2w, 6m, 1y, an ISO date "
                      "or 'any')")


def parse_instant(text: str, *, end_of_day: bool = False) -> datetime:
    """An ISO date or date-time; a bare date is midnight UTC, or the next midnight when it
    closes a window (`--to 2026-11-30` includes the 30th)."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            parsed = datetime.combine(date.fromisoformat(value), time(), timezone.utc)
            if end_of_day:
                parsed += timedelta(days=1)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise WindowError(f"not an ISO date or date-time: {text!r}") from None
    except OverflowError:  # the day after 9999-12-31
        raise WindowError(f"{text!r} is past the year {datetime.max.year}") from None
    if parsed < EARLIEST.replace(tzinfo=parsed.tzinfo):
        raise WindowError(f"{text!r} is before {EARLIEST.year}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


_EVERY_PART = re.compile(r"(\d{1,6})\s*(s|min|m|h|d|w)\s*")
_EVERY = re.compile(f"(?:{_EVERY_PART.pattern})+")
_EVERY_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_every(text: str) -> timedelta:
    """An interval between crawls: 90s, 15m, 2h, 1d, 1w, or a sum such as 1h30m."""
    value = text.strip().lower()
    if not _EVERY.fullmatch(value):
        raise WindowError(f"not an interval: {text!r} (use 90s, 15m, 2h, 1d, 1w or 1h30m)")
    parts = _EVERY_PART.finditer(value)
    seconds = sum(int(p.group(1)) * _EVERY_SECONDS[p.group(2)] for p in parts)
    if seconds <= 0:
        raise WindowError(f"an interval must be longer than zero: {text!r}")
    return timedelta(seconds=seconds)


def format_every(interval: timedelta) -> str:
    """The inverse of parse_every, in its largest units: 15m, 2h, 1h30m, 1d."""
    seconds = int(interval.total_seconds())
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"
