"""Writing articles and crawl runs: one transaction per batch, COPY in, one upsert out.

A batch is copied into a session-local staging table and merged with a single
INSERT ... ON CONFLICT on the canonical URL. A row whose text fingerprint did not change is left
alone (a re-crawl adds nothing); a changed text updates the row, bumps its version and appends the
new text to `article_versions`. Either the whole batch lands or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from crawler.items import Article

COLUMNS = ("canonical_url", "url", "source", "source_name", "source_group", "title", "body",
           "summary", "published_at", "modified_at", "credit", "credit_agency", "authors",
           "section", "tags", "language", "editor_note", "image_url", "crawled_at",
           "content_hash", "provenance")
UPDATED_ON_CHANGE = tuple(c for c in COLUMNS if c != "canonical_url")

_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS staging_articles (
    seq integer, canonical_url text, url text, source text, source_name text, source_group text,
    title text, body text, summary text, published_at timestamptz, modified_at timestamptz,
    credit text, credit_agency text, authors text[], section text, tags text[], language text,
    editor_note text, image_url text, crawled_at timestamptz, content_hash text, provenance jsonb
) ON COMMIT DELETE ROWS
"""

_MERGE = f"""
WITH latest AS (
    SELECT DISTINCT ON (canonical_url) * FROM staging_articles
    ORDER BY canonical_url, seq DESC
), merged AS (
    INSERT INTO articles AS a ({", ".join(COLUMNS)}, crawl_run_id)
    SELECT {", ".join(COLUMNS)}, %(run_id)s FROM latest
    ON CONFLICT (canonical_url) DO UPDATE SET
        {", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED_ON_CHANGE)},
        version = a.version + 1,
        crawl_run_id = EXCLUDED.crawl_run_id
    WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
    RETURNING a.id, a.version, a.content_hash, a.title, a.body, a.editor_note, a.modified_at,
              a.crawled_at, (a.xmax = 0) AS inserted
), history AS (
    INSERT INTO article_versions (article_id, version, content_hash, title, body, editor_note,
                                  modified_at, crawled_at, crawl_run_id)
    SELECT id, version, content_hash, title, body, editor_note, modified_at, crawled_at,
           %(run_id)s
    FROM merged
)
SELECT (SELECT count(*) FROM latest),
       count(*) FILTER (WHERE inserted),
       count(*) FILTER (WHERE NOT inserted)
FROM merged
"""


@dataclass
class WriteResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: WriteResult) -> WriteResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def _row(seq: int, article: Article) -> tuple[Any, ...]:
    values = [getattr(article, c) for c in COLUMNS]
    values[COLUMNS.index("provenance")] = Jsonb(article.provenance)
    return (seq, *values)


class ArticleStore:
    """Typed access to the article tables over a connection pool."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool

    def write(self, articles: Sequence[Article], run_id: int | None = None) -> WriteResult:
        """Store a batch atomically; the last copy of a canonical URL in the batch wins."""
        if not articles:
            return WriteResult()
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(_STAGING)
            with conn.cursor() as cur:
                with cur.copy(f"COPY staging_articles (seq, {', '.join(COLUMNS)}) FROM STDIN") \
                        as copy:
                    for seq, article in enumerate(articles):
                        copy.write_row(_row(seq, article))
                distinct, new, updated = cur.execute(_MERGE, {"run_id": run_id}).fetchone()
        return WriteResult(new=new, updated=updated, unchanged=distinct - new - updated)

    def begin_run(self, spider: str) -> int:
        with self.pool.connection() as conn:
            row = conn.execute("INSERT INTO crawl_runs (spider) VALUES (%s) RETURNING id",
                               (spider,)).fetchone()
        return int(row[0])

    def finish_run(self, run_id: int, *, reason: str, pages: int, result: WriteResult,
                   dropped: dict[str, int], errors: int, stats: dict[str, Any]) -> None:
        with self.pool.connection() as conn:
            conn.execute(
                """UPDATE crawl_runs SET finished_at = now(), finish_reason = %s, pages = %s,
                       articles_new = %s, articles_updated = %s, articles_unchanged = %s,
                       dropped = %s, errors = %s, stats = %s
                   WHERE id = %s""",
                (reason, pages, result.new, result.updated, result.unchanged, Jsonb(dropped),
                 errors, Jsonb(stats), run_id))


def counts(conn: psycopg.Connection) -> dict[str, int]:
    """Row counts of the main tables, for `jpnews db status` and the demo summary."""
    out = {}
    for table in ("articles", "article_versions", "crawl_runs"):
        out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    return out
