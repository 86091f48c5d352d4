"""The outlet registry: one declaration per outlet, read by spiders, parsers and the CLI.

Everything an outlet needs to be discovered is data here, so that a spider module only adds
what cannot be said as data (how a listing marks its article links, for instance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    group: str
    language: str
    timezone: str
    home: str
    domains: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_path: str = r".*"
    """Regex over the URL path that an article URL matches (listings and feeds link to more)."""
    aliases: tuple[str, ...] = ()
    """Other names the outlet signs with (the publisher), which are not bylines."""

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return owns_host(self, parts.hostname or "") and bool(
            re.fullmatch(self.article_path, parts.path)
        )


JAPANESE_MEDIA = "media-jepang"

_JT = "https://japantoday.com"
_JT_SECTIONS = ("national", "crime", "politics", "business", "tech", "sports", "world",
                "entertainment", "features")
_JT_FEATURE_SUBSECTIONS = ("lifestyle", "kuchikomi", "new-products", "health", "food", "travel",
                           "executive-impact", "opinions", "events", "special-promotion")

JAPANTODAY = Source(
    id="japantoday",
    name="Japan Today",
    group=JAPANESE_MEDIA,
    language="en",
    timezone="Asia/Tokyo",
    home=_JT + "/",
    domains=("japantoday.com",),
    feeds=(f"{_JT}/feed", f"{_JT}/feed/atom",
           *(f"{_JT}/category/{s}/feed" for s in _JT_SECTIONS)),
    listings=tuple(f"{_JT}/category/{s}" for s in _JT_SECTIONS),
    # /category/<section>[/<subsection>]/<slug>; section and subsection pages are listings and
    # /feed, /feed/atom are feeds, so those are excluded by name.
    article_path=(r"/category/(?!(?:[a-z-]+/)?(?:{})/?$)(?!.*/feed(?:/atom)?/?$)"
                  r"[a-z0-9-]+(?:/[a-z0-9-]+)?/[A-Za-z0-9%._'-]+/?").format("|".join(
        _JT_SECTIONS + _JT_FEATURE_SUBSECTIONS)),
)

SOURCES: dict[str, Source] = {s.id: s for s in (JAPANTODAY,)}


def owns_host(source: Source, host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in source.domains)


def source_for_url(url: str) -> Source | None:
    """The outlet that publishes `url`, or None for a site we have no declaration for."""
    host = urlsplit(url).hostname or ""
    for source in SOURCES.values():
        if owns_host(source, host):
            return source
    return None


def sources_in(selection: list[str] | None) -> list[Source]:
    """Resolve a CLI selection of outlet ids and group names to outlets (all when empty)."""
    if not selection:
        return list(SOURCES.values())
    chosen: dict[str, Source] = {}
    for name in selection:
        matches = [s for s in SOURCES.values() if name in (s.id, s.group)]
        if not matches:
            raise KeyError(f"unknown outlet or group: {name!r} (see `jpnews sources`)")
        chosen.update((s.id, s) for s in matches)
    return list(chosen.values())
