"""Search over the stored articles: a parsed query compiled to one tsquery plus text checks,
run against the search document of migration 004, one result per story.

How a query runs:

* the tsquery finds candidates through the GIN index: English words as Postgres' `english`
  configuration stems them, a Japanese word of two or four characters as its one lexeme (a
  bigram or a four-gram), of three or five and more as the AND of its bigrams or four-grams,
  one Japanese character as a prefix (`雨:*`);
* where lexemes alone are not the answer, the text decides: a quoted phrase must match the
  pattern of `crawler.snippets.phrase_pattern` in the title or the body, a Japanese word of
  three characters or of five and more must occur as written. Positions are never trusted,
  so a phrase is found wherever it is, past tsvector's position limit (16,383) too;
* ranking is `ts_rank` (title weight 1.0, body 0.4, normalised by document length) times a
  recency boost of `1 + 2^(-age in days / 7)`: a story of today counts double, one a week old
  1.5 times, an old one once. Ranking reads each candidate's whole document, so it is bounded:
  the `RANKED_MATCHES` newest matches are ranked, and any older ones follow them newest first.
  A query matching fewer articles (in its window, after its filters) is ranked exactly; one
  matching more, such as a single common word, is ranked over its recent matches, which is
  where a news search's answer is. Counts and facets always cover every match.
  `sort="newest"` orders by time instead;
* articles of one story (the same wire story on several outlets, crawler/storage/stories.py)
  collapse into their best-ranked member, which lists the others as copies.

Every value is a bound parameter; the SQL text is assembled from fixed fragments only.
"""

from __future__ import annotations

import re
import time as clock
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal

import psycopg

from crawler.query import Query, QueryError, Term
from crawler.snippets import Highlighter, Marked, phrase_pattern
from crawler.sources import SOURCES

MAX_LIMIT = 100
MAX_OFFSET = 10_000
RANKED_MATCHES = 500
"""How many of a query's newest matches are ranked by relevance (see the module's docstring)."""
STATEMENT_TIMEOUT_MS = 10_000
FACET_TIMEZONE = "Asia/Tokyo"
"""Days of the per-day counts are Japanese calendar days: the outlets publish on JST."""
SNIPPET_WIDTH = {"ja": 110, "zh": 110}
DEFAULT_SNIPPET_WIDTH = 240


class SearchTimeout(QueryError):
    """The database gave up on a query that would read too much."""


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()
    group: str | None = None
    language: str | None = None
    agencies: tuple[str, ...] = ()
    sort: Literal["relevance", "newest"] = "relevance"
    collapse: bool = True
    """One result per story (False: every matching article)."""
    limit: int = 10
    offset: int = 0
    facets: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise QueryError(f"offset must be between 0 and {MAX_OFFSET}, not {self.offset}")
        if self.since and self.until and self.since >= self.until:
            raise QueryError("the window's start is not before its end")
        if self.sort not in ("relevance", "newest"):
            raise QueryError(f"sort must be relevance or newest, not {self.sort!r}")


@dataclass(frozen=True)
class Copy:
    """Another outlet's article of the same story."""

    id: int
    source: str
    source_name: str
    url: str
    published_at: datetime | None
    title: str


