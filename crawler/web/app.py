"""`jpnews web`: the search page (server-rendered, works without JavaScript, the query in the
URL) and its JSON API, over the database the crawls fill.

    GET /                      the page: ?q=&since=&group=&source=&sort=&offset=&hl=
    GET /api/search            the same parameters (+ from, to, lang, agency, limit,
                               all_copies): results, totals and facets as JSON
    GET /api/articles/{id}     one article with its versions and its story
    GET /healthz               200 when the database answers, 503 when it does not

Endpoints are plain functions that Starlette runs in its thread pool, each on a connection of
one psycopg pool. A bad parameter is a 400 with a message, never a 500.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import psycopg
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from psycopg_pool import ConnectionPool, PoolTimeout
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from crawler.present import relative_time
from crawler.query import QueryError
from crawler.search_request import build_request, result_json
from crawler.sources import SOURCES
from crawler.storage.db import describe, open_pool, prepare
from crawler.storage.search import SearchResult, search
from crawler.urls import is_web_url
from crawler.web import i18n

log = logging.getLogger(__name__)

PAGE_SIZE = 10
WINDOWS = ("any", "24h", "1w", "1m", "1y")
DEFAULT_WINDOW = "1y"

# package data, so that the templates load from the zip of a Scrapyd egg too
_templates = Environment(loader=PackageLoader("crawler.web", "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True,
                         lstrip_blocks=True)
# Escaping does not stop a `javascript:` link: only web addresses become hrefs.
_templates.filters["web_url"] = lambda url: url if is_web_url(str(url)) else "#"


class ServeError(RuntimeError):
    """The page cannot be served (the port is taken); one line for the user."""


def _params(request: Request) -> dict[str, Any]:
    """The search parameters of a URL, as build_request takes them."""
    q = request.query_params
    return {
        "q": q.get("q", ""), "since": q.get("since") or None, "date_from": q.get("from"),
        "date_to": q.get("to"), "sources": q.getlist("source"), "group": q.get("group"),
        "language": q.get("lang"), "agencies": q.getlist("agency"),
        "sort": q.get("sort") or "relevance",
        "all_copies": q.get("all_copies", "").lower() in ("1", "true", "yes", "on"),
        "limit": q.get("limit", str(PAGE_SIZE)), "offset": q.get("offset", "0"),
    }


class App:
    """The endpoints over one connection pool."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.pool: ConnectionPool | None = None

    @asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.pool = open_pool(self.database_url, min_size=1, max_size=4)
        try:
            yield
        finally:
            self.pool.close()

    def _search(self, params: dict[str, Any], facets: bool) -> SearchResult:
        assert self.pool is not None
        with self.pool.connection() as conn:
            return search(conn, build_request(conn, **params, facets=facets))

    # ---- JSON ------------------------------------------------------------------------------

    def api_search(self, request: Request) -> Response:
        lang = i18n.choose(request.query_params.get("hl"), request.headers.get("accept-language"))
        try:
            result = self._search(_params(request), facets=True)
        except QueryError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            return _unavailable(exc)
        return JSONResponse(result_json(result, lang))

    def api_article(self, request: Request) -> Response:
        article_id = request.path_params["id"]
        if not 0 < article_id < 2**63:
            return JSONResponse({"error": "no such article"}, status_code=404)
        assert self.pool is not None
        try:
            with self.pool.connection() as conn:
                article = article_json(conn, article_id)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            return _unavailable(exc)
        if article is None:
            return JSONResponse({"error": f"no article {article_id}"}, status_code=404)
        return JSONResponse(article)

    def healthz(self, _request: Request) -> Response:
        assert self.pool is not None
        try:
            with self.pool.connection(timeout=3) as conn:
                conn.execute("SELECT 1").fetchone()
        except (psycopg.Error, PoolTimeout) as exc:
            return _unavailable(exc)
        return JSONResponse({"status": "ok", "database": describe(self.database_url)})

    # ---- the page ---------------------------------------------------------------------------

    def page(self, request: Request) -> Response:
        lang = i18n.choose(request.query_params.get("hl"), request.headers.get("accept-language"))
        params = _params(request)
        params["since"] = params["since"] or DEFAULT_WINDOW
        params["limit"] = str(PAGE_SIZE)
        text = i18n.TEXT[lang]
        result, error, status = None, None, 200
        if params["q"].strip():
            try:
                result = self._search(params, facets=True)
            except QueryError as exc:
                error, status = str(exc), 400
            except (psycopg.OperationalError, PoolTimeout) as exc:
                error, status = f"the database is not available: {_first_line(exc)}", 503
        html = _templates.get_template("search.html").render(
            lang=lang, t=text, params=params, result=result, error=error,
            windows=[(w, text[w]) for w in WINDOWS],
            groups=[(g, i18n.group_name(g, lang))
                    for g in sorted({s.group for s in SOURCES.values()})],
            outlets=[(s.id, s.name) for s in SOURCES.values()
                     if not params["group"] or s.group == params["group"]],
            cards=[_card(h, result, lang) for h in result.hits] if result else [],
            days=_day_bars(result) if result else [],
            page_url=lambda **changes: _page_url(request, **changes),
            other_lang_url=_page_url(request, hl=text["other_hl"]),
        )
        return HTMLResponse(html, status_code=status)


