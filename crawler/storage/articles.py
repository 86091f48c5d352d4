"""Writing articles and crawl runs: one transaction per batch, COPY in, one upsert out.

A batch is copied into a session-local staging table and merged with a single
INSERT ... ON CONFLICT on the canonical URL. A row whose fingerprints did not change is left
alone (a re-crawl adds nothing); a changed text updates the row, bumps its version and appends the
new text to `article_versions`; changed metadata only updates the row. Either the whole batch
lands or none of it.

Articles and raw pages taken down with `jpnews forget` (the `forgotten` table) are taken out of
the staging tables before the merge and counted: a re-crawl, a re-parse or an import never
brings them back. This is the one place every writer goes through, so the check lives here.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from crawler.incremental import Validators
from crawler.items import Article, RawPage
from crawler.storage import stories
from crawler.urls import canonicalize_url

COLUMNS = ("canonical_url", "url", "source", "source_name", "source_group", "title", "body",
           "summary", "published_at", "modified_at", "credit", "credit_agency", "authors",
           "section", "tags", "language", "editor_note", "image_url", "crawled_at", "paywalled",
           "content_hash", "meta_hash", "provenance", "text_fingerprint", "minhash")
UPDATED_ON_CHANGE = tuple(c for c in COLUMNS if c != "canonical_url")

_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS staging_articles (
    seq integer, canonical_url text, url text, source text, source_name text, source_group text,
    title text, body text, summary text, published_at timestamptz, modified_at timestamptz,
    credit text, credit_agency text, authors text[], section text, tags text[], language text,
    editor_note text, image_url text, crawled_at timestamptz, paywalled boolean,
    content_hash text, meta_hash text, provenance jsonb, text_fingerprint text, minhash bytea
) ON COMMIT DELETE ROWS
"""

# Every CTE sees the table as it was before the statement, so `previous` holds the old hashes.
_MERGE = f"""
WITH latest AS (
    SELECT DISTINCT ON (canonical_url) * FROM staging_articles
    ORDER BY canonical_url, seq DESC
), previous AS (
    SELECT a.canonical_url, a.content_hash FROM articles a JOIN latest USING (canonical_url)
), merged AS (
    INSERT INTO articles AS a ({", ".join(COLUMNS)}, crawl_run_id, first_seen_at)
    SELECT {", ".join(COLUMNS)}, %(run_id)s, coalesce(%(seen_at)s::timestamptz, now())
    FROM latest
    ON CONFLICT (canonical_url) DO UPDATE SET
        {", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_ON_CHANGE)},
        version = a.version
                  + (a.content_hash IS DISTINCT FROM EXCLUDED.content_hash)::integer,
        crawl_run_id = EXCLUDED.crawl_run_id
    WHERE (a.content_hash, a.meta_hash) IS DISTINCT FROM (EXCLUDED.content_hash,
                                                          EXCLUDED.meta_hash)
      AND (NOT %(keep_newest)s OR a.crawled_at <= EXCLUDED.crawled_at)
    RETURNING a.id, a.canonical_url, a.version, a.content_hash, a.title, a.body, a.editor_note,
              a.modified_at, a.crawled_at, a.story_id, (a.xmax = 0) AS inserted
), changed AS (
    SELECT m.*, (m.inserted OR p.content_hash IS DISTINCT FROM m.content_hash) AS new_text
    FROM merged m LEFT JOIN previous p USING (canonical_url)
), history AS (
    INSERT INTO article_versions (article_id, version, content_hash, title, body, editor_note,
                                  modified_at, crawled_at, crawl_run_id)
    SELECT id, version, content_hash, title, body, editor_note, modified_at, crawled_at,
           %(run_id)s
    FROM changed WHERE new_text
)
SELECT id, canonical_url, inserted, new_text, story_id FROM changed
"""

