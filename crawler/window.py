"""Time windows, one grammar for every command: relative ages (24h, 3d, 2w, 6m, 1y) or ISO
dates. The search page's "not older than 1 year" is `1y`; `any` means no bound."""

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


_DURATION = re.compile(r"(\d{1,6})\s*(s|min|m|h|d|w)")
_DURATION_UNITS = {"s": 1, "min": 60, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """A fixed length of time for intervals and schedules: 30s, 15m (or 15min), 6h, 3d, 1w.

    Unlike a window's `6m` (six months back, a calendar span), an interval's `m` is minutes:
    `--every 15m` reads as people write it, and months are no interval anyone schedules by.
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise WindowError(f"not a duration: {text!r} (use 30s, 15m, 6h, 3d or 1w)")
    return timedelta(seconds=int(match.group(1)) * _DURATION_UNITS[match.group(2)])