@dataclass(frozen=True)
class Hit:
    id: int
    title: str
    source: str
    source_name: str
    source_group: str | None
    url: str
    canonical_url: str
    published_at: datetime | None
    dated_at: datetime
    credit: str | None
    credit_agency: str | None
    editor_note: str | None
    story_id: int | None
    language: str | None
    score: float
    title_marked: Marked
    snippet: Marked
    copies: tuple[Copy, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    hits: tuple[Hit, ...]
    total: int
    """Results across all pages: stories (collapsed) or articles."""
    total_articles: int
    by_source: tuple[tuple[str, str, int], ...] = ()
    """(source, source name, matching articles), most first."""
    by_day: tuple[tuple[date, int], ...] = ()
    """(JST day, matching articles), oldest first."""
    notes: tuple[str, ...] = ()
    elapsed_ms: float = 0.0


# ---- compiling a query ------------------------------------------------------------------------

class _Params:
    """Named parameters for one statement; only placeholders go into the SQL text."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"%({name})s"


QUADGRAM = 4
"""Migration 006 indexes every four-character substring of a CJK run besides its bigrams."""


def cjk_tsquery(word: str) -> str:
    """A Japanese word as lexemes of the search document: one character as a prefix, two or
    four as the one lexeme they are (exact), three as the AND of its bigrams and five or more
    as the AND of its four-grams (a substring test when the text check confirms the order)."""
    if len(word) == 1:
        return f"'{word}':*"
    size = QUADGRAM if len(word) >= QUADGRAM else 2
    grams = dict.fromkeys(word[i:i + size] for i in range(len(word) - size + 1))
    return " & ".join(f"'{g}'" for g in grams)


_PLAIN_WORDS = re.compile(r"[0-9a-z]+(?: [0-9a-z]+)+")


def word_pairs(term: Term) -> list[str]:
    """The word-pair lexemes of a quoted phrase of plain Latin words (migration 005's
    `jpnews_word_pairs`): 'fiscal year' for "Fiscal Year"; none for any other term."""
    if not term.phrase:
        return []
    words = unicodedata.normalize("NFKC", term.text).lower()
    if not _PLAIN_WORDS.fullmatch(words):
        return []
    split = words.split(" ")
    return [f"{a} {b}" for a, b in zip(split, split[1:], strict=False)]


def _term_tsquery(term: Term, english: dict[str, str]) -> str | None:
    """The lexemes every match of the term has (None: nothing to look up in the index)."""
    parts = [cjk_tsquery(p.text) if p.cjk else english.get(p.text, "") for p in term.pieces]
    parts = [p for p in parts if p] + [f"'{pair}'" for pair in dict.fromkeys(word_pairs(term))]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " & ".join(f"( {p} )" for p in parts)


def _cjk_needs_check(word: str) -> bool:
    """Whether a Japanese word's lexemes may occur without the word (three characters, or
    five and more: their n-grams in another order)."""
    return len(word) not in (1, 2, QUADGRAM)


def _term_needs_text(term: Term) -> bool:
    """Whether lexemes alone may give a false match: phrases (order, exact form) other than
    two plain words, which their word-pair lexeme matches exactly; Japanese words of three
    characters or of five or more (their n-grams in another order)."""
    if term.phrase:
        return len(word_pairs(term)) != 1
    return any(p.cjk and _cjk_needs_check(p.text) for p in term.pieces)


def _text_check(term: Term, params: _Params) -> str:
    if term.phrase:
        pattern = params.add(phrase_pattern(term.text))
        return f"(a.title ~* {pattern} OR a.body ~* {pattern})"
    checks = []
    for piece in term.pieces:
        if piece.cjk and _cjk_needs_check(piece.text):
            word = params.add(piece.text)
            checks.append(f"(strpos(a.title, {word}) > 0 OR strpos(a.body, {word}) > 0)")
    return " AND ".join(checks)


@dataclass(frozen=True)
class Compiled:
    tsquery: str
    """'' when no term has lexemes (a phrase of stop words only): the text checks decide."""
    conditions: tuple[str, ...]
    notes: tuple[str, ...]
    reads_text: bool = False
    """Whether a condition reads the article's title and body (phrases, long Japanese words)."""
    reads_document: bool = False
    """Whether a condition tests the search document (an OR of a checked and a looked-up
    term, exclusions without a wanted word): such conditions need the search row."""


def compile_query(query: Query, english: dict[str, str], params: _Params) -> Compiled:
    """The tsquery and the SQL conditions of a query. `english` maps each Latin word to its
    tsquery text as Postgres stems it ('' for a stop word)."""
    ignored: list[str] = []
    wanted: list[str] = []  # tsquery parts every match has
    unwanted: list[str] = []  # tsquery parts no match has
    conditions: list[str] = []
    reads_document = False
    for group in query.groups:
        kept = []
        for term in group:
            lexemes = _term_tsquery(term, english)
            if lexemes is None and not term.phrase:
                ignored.append(term.text)
            else:
                kept.append((term, lexemes))
        if not kept:
            continue
        if all(lexemes is not None for _, lexemes in kept):
            wanted.append(" | ".join(f"( {lexemes} )" for _, lexemes in kept))
        if any(_term_needs_text(term) or lexemes is None for term, lexemes in kept):
            reads_document |= not all(_term_needs_text(term) for term, _ in kept)
            conditions.append("(" + " OR ".join(
                _text_check(term, params) if _term_needs_text(term)
                else f"s.document @@ {params.add(lexemes)}::tsquery"
                for term, lexemes in kept) + ")")
    if not wanted and not conditions:
        raise QueryError("the query has only common words (" + ", ".join(ignored)
                         + "): add a word that says what to look for")
    for term in query.excluded:
        lexemes = _term_tsquery(term, english)
        if _term_needs_text(term):
            conditions.append(f"NOT {_text_check(term, params)}")
        elif lexemes:
            unwanted.append(lexemes)
        else:
            ignored.append("-" + term.text)
    if not wanted:  # the index cannot look up "not X" alone: the exclusions become checks
        reads_document |= bool(unwanted)
        conditions += [f"NOT s.document @@ {params.add(u)}::tsquery" for u in unwanted]
        unwanted = []
    notes = list(query.notes)
    if ignored:
        notes.append("common words ignored: " + ", ".join(ignored))
    tsquery = " & ".join([*(f"( {w} )" for w in wanted), *(f"!( {u} )" for u in unwanted)])
    reads_text = any(_term_needs_text(t) for t in (*query.terms, *query.excluded))
    return Compiled(tsquery, tuple(conditions), tuple(notes), reads_text, reads_document)


