"""Date parsing for what outlets print: ISO stamps, JST without offset, and relative forms.

Outlets in Japan print Japan time and often omit the offset; listings print "6 hours ago",
"Today 06:40 pm JST" or "Mar. 18". Everything here resolves to a timezone-aware datetime, relative
forms against the crawl time, so that a page parsed again later gives the same answer.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

_AGO = re.compile(
    r"^(?:about\s+|an?\s+)?(?P<n>\d+|an?|one)?\s*(?P<unit>second|sec|minute|min|hour|hr|day|week)s?"
    r"\s+ago$",
    re.I,
)
_DAY_WORD = re.compile(r"^(?P<word>today|yesterday)\b[\s,|]*(?P<rest>.*)$", re.I)
_CLOCK = re.compile(r"(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?", re.I)
_JAPAN_TIME = re.compile(r"\bJapan(?:ese)? (?:Standard )?Time\b", re.I)
_JA_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:[^\d午]{0,6}?(?P<ap>午前|午後)?\s*(?P<h>\d{1,2})\s*[時:：]\s*(?P<mi>\d{1,2})?)?"
)
# Abbreviations outlets print; dateutil knows none of them by itself.
_TZINFOS = {name: int(hours * 3600) for name, hours in (
    ("JST", 9), ("KST", 9), ("CST", -6), ("CDT", -5), ("EST", -5), ("EDT", -4), ("PST", -8),
    ("PDT", -7), ("MST", -7), ("MDT", -6), ("GMT", 0), ("UTC", 0), ("BST", 1), ("CET", 1),
    ("CEST", 2), ("HKT", 8), ("SGT", 8), ("IST", 5.5), ("AEST", 10), ("AEDT", 11))}
_UNIT_SECONDS = {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600,
                 "day": 86400, "week": 604800}


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def parse_date(raw: str | None, *, tz: str = "Asia/Tokyo",
               now: datetime | None = None) -> datetime | None:
    """Parse one printed date; naive times are read in `tz`, relative ones against `now`.

    Returns None for text that is not a date rather than guessing: a wrong date is worse than none.
    Impossible dates (February 30th, "99999 days ago") are not dates either.
    """
    try:
        return _parse(raw, tz, now)
    except (ValueError, OverflowError):
        return None


def _parse(raw: str | None, tz: str, now: datetime | None) -> datetime | None:
    if not raw:
        return None
    text = " ".join(raw.split()).strip()
    if not text:
        return None
    local = zone(tz)
    now_local = (now or datetime.now(local)).astimezone(local)

    ago = _AGO.match(text)
    if ago:
        n = ago.group("n")
        count = 1 if n is None or not n.isdigit() else int(n)
        return (now_local - timedelta(seconds=count * _UNIT_SECONDS[ago.group("unit").lower()]))

    ja = _JA_DATE.search(text)
    if ja:
        hour = int(ja["h"] or 0) + (12 if ja["ap"] == "午後" and int(ja["h"] or 0) < 12 else 0)
        midnight = datetime(int(ja["y"]), int(ja["mo"]), int(ja["d"]), tzinfo=local)
        return midnight + timedelta(hours=hour, minutes=int(ja["mi"] or 0))  # 24時 is tomorrow

    day_word = _DAY_WORD.match(text)
    if day_word:
        day = now_local.date() - timedelta(days=day_word["word"].lower() == "yesterday")
        hour, minute = _clock(day_word["rest"])
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=local)

    cleaned = _JAPAN_TIME.sub("", text).replace("Updated", "").replace("Posted", "").strip(" ,|")
    cleaned = re.sub(r"\b(Sept?|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec)\.", r"\1", cleaned)
    cleaned = cleaned.replace("Sept ", "Sep ")
    has_year = bool(re.search(r"\b\d{4}\b", cleaned))
    try:
        default = now_local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        parsed = dateutil_parser.parse(cleaned, default=default, tzinfos=_TZINFOS)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local)
    if not has_year and parsed > now_local + timedelta(days=1):
        # "Mar. 18" printed in January is last year's March.
        parsed = parsed.replace(year=parsed.year - 1)
    return parsed


def _clock(text: str) -> tuple[int, int]:
    match = _CLOCK.search(text)
    if not match:
        return 0, 0
    hour, minute = int(match["h"]), int(match["m"])
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    return hour, minute
