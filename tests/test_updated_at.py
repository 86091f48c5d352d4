"""`articles.updated_at` (migration 008): backfilled for rows stored before it, then kept by
the database on every change of a row, by any writer, and left alone when nothing changed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
from conftest import fresh_database, run_jpnews, schema_before

ARTICLE = {"url": "https://japantoday.com/category/national/ferry-sailings",
           "source": "japantoday", "language": "en",
           "title": "Ferry operator adds evening sailings",
           "published_at": "2026-12-01T09:00:00+09:00",
           "crawled_at": "2026-12-01T01:00:00+00:00",
           "body": "A ferry operator in Hiroshima said it would add evening sailings to three "
                   "islands from next month, citing a rise in weekend visitors.\n\nThe company "
                   "said fares would stay the same and that bookings open on Monday."}
INSERT = """INSERT INTO articles (canonical_url, url, source, source_name, title, body,
                                  crawled_at, first_seen_at, content_hash)
            VALUES (%s, %s, 'japantoday', 'Japan Today', 'A title', 'A body', %s, %s, 'x')"""


def test_rows_stored_before_the_migration_get_their_last_write_time(admin_url: str) -> None:
    from crawler.storage.db import migrate

    first_seen = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with fresh_database(admin_url) as url, psycopg.connect(url) as conn:
        with conn.transaction():  # the schema as it was before 008_updated_at.sql
            schema_before(conn, "008")
            # fetched again later with a changed text: crawled_at moved on
            conn.execute(INSERT, ("https://a/1", "https://a/1", first_seen + timedelta(days=3),
                                  first_seen))
            # imported from an old dump: its crawl time is older than its first sight here
            conn.execute(INSERT, ("https://a/2", "https://a/2", first_seen - timedelta(days=30),
                                  first_seen))
        assert "008_updated_at.sql" in migrate(conn)
        rows = dict(conn.execute("SELECT canonical_url, updated_at FROM articles").fetchall())
        assert rows == {"https://a/1": first_seen + timedelta(days=3),
                        "https://a/2": first_seen}
        nullable, default = conn.execute(
            """SELECT is_nullable, column_default FROM information_schema.columns
               WHERE table_name = 'articles' AND column_name = 'updated_at'""").fetchone()
        assert nullable == "NO" and default == "now()"


def _updated(conn: psycopg.Connection, article_id: int) -> datetime:
    return conn.execute("SELECT updated_at FROM articles WHERE id = %s",
                        (article_id,)).fetchone()[0]


def test_any_change_of_a_row_moves_updated_at_and_no_change_does_not(db: str) -> None:
    with psycopg.connect(db, autocommit=True) as conn:  # one transaction per statement
        article_id = conn.execute(INSERT + " RETURNING id", (
            "https://a/1", "https://a/1", datetime.now(timezone.utc),
            datetime.now(timezone.utc))).fetchone()[0]
        inserted = _updated(conn, article_id)
        conn.execute("UPDATE articles SET title = title, body = body WHERE id = %s",
                     (article_id,))
        assert _updated(conn, article_id) == inserted  # nothing changed
        conn.execute("UPDATE articles SET updated_at = '2001-01-01' WHERE id = %s",
                     (article_id,))
        assert _updated(conn, article_id) == inserted  # the column is the database's
        story = conn.execute("INSERT INTO stories (representative_id) VALUES (%s) "
                             "RETURNING id", (article_id,)).fetchone()[0]
        for change in ("title = 'Another title'", "tags = '{ferries}'",
                       f"story_id = {int(story)}",  # story matching writes only this
                       "published_at = now() - interval '1 day'"):  # dated_at follows
            before = _updated(conn, article_id)
            conn.execute(f"UPDATE articles SET {change} WHERE id = %s", (article_id,))
            assert _updated(conn, article_id) > before, change


def _import(url: str, path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    done = run_jpnews("import", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr


def test_the_store_and_story_matching_move_it(db: str, tmp_path: Path) -> None:
    _import(db, tmp_path / "a.jsonl", [ARTICLE])
    with psycopg.connect(db) as conn:
        (article_id, first), = conn.execute("SELECT id, updated_at FROM articles").fetchall()
    _import(db, tmp_path / "b.jsonl", [ARTICLE])  # unchanged: the row is not written
    with psycopg.connect(db) as conn:
        assert _updated(conn, article_id) == first
    changed = {**ARTICLE, "body": ARTICLE["body"].replace("Monday", "Tuesday")}
    _import(db, tmp_path / "c.jsonl", [changed])  # a new version
    with psycopg.connect(db) as conn:
        second = _updated(conn, article_id)
    assert second > first
    copy = {**changed, "source": "kyodo",
            "url": "https://english.kyodonews.net/news/2026/12/ab12cd34-ferry-sailings.html"}
    # a wire copy joins the story: the first row keeps its story, so it keeps its time
    _import(db, tmp_path / "d.jsonl", [copy])
    with psycopg.connect(db) as conn:
        rows = conn.execute("SELECT id, story_id, updated_at FROM articles ORDER BY id").fetchall()
    assert len(rows) == 2 and rows[0][1] == rows[1][1]
    assert rows[0][2] == second and rows[1][2] > second