@dataclass(frozen=True)
class MatchSql:
    """A compiled query as SQL. Split in two because a search may test the index condition
    alone first, then the checks on the rows it found."""

    tsquery: str | None
    """The bound tsquery (`%(p0)s::tsquery`), None when no term has lexemes."""
    checks: tuple[str, ...]
    """Conditions after the index, on the search row `s` or the article row `a`."""

    @property
    def index(self) -> str | None:
        """The condition the GIN index answers."""
        return f"s.document @@ {self.tsquery}" if self.tsquery else None


def match_sql(compiled: Compiled, params: _Params) -> MatchSql:
    tsquery = f"{params.add(compiled.tsquery)}::tsquery" if compiled.tsquery else None
    return MatchSql(tsquery, compiled.conditions)


@dataclass(frozen=True)
class QueryCondition:
    """A query of the search language as one SQL condition over `articles a` joined to
    `article_search s` (ON s.article_id = a.id), with its bound parameters: what `jpnews
    export --query` selects is exactly what `jpnews search` matches."""

    sql: str
    params: dict[str, Any]
    """Named parameters (p0, p1, ...): merge them with the statement's own, named otherwise."""
    notes: tuple[str, ...]


def query_condition(conn: psycopg.Connection, query: Query) -> QueryCondition:
    """The condition matching the articles `query` matches (without the search's window,
    filters, ranking or story collapsing); raises QueryError for a query of common words
    only."""
    params = _Params()
    compiled = compile_query(query, english_lexemes(conn, query), params)
    match = match_sql(compiled, params)
    conditions = [match.index] if match.index else []
    return QueryCondition(" AND ".join([*conditions, *match.checks]), params.values,
                          compiled.notes)


def english_lexemes(conn: psycopg.Connection, query: Query) -> dict[str, str]:
    """Each Latin word of the query as Postgres' `english` configuration reads it."""
    words = sorted({p.text for t in (*query.terms, *query.excluded) for p in t.pieces
                    if not p.cjk})
    if not words:
        return {}
    rows = conn.execute("SELECT w, plainto_tsquery('english', w)::text FROM unnest(%s::text[]) w",
                        (words,)).fetchall()
    return {word: lexemes for word, lexemes in rows}


# ---- running a search ---------------------------------------------------------------------------

def _filters(request: SearchRequest, params: _Params) -> list[str]:
    where = []
    if request.since:
        where.append(f"s.dated_at >= {params.add(request.since)}")
    if request.until:
        where.append(f"s.dated_at < {params.add(request.until)}")
    if request.sources:
        where.append(f"s.source = ANY({params.add(list(request.sources))})")
    if request.group:
        where.append(f"s.source_group = {params.add(request.group)}")
    if request.language:
        where.append(f"s.language = {params.add(request.language)}")
    if request.agencies:
        where.append(f"s.credit_agency = ANY({params.add(list(request.agencies))})")
    return where


