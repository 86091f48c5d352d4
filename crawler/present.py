"""How articles read to people: the result card of the reference search page and its
relative time ("6 hours ago", "6 jam yang lalu")."""

from __future__ import annotations

from datetime import datetime, timezone

_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
          ("day", 86400), ("hour", 3600), ("minute", 60))
# Per interface language: unit names (singular, plural) and the phrases around them.
_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {"year": ("year", "years"), "month": ("month", "months"), "week": ("week", "weeks"),
           "day": ("day", "days"), "hour": ("hour", "hours"), "minute": ("minute", "minutes")},
    "id": {"year": ("tahun", "tahun"), "month": ("bulan", "bulan"), "week": ("minggu", "minggu"),
           "day": ("hari", "hari"), "hour": ("jam", "jam"), "minute": ("menit", "menit")},
}
_PHRASES = {
    "en": {"ago": "{n} {unit} ago", "now": "just now", "unknown": "date unknown",
           "future": "in the future"},
    "id": {"ago": "{n} {unit} yang lalu", "now": "baru saja", "unknown": "tanggal tidak diketahui",
           "future": "di masa depan"},
}
LANGUAGES = tuple(_PHRASES)


def relative_time(when: datetime | None, now: datetime | None = None, lang: str = "en") -> str:
    """"6 hours ago"-style age, as the search page shows it, in English or Indonesian."""
    phrases, words = _PHRASES.get(lang, _PHRASES["en"]), _WORDS.get(lang, _WORDS["en"])
    if when is None:
        return phrases["unknown"]
    now = now or datetime.now(timezone.utc)
    seconds = int((now - when).total_seconds())
    if seconds < -300:  # a clock a few minutes apart is not "the future"
        return phrases["future"]
    for unit, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            singular, plural = words[unit]
            return phrases["ago"].format(n=count, unit=singular if count == 1 else plural)
    return phrases["now"]


def card(title: str, source_name: str, published_at: datetime | None, credit: str | None,
         now: datetime | None = None) -> str:
    parts = [title, source_name, relative_time(published_at, now)]
    if credit:
        parts.append(credit)
    return " · ".join(parts)