# Either identity of a tombstone (the canonical URL, the address the article was fetched at)
# against either of the staged row's; `= ANY` of two values keeps both lookups on an index.
_FORGOTTEN = """
EXISTS (SELECT 1 FROM forgotten f WHERE f.canonical_url = ANY(ARRAY[s.{a}, s.{b}]))
OR EXISTS (SELECT 1 FROM forgotten f WHERE f.url = ANY(ARRAY[s.{a}, s.{b}]))
"""
_DROP_FORGOTTEN = f"""
DELETE FROM staging_articles s WHERE {_FORGOTTEN.format(a="canonical_url", b="url")}
RETURNING s.canonical_url
"""

_PAGE_COLUMNS = "url, source, body_sha256, body, body_size, status, headers, fetched_at"
_PAGES_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS staging_pages (
    url text, source text, body_sha256 bytea, body bytea, body_size integer,
    status smallint, headers jsonb, fetched_at timestamptz, canonical_url text, etag text,
    last_modified text, gave_article boolean
) ON COMMIT DELETE ROWS
"""
# Binary COPY: the pages' bytes go as they are, not as hex text twice their size.
_PAGES_STAGING_TYPES = ("text", "text", "bytea", "bytea", "int4", "int2", "jsonb", "timestamptz",
                        "text", "text", "text", "bool")
_DROP_FORGOTTEN_PAGES = f"""
DELETE FROM staging_pages s WHERE {_FORGOTTEN.format(a="canonical_url", b="url")}
"""
# Like articles: COPY in, one merge out; an identical re-fetch only moves last_fetched_at.
_PAGES_MERGE = f"""
INSERT INTO raw_pages AS r ({_PAGE_COLUMNS}, last_fetched_at, crawl_run_id)
SELECT DISTINCT ON (url, body_sha256) {_PAGE_COLUMNS}, fetched_at, %(run_id)s
FROM staging_pages ORDER BY url, body_sha256, fetched_at DESC
ON CONFLICT (url, body_sha256) DO UPDATE SET
    last_fetched_at = greatest(r.last_fetched_at, EXCLUDED.last_fetched_at)
"""
# A stored page is a known page for the next incremental crawl (crawler/incremental.py), with
# the validators of the version it has; in the same transaction, so never one without the other.
_PAGES_CHECKED = """
INSERT INTO page_checks AS c (url, canonical_url, source, kind, etag, last_modified,
                              first_checked_at, checked_at, fetched_at, gave_article)
SELECT DISTINCT ON (url) url, canonical_url, source, 'article', etag, last_modified,
       fetched_at, fetched_at, fetched_at, gave_article
FROM staging_pages ORDER BY url, fetched_at DESC
ON CONFLICT (url) DO UPDATE SET
    kind = 'article', etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified,
    gave_article = EXCLUDED.gave_article,
    checked_at = greatest(c.checked_at, EXCLUDED.checked_at),
    fetched_at = greatest(c.fetched_at, EXCLUDED.fetched_at)
"""


@dataclass(frozen=True)
class FetchCounts:
    """What an incremental crawl fetched and spared (crawler/incremental.py)."""

    article_pages: int = 0
    not_modified: int = 0
    known_skipped: int = 0
    rechecks_due: int = 0


@dataclass
class WriteResult:
    new: int = 0
    updated: int = 0
    """Text changed: a new version."""
    refreshed: int = 0
    """Only metadata changed (a corrected date, a parser fix): row updated, no version."""
    unchanged: int = 0
    duplicates: int = 0
    """New or changed texts that joined another article's story (exact or near copies)."""
    new_duplicates: int = 0
    """Of `duplicates`, those that are also counted in `new`."""
    forgotten: int = 0
    """Articles not stored because `jpnews forget` took their URL down."""

    def __iadd__(self, other: WriteResult) -> WriteResult:
        self.new += other.new
        self.updated += other.updated
        self.refreshed += other.refreshed
        self.unchanged += other.unchanged
        self.duplicates += other.duplicates
        self.new_duplicates += other.new_duplicates
        self.forgotten += other.forgotten
        return self


