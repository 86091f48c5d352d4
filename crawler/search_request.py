"""Search parameters as users give them (CLI flags, URL query strings) → a SearchRequest, and
results → the JSON form shared by `jpnews search --json` and `/api/search`.

One parser and one encoder, so that the command line, the API and the page cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import psycopg

from crawler.present import relative_time
from crawler.query import QueryError, parse
from crawler.storage.search import (
    MAX_LIMIT,
    Hit,
    SearchRequest,
    SearchResult,
    unknown_values,
)
from crawler.window import WindowError, parse_instant, parse_since

DEFAULT_WINDOW = "1y"
_LANGUAGE = re.compile(r"[a-z]{2}")
_AGENCY = re.compile(r"[A-Z][A-Z0-9]{1,19}")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")


def build_request(conn: psycopg.Connection, *, q: str, since: str | None = None,
                  date_from: str | None = None, date_to: str | None = None,
                  sources: Sequence[str] = (), group: str | None = None,
                  language: str | None = None, agencies: Sequence[str] = (),
                  sort: str = "relevance", all_copies: bool = False, limit: int | str = 10,
                  offset: int | str = 0, facets: bool = False,
                  now: datetime | None = None) -> SearchRequest:
    """Validate user parameters; raises QueryError with a message for the user. Without
    `since`, `date_from` or `date_to` the window is the page's default, the last year."""
    now = now or datetime.now(timezone.utc)
    query = parse(q)
    try:
        if date_from:
            start = parse_instant(date_from)
        elif since or not date_to:
            start = parse_since(since or DEFAULT_WINDOW, now)
        else:
            start = None
        end = parse_instant(date_to, end_of_day=True) if date_to else None
    except WindowError as exc:
        raise QueryError(str(exc)) from None
    sources = [s.strip().lower() for s in sources if s.strip()]
    for value in sources:
        if not _ID.fullmatch(value):
            raise QueryError(f"not an outlet id: {value!r} (see `jpnews sources`)")
    if missing := unknown_values(conn, "source", sources):
        raise QueryError(f"unknown outlet: {missing[0]!r} (see `jpnews sources`)")
    group = (group or "").strip().lower() or None
    if group and (not _ID.fullmatch(group) or unknown_values(conn, "source_group", [group])):
        raise QueryError(f"unknown source group: {group!r} (see `jpnews sources`)")
    language = (language or "").strip().lower() or None
    if language and not _LANGUAGE.fullmatch(language):
        raise QueryError(f"not a two-letter language code: {language!r}")
    agencies = [a.strip().upper() for a in agencies if a.strip()]
    for agency in agencies:
        if not _AGENCY.fullmatch(agency):
            raise QueryError(f"not an agency code: {agency!r} (KYODO, JIJI, AFP, REUTERS, ...)")
    return SearchRequest(query=query, since=start, until=end, sources=tuple(sources),
                         group=group, language=language, agencies=tuple(agencies),
                         sort=sort, collapse=not all_copies, limit=_integer(limit, "limit"),
                         offset=_integer(offset, "offset"), facets=facets, now=now)


def _integer(value: int | str, name: str) -> int:
    if isinstance(value, int):
        return value
    if not re.fullmatch(r"-?\d{1,7}", value.strip()):
        raise QueryError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def hit_json(hit: Hit, now: datetime, lang: str = "en") -> dict[str, Any]:
    """One result in the JSON form of the CLI and the API; snippet and title_marked are HTML
    (text escaped, matches in <mark>)."""
    return {
        "id": hit.id, "title": hit.title, "title_marked": hit.title_marked.html(),
        "source": hit.source, "source_name": hit.source_name, "source_group": hit.source_group,
        "url": hit.url, "canonical_url": hit.canonical_url,
        "published_at": _time(hit.published_at), "age": relative_time(hit.dated_at, now, lang),
        "credit": hit.credit, "credit_agency": hit.credit_agency,
        "editor_note": hit.editor_note, "story_id": hit.story_id, "language": hit.language,
        "score": hit.score, "snippet": hit.snippet.html(),
        "copies": [{"id": c.id, "source": c.source, "source_name": c.source_name,
                    "url": c.url, "published_at": _time(c.published_at), "title": c.title}
                   for c in hit.copies],
    }


def facets_json(result: SearchResult) -> dict[str, Any]:
    return {"sources": [{"source": s, "source_name": name, "count": n}
                        for s, name, n in result.by_source],
            "days": [{"day": d.isoformat(), "count": n} for d, n in result.by_day]}


def result_json(result: SearchResult, lang: str = "en") -> dict[str, Any]:
    """The whole answer of `/api/search`."""
    request = result.request
    return {
        "query": {"since": _time(request.since), "until": _time(request.until),
                  "sources": list(request.sources), "group": request.group,
                  "language": request.language, "agencies": list(request.agencies),
                  "sort": request.sort, "collapse": request.collapse,
                  "limit": request.limit, "offset": request.offset},
        "total": result.total, "total_articles": result.total_articles,
        "notes": list(result.notes), "took_ms": round(result.elapsed_ms, 1),
        "results": [hit_json(h, request.now, lang) for h in result.hits],
        "facets": facets_json(result),
    }


__all__ = ["DEFAULT_WINDOW", "MAX_LIMIT", "build_request", "facets_json", "hit_json",
           "result_json"]