def _card(hit: Any, result: SearchResult, lang: str) -> dict[str, Any]:
    now = result.request.now
    text = i18n.TEXT[lang]
    others = len(hit.copies)
    return {
        "hit": hit, "title": Markup(hit.title_marked.html()),
        "snippet": Markup(hit.snippet.html()), "age": relative_time(hit.dated_at, now, lang),
        "when": hit.dated_at.isoformat(),
        "more": (text["one_more_outlet"] if others == 1
                 else text["more_outlets"].format(n=others)) if others else "",
        "copies": [{"other": c, "age": relative_time(c.published_at, now, lang)}
                   for c in hit.copies],
    }


def _day_bars(result: SearchResult) -> list[dict[str, Any]]:
    """One bar per day from the first day with a match to the last (at most a year)."""
    if not result.by_day:
        return []
    counts = dict(result.by_day)
    last = result.by_day[-1][0]
    first = max(result.by_day[0][0], last - timedelta(days=365))
    top = max(counts.values())
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [{"day": d.isoformat(), "count": counts.get(d, 0),
             "height": round(40 * counts.get(d, 0) / top)} for d in days]


def _page_url(request: Request, **changes: str | int | None) -> str:
    """This page's URL with some parameters changed (paging, the language switch)."""
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    items += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return "/?" + urlencode(items)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unavailable(exc: BaseException) -> Response:
    return JSONResponse({"error": f"the database is not available: {_first_line(exc)}"},
                        status_code=503)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def article_json(conn: psycopg.Connection, article_id: int) -> dict[str, Any] | None:
    """An article in the schema's JSON form, with its text versions and its story."""
    from crawler.storage.articles import COLUMNS

    columns = [c for c in COLUMNS if c != "minhash"]
    row = conn.execute(
        f"SELECT id, {', '.join(columns)}, story_id, version, first_seen_at "  # noqa: S608
        "FROM articles WHERE id = %s", (article_id,)).fetchone()
    if row is None:
        return None
    names = ["id", *columns, "story_id", "version", "first_seen_at"]
    article = {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in zip(names, row,
                                                                               strict=True)}
    article["versions"] = [
        {"version": v, "content_hash": h, "title": t, "editor_note": n,
         "modified_at": _iso(m), "crawled_at": _iso(c)}
        for v, h, t, n, m, c in conn.execute(
            """SELECT version, content_hash, title, editor_note, modified_at, crawled_at
               FROM article_versions WHERE article_id = %s ORDER BY version""", (article_id,))]
    story = None
    if article["story_id"] is not None:
        representative = conn.execute("SELECT representative_id FROM stories WHERE id = %s",
                                      (article["story_id"],)).fetchone()
        story = {"id": article["story_id"],
                 "representative_id": representative[0] if representative else None,
                 "members": [
                     {"id": i, "source": s, "source_name": sn, "url": u,
                      "published_at": _iso(p), "match": m, "similarity": sim}
                     for i, s, sn, u, p, m, sim in conn.execute(
                         """SELECT a.id, a.source, a.source_name, a.url, a.published_at,
                                   m.match, m.similarity
                            FROM articles a LEFT JOIN story_members m ON m.article_id = a.id
                            WHERE a.story_id = %s ORDER BY a.published_at NULLS LAST, a.id""",
                         (article["story_id"],))]}
    article["story"] = story
    return article


def create_app(database_url: str) -> Starlette:
    app = App(database_url)
    return Starlette(routes=[
        Route("/", app.page),
        Route("/api/search", app.api_search),
        Route("/api/articles/{id:int}", app.api_article),
        Route("/healthz", app.healthz),
    ], lifespan=app.lifespan)


def serve(host: str, port: int, database_url: str | None = None) -> int:
    """Run the page until interrupted; the database is reached and migrated first, so that a
    wrong URL is one line of error, not a server that answers 503."""
    import uvicorn

    url = prepare(database_url)
    print(f"jpnews web: http://{host}:{port}/ over {describe(url)} (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    config = uvicorn.Config(create_app(url), host=host, port=port, log_level="critical",
                            access_log=False)
    server = uvicorn.Server(config)
    try:
        server.run()
    except (OSError, SystemExit) as exc:
        raise ServeError(f"cannot serve on {host}:{port}: {exc}") from None
    if not server.started:
        raise ServeError(f"cannot serve on {host}:{port} (is the port taken?)")
    return 0
