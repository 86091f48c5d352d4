"""How articles read on a terminal: the result-card line of the reference search page."""

from __future__ import annotations

from datetime import datetime, timezone


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """"6 hours ago"-style age, as the search page shows it."""
    if when is None:
        return "date unknown"
    now = now or datetime.now(timezone.utc)
    seconds = int((now - when).total_seconds())
    if seconds < 0:
        return "in the future"
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
                       ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def card(title: str, source_name: str, published_at: datetime | None, credit: str | None,
         now: datetime | None = None) -> str:
    parts = [title, source_name, relative_time(published_at, now)]
    if credit:
        parts.append(credit)
    return " · ".join(parts)


def parse_age(text: str) -> int:
    """Days in "1y", "6m", "2w", "3d" (the search page's "not older than" window)."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    if not text or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"not an age like 1y, 6m, 2w or 3d: {text!r}")
    return int(text[:-1]) * units[text[-1]]