def search(conn: psycopg.Connection, request: SearchRequest) -> SearchResult:
    """Run a search in one read-only transaction; raises QueryError (SearchTimeout included)."""
    started = clock.perf_counter()
    with conn.transaction():
        conn.execute(f"SET LOCAL statement_timeout = {int(STATEMENT_TIMEOUT_MS)}")
        # A query word in a third of the articles makes a sequential scan look cheaper than
        # the GIN index to the planner, but such a scan de-TOASTs every document to test it:
        # several times slower than the bitmap scan, which reads no document at all.
        conn.execute("SET LOCAL enable_seqscan = off")
        english = english_lexemes(conn, request.query)
        params = _Params()
        compiled = compile_query(request.query, english, params)
        try:
            page, total, total_articles, by_source, by_day = _run(conn, request, compiled,
                                                                  params)
            hits = _hits(conn, request, page, Highlighter(request.query, english))
        except psycopg.errors.QueryCanceled:
            raise SearchTimeout("the search took too long: add a word, or narrow the window "
                                "or the sources") from None
    return SearchResult(request, hits, total, total_articles, by_source, by_day,
                        compiled.notes, (clock.perf_counter() - started) * 1000)


def _run(conn: psycopg.Connection, request: SearchRequest, compiled: Compiled,
         params: _Params) -> tuple[list[tuple[int, float]], int, int, tuple, tuple]:
    found = _filters(request, params)
    match = match_sql(compiled, params)
    checks = match.checks
    if match.index:
        found.insert(0, match.index)
        rank = f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', s.document, {match.tsquery}, 1)"
    else:
        rank = "1.0"
    if compiled.reads_text and not compiled.reads_document:
        # The text checks read the article rows: fetched through one sorted list of ids (one
        # walk of the primary key), 15 % faster than a probe per match on bench/search.py.
        matches = f"""
            SELECT a.id, coalesce(a.story_id, -a.id) AS story, a.source, a.dated_at
            FROM articles a
            WHERE a.id = ANY(ARRAY(SELECT s.article_id FROM article_search s
                                   WHERE {' AND '.join(found or ['true'])}))
              AND {' AND '.join(checks)}"""
    else:
        join = "JOIN articles a ON a.id = s.article_id" if compiled.reads_text else ""
        matches = f"""
            SELECT s.article_id AS id, coalesce(s.story_id, -s.article_id) AS story,
                   s.source, s.dated_at
            FROM article_search s {join}
            WHERE {' AND '.join([*found, *checks] or ['true'])}"""
    # Relevance reads each candidate's document, so only the `RANKED_MATCHES` newest matches
    # are candidates (none when sorting by time); the page takes the best-ranked candidates
    # first (one per story when collapsing), then, only when it reaches past them, the older
    # matches newest first. Every join is on a primary key: the plan cannot go quadratic when
    # the planner misjudges how many articles a bigram matches.
    ranked = 0 if request.sort == "newest" else RANKED_MATCHES
    now = params.add(request.now)
    # In double precision: `extract` gives numeric, whose power() took 10-20 ms per 500
    # candidates on bench/search.py.
    boost = (f"(1 + power(2.0::float8, -greatest(extract(epoch FROM {now}::timestamptz"
             " - c.dated_at)::float8, 0) / 604800.0))")
    cutoff, limit, offset = (params.add(ranked), params.add(request.limit),
                             params.add(request.offset))
    one = "DISTINCT ON (story)" if request.collapse else ""
    by_story = "story, " if request.collapse else ""
    tz = params.add(FACET_TIMEZONE)
    facets = f""",
        (SELECT coalesce(json_agg(json_build_array(source, n) ORDER BY n DESC, source),
                         '[]')
         FROM (SELECT source, count(*) AS n FROM hits GROUP BY source) per_source),
        (SELECT coalesce(json_agg(json_build_array(day, n) ORDER BY day), '[]')
         FROM (SELECT (dated_at AT TIME ZONE {tz})::date AS day, count(*) AS n
               FROM hits GROUP BY 1) per_day)""" if request.facets else ", NULL, NULL"
    total = ("(SELECT count(*) FROM (SELECT DISTINCT story FROM hits) stories)"
             if request.collapse else "(SELECT count(*) FROM hits)")
    # The candidates are a top-N of the matches (a bounded heap, not a sort of them all); the
    # older matches are those past the oldest candidate, in the same (dated_at, id) order.
    past_candidates = ("(dated_at, id) < (SELECT dated_at, id FROM recent"
                       " ORDER BY dated_at, id LIMIT 1)") if ranked else "true"
    sql = f"""
        WITH hits AS MATERIALIZED ({matches}
        ), recent AS MATERIALIZED (
            SELECT id, story, dated_at FROM hits ORDER BY dated_at DESC, id DESC LIMIT {cutoff}
        ), candidates AS MATERIALIZED (
            SELECT c.id, c.story, c.dated_at,
                   (SELECT {rank} FROM article_search s WHERE s.article_id = c.id) * {boost}
                   AS score
            FROM recent c
        ), best AS MATERIALIZED (
            SELECT {one} id, dated_at, score FROM candidates
            ORDER BY {by_story}score DESC, dated_at DESC, id DESC
        ), older AS (
            SELECT id, dated_at, 0.0 AS score
            FROM (SELECT {one} id, dated_at FROM hits
                  ORDER BY {by_story}dated_at DESC, id DESC) first_of_story
            WHERE {past_candidates}
              AND (SELECT count(*) FROM best) < {offset} + {limit}
        )
        SELECT
            (SELECT coalesce(json_agg(json_build_array(id, score) ORDER BY part, score DESC,
                                      dated_at DESC, id DESC), '[]')
             FROM (SELECT * FROM (SELECT 0 AS part, * FROM best
                                  UNION ALL SELECT 1, * FROM older) both_parts
                   ORDER BY part, score DESC, dated_at DESC, id DESC
                   LIMIT {limit} OFFSET {offset}) page),
            {total},
            (SELECT count(*) FROM hits){facets}"""
    page, total, total_articles, by_source, by_day = conn.execute(sql, params.values).fetchone()
    names = {s.id: s.name for s in SOURCES.values()}
    unregistered = [s for s, _ in by_source or () if s not in names]  # imported from elsewhere
    for source in unregistered:
        row = conn.execute("SELECT source_name FROM articles WHERE source = %s LIMIT 1",
                           (source,)).fetchone()
        names[source] = row[0] if row and row[0] else source
    return ([(int(i), float(s)) for i, s in page], int(total), int(total_articles),
            tuple((s, names.get(s, s), int(n)) for s, n in by_source or ()),
            tuple((date.fromisoformat(d), int(n)) for d, n in by_day or ()))