def _row(seq: int, article: Article) -> tuple[Any, ...]:
    values = [getattr(article, c) for c in COLUMNS]
    values[COLUMNS.index("provenance")] = Jsonb(article.provenance)
    return (seq, *values)


class ArticleStore:
    """Typed access to the article tables over a connection pool."""

    def __init__(self, pool: ConnectionPool, now: datetime | None = None) -> None:
        self.pool = pool
        self.now = now
        """The instant recorded as a run's start and end and an article's first sighting: a
        crawl's injected clock (JPNEWS_NOW), so that what the crawl stores and when it says it
        stored it agree; None, the database's clock."""
        self.keep_newest = False
        """Writes of pages fetched in any order (a WARC backfill, dated by the archive's fetch
        time): a copy older than the stored row's crawled_at never replaces it. A crawl's
        pages are fetched now, and a re-parse may date a body by its first fetch, so they do
        not ask for it."""
        self._known_rows: float | None = None
        self._new_since_analyze = 0

    def write(self, articles: Sequence[Article], run_id: int | None = None) -> WriteResult:
        """Store a batch atomically; the last copy of a canonical URL in the batch wins (the
        newest, with `keep_newest`)."""
        if not articles:
            return WriteResult()
        if self.keep_newest:  # in the batch too, the newest copy of a URL is the last one
            articles = sorted(articles, key=lambda article: article.crawled_at)
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(_STAGING)
            with conn.cursor() as cur:
                with cur.copy(f"COPY staging_articles (seq, {', '.join(COLUMNS)}) FROM STDIN") \
                        as copy:
                    for seq, article in enumerate(articles):
                        copy.write_row(_row(seq, article))
                forgotten = {row[0] for row in cur.execute(_DROP_FORGOTTEN)}
                merged = cur.execute(_MERGE, {"run_id": run_id, "seen_at": self.now,
                                              "keep_newest": self.keep_newest}).fetchall()
                latest = {a.canonical_url: a for a in articles
                          if a.canonical_url not in forgotten}
                dedup = stories.assign(cur, [(row_id, latest[url], inserted)
                                             for row_id, url, inserted, new_text, _ in merged
                                             if new_text])
        new = sum(1 for *_, inserted, _, _ in merged if inserted)
        updated = sum(1 for *_, inserted, new_text, _ in merged if new_text and not inserted)
        refreshed = len(merged) - new - updated
        self._new_since_analyze += new
        self._keep_statistics()
        return WriteResult(new=new, updated=updated, refreshed=refreshed,
                           unchanged=len(latest) - len(merged), duplicates=dedup.duplicates,
                           new_duplicates=dedup.joined_new, forgotten=len(forgotten))

    def _keep_statistics(self) -> None:
        """ANALYZE the growing tables once they have grown by half since their statistics.

        The merge and the story lookups are point queries; with statistics taken when a table
        was small the planner turns them into full scans of a table that has since grown a
        hundredfold. Autovacuum catches up eventually; a bulk load or a first crawl outruns it.
        """
        if self._known_rows is None:
            with self.pool.connection() as conn:
                self._known_rows = float(conn.execute(
                    "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'articles'::regclass"
                ).fetchone()[0])
        if self._new_since_analyze < max(1000.0, 0.5 * self._known_rows):
            return
        with self.pool.connection() as conn:
            conn.execute("ANALYZE articles, lsh_bands, stories, story_members")
        self._known_rows += self._new_since_analyze
        self._new_since_analyze = 0

    def write_pages(self, pages: Sequence[RawPage], run_id: int | None = None) -> int:
        """Keep fetched pages as fetched (Postgres compresses them, migration 014); an
        identical re-fetch only updates its time.
        Returns how many were not kept because their URL was taken down (`jpnews forget`):
        the page is checked under its own canonical form, since its article's identity is
        not known until it is parsed."""
        if not pages:
            return 0
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(_PAGES_STAGING)
            with cur.copy(f"COPY staging_pages ({_PAGE_COLUMNS}, canonical_url, etag, "
                          "last_modified, gave_article) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(_PAGES_STAGING_TYPES)
                for page in pages:
                    validators = Validators.of(page.headers)
                    copy.write_row((page.url, page.source, hashlib.sha256(page.body).digest(),
                                    page.body, len(page.body),
                                    page.status, Jsonb(page.headers), page.fetched_at,
                                    canonicalize_url(page.url), validators.etag,
                                    validators.last_modified, page.gave_article))
            refused = cur.execute(_DROP_FORGOTTEN_PAGES).rowcount
            cur.execute(_PAGES_MERGE, {"run_id": run_id})
            cur.execute(_PAGES_CHECKED)
        return max(refused, 0)

    def mark_no_article(self, urls: Sequence[str]) -> None:
        """Pages stored as having given an article that a pipeline then dropped."""
        with self.pool.connection() as conn:
            conn.execute("UPDATE page_checks SET gave_article = false WHERE url = ANY(%s)",
                         (list(urls),))

    def close_abandoned_runs(self, spider: str, running: list[int] | None = None) -> list[int]:
        """Record as interrupted the runs of `spider` that never finished (killed, or their
        host lost); called with the outlet's crawl lock held, so none of them is running but
        those of the lock's other holders (`running`: their server process ids, when crawler
        processes on one Redis frontier hold it shared)."""
        with self.pool.connection() as conn:
            rows = conn.execute(
                """UPDATE crawl_runs SET finished_at = now(), finish_reason = 'interrupted'
                   WHERE spider = %s AND finished_at IS NULL
                     AND (lock_pid IS NULL OR NOT lock_pid = ANY(%s)) RETURNING id""",
                (spider, running or [])).fetchall()
        return sorted(row[0] for row in rows)

    def begin_run(self, spider: str, lock_pid: int | None = None) -> int:
        """A new run's row; `lock_pid` marks it as the outlet lock holder's from the start
        (crawler/storage/lock.py), so that no other holder takes it for abandoned."""
        with self.pool.connection() as conn:
            row = conn.execute("INSERT INTO crawl_runs (spider, started_at, lock_pid) VALUES "
                               "(%s, coalesce(%s::timestamptz, now()), %s) RETURNING id",
                               (spider, self.now, lock_pid)).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, *, reason: str, pages: int, result: WriteResult,
                   dropped: dict[str, int], errors: int, stats: dict[str, Any],
                   fetches: FetchCounts | None = None,
                   monitors: dict[str, Any] | None = None) -> None:
        fetches = fetches or FetchCounts()
        with self.pool.connection() as conn:
            conn.execute(
                """UPDATE crawl_runs SET finished_at = coalesce(%s::timestamptz, now()),
                       finish_reason = %s, pages = %s,
                       articles_new = %s, articles_updated = %s, articles_refreshed = %s,
                       articles_unchanged = %s, dropped = %s, errors = %s, stats = %s,
                       article_pages = %s, not_modified = %s, known_skipped = %s,
                       rechecks_due = %s, monitors = %s
                   WHERE id = %s""",
                (self.now, reason, pages, result.new, result.updated, result.refreshed,
                 result.unchanged, Jsonb(dropped), errors, Jsonb(stats), fetches.article_pages,
                 fetches.not_modified, fetches.known_skipped, fetches.rechecks_due,
                 None if monitors is None else Jsonb(monitors), run_id))


def page_body(body: bytes | None, body_gz: bytes | None) -> bytes:
    """The bytes of a stored raw page: `body` as fetched, or the gzip of a row written before
    migration 014."""
    if body is not None:
        return bytes(body)
    if body_gz is None:
        raise ValueError("a raw page row with neither body nor body_gz")
    return gzip.decompress(body_gz)


def counts(conn: psycopg.Connection) -> dict[str, int]:
    """Row counts of the main tables, for `jpnews db status` and the demo summary."""
    out = {}
    for table in ("articles", "article_versions", "raw_pages", "crawl_runs"):
        out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    return out