def _hits(conn: psycopg.Connection, request: SearchRequest, page: list[tuple[int, float]],
          highlighter: Highlighter) -> tuple[Hit, ...]:
    if not page:
        return ()
    ids = [i for i, _ in page]
    rows = {row[0]: row for row in conn.execute(
        """SELECT id, title, source, source_name, source_group, url, canonical_url, published_at,
                  dated_at, credit, credit_agency, editor_note, story_id, language, body
           FROM articles WHERE id = ANY(%s)""", (ids,))}
    copies: dict[int, list[Copy]] = {}
    stories = [r[12] for r in rows.values() if r[12] is not None]
    if request.collapse and stories:
        for story_id, *values in conn.execute(
                """SELECT story_id, id, source, source_name, url, published_at, title
                   FROM articles WHERE story_id = ANY(%s) AND NOT id = ANY(%s)
                   ORDER BY published_at NULLS LAST, id""", (stories, ids)):
            copies.setdefault(story_id, []).append(Copy(*values))
    hits = []
    for article_id, score in page:
        row = rows.get(article_id)
        if row is None:
            continue  # removed since the page was ranked
        (_, title, source, source_name, group, url, canonical_url, published_at, dated_at,
         credit, agency, note, story_id, language, body) = row
        width = SNIPPET_WIDTH.get(language or "", DEFAULT_SNIPPET_WIDTH)
        hits.append(Hit(article_id, title, source, source_name, group, url, canonical_url,
                        published_at, dated_at, credit, agency, note, story_id, language,
                        round(score, 6), highlighter.mark(title),
                        highlighter.snippet(body, width), tuple(copies.get(story_id, ()))))
    return tuple(hits)


# ---- validating filters -----------------------------------------------------------------------

def unknown_values(conn: psycopg.Connection, column: Literal["source", "source_group"],
                   values: list[str]) -> list[str]:
    """Values of a filter that neither the registry nor any stored article knows."""
    known = ({s.id for s in SOURCES.values()} if column == "source"
             else {s.group for s in SOURCES.values()})
    missing = [v for v in values if v not in known]
    if not missing:
        return []
    sql = {"source": "SELECT source FROM articles WHERE source = %s LIMIT 1",
           "source_group": "SELECT source_group FROM articles WHERE source_group = %s LIMIT 1"}
    return [v for v in missing if conn.execute(sql[column], (v,)).fetchone() is None]
