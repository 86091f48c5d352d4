"""`jpnews forget`: a taken-down article leaves every table that held it (text, versions,
search document, near-duplicate keys, story membership, raw pages), its story is recounted,
search and exports stop showing it, a tombstone stays, and neither the store nor an import
brings it back until `--undo`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import run_jpnews
from newsroom import article

from crawler.items import RawPage
from crawler.storage.articles import ArticleStore
from crawler.storage.db import connect, open_pool, prepare
from crawler.storage.forget import forget, tombstones

FERRY = "https://japantoday.example/news/ferry"


@pytest.fixture
def store(db: str) -> Iterator[ArticleStore]:
    pool = open_pool(prepare(db))
    yield ArticleStore(pool)
    pool.close()


def page(url: str, source: str = "japantoday") -> RawPage:
    return RawPage(url=url, source=source, body=f"<html>{url}</html>".encode(), status=200,
                   headers={}, fetched_at=datetime.now(timezone.utc))


def held(url: str, article_id: int) -> dict[str, int]:
    """Rows that hold something of the article, by table."""
    queries = {
        "articles": "SELECT count(*) FROM articles WHERE id = %(id)s",
        "article_versions": "SELECT count(*) FROM article_versions WHERE article_id = %(id)s",
        "article_search": "SELECT count(*) FROM article_search WHERE article_id = %(id)s",
        "lsh_bands": "SELECT count(*) FROM lsh_bands WHERE article_id = %(id)s",
        "story_members": "SELECT count(*) FROM story_members "
                         "WHERE article_id = %(id)s OR matched_id = %(id)s",
        "stories": "SELECT count(*) FROM stories WHERE representative_id = %(id)s",
        "raw_pages": "SELECT count(*) FROM raw_pages WHERE url LIKE %(url)s || '%%'",
    }
    with psycopg.connect(url) as conn:
        return {table: conn.execute(sql, {"id": article_id, "url": FERRY}).fetchone()[0]
                for table, sql in queries.items()}


def search_urls(url: str, query: str) -> list[str]:
    done = run_jpnews("search", query, "--since", "any", "--all-copies", "--json",
                      "--database-url", url)
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["url"] for line in done.stdout.splitlines()]


def test_forget_removes_the_article_everywhere_and_keeps_a_tombstone(
        db: str, store: ArticleStore, tmp_path: Path) -> None:
    store.write([article("ferry"), article("ferry", source="mainichi", minutes=5),
                 article("orchard")])
    store.write([article("ferry", extra="Sailings start on the 5th.")])
    store.write_pages([page(FERRY), page(FERRY + "?utm_source=rss"),
                       page("https://japantoday.example/news/orchard")])
    before = held(db, 1)
    assert before == {"articles": 1, "article_versions": 2, "article_search": 1,
                      "lsh_bands": before["lsh_bands"], "story_members": 2, "stories": 1,
                      "raw_pages": 2}
    assert before["lsh_bands"] > 0
    assert len(search_urls(db, "ferry Hiroshima")) == 2

    done = run_jpnews("forget", FERRY.replace("https://", "http://") + "/?utm_source=x",
                      "--reason", "court order 2026-117", "--database-url", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"{FERRY}: article 1 forgotten: 2 versions, 2 raw pages "
                                   "deleted; tombstone kept")
    assert held(db, 1) == dict.fromkeys(before, 0)
    with psycopg.connect(db) as conn:
        story = conn.execute("SELECT s.members, s.representative_id = a.id FROM stories s "
                             "JOIN articles a ON a.story_id = s.id "
                             "WHERE a.source = 'mainichi'").fetchone()
        pages = conn.execute("SELECT url FROM raw_pages").fetchall()
        tombstone = conn.execute("SELECT canonical_url, article_id, reason FROM forgotten"
                                 ).fetchall()
    assert story == (1, True)  # the copy is its story's only member and representative now
    assert pages == [("https://japantoday.example/news/orchard",)]
    assert tombstone == [(FERRY, 1, "court order 2026-117")]
    assert search_urls(db, "ferry Hiroshima") == ["https://mainichi.example/news/ferry"]
    dump = tmp_path / "dump.jsonl"
    exported = run_jpnews("export", "--format", "jsonl", "-o", str(dump), "--database-url", db)
    assert exported.returncode == 0, exported.stderr
    assert FERRY not in {json.loads(line)["canonical_url"]
                         for line in dump.read_text().splitlines()}
    listed = run_jpnews("forget", "--list", "--database-url", db)
    assert f"{FERRY} (article 1): court order 2026-117" in listed.stdout


def test_the_store_refuses_forgotten_urls_and_counts_them(db: str, store: ArticleStore) -> None:
    store.write([article("ferry")])
    with connect(db) as conn:
        forget(conn, FERRY, "takedown")
    again = store.write([article("ferry"), article("orchard"), article("ferry")])
    assert (again.new, again.forgotten, again.unchanged) == (1, 1, 0)
    assert store.write_pages([page(FERRY), page(FERRY + "?utm_medium=feed"),
                              page("https://japantoday.example/news/orchard")]) == 2
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT canonical_url FROM articles").fetchall() == \
            [("https://japantoday.example/news/orchard",)]
        assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] == 1


def test_a_url_never_stored_can_be_forgotten_before_it_is(db: str, store: ArticleStore) -> None:
    with connect(db) as conn:
        done = forget(conn, FERRY + "?utm_source=x", "request before publication")
    assert done.article_id is None and done.canonical_url == FERRY
    assert store.write([article("ferry")]).forgotten == 1


def test_the_address_an_article_was_fetched_at_finds_it_and_stays_out(
        db: str, store: ArticleStore) -> None:
    printed = article("ferry")
    printed.url = "https://japantoday.example/print/ferry-item"  # rel=canonical named FERRY
    store.write([printed])
    with connect(db) as conn:
        done = forget(conn, printed.url, "takedown")
        assert done.article_id == 1 and done.canonical_url == FERRY
        assert [(t.canonical_url, t.url) for t in tombstones(conn)] == [(FERRY, printed.url)]
    moved = article("ferry")  # the outlet changed its canonical URL: the address still counts
    moved.canonical_url = "https://japantoday.example/news/ferry-renamed"
    moved.url = printed.url
    assert store.write([moved]).forgotten == 1
    assert store.write_pages([page(printed.url)]) == 1


def test_import_skips_forgotten_urls_until_undo(db: str, store: ArticleStore,
                                                tmp_path: Path) -> None:
    store.write([article("ferry")])
    record: dict[str, Any] = {"url": FERRY, "source": "japantoday", "language": "en",
                              "title": "Ferry news", "body": "\n\n".join(
                                  article("ferry").body.split("\n\n")),
                              "crawled_at": "2026-11-20T03:00:00+00:00"}
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps(record) + "\n")
    forgot = run_jpnews("forget", FERRY, "--reason", "takedown", "--database-url", db)
    assert forgot.returncode == 0, forgot.stderr
    skipped = run_jpnews("import", str(dump), "--database-url", db)
    assert skipped.returncode == 0, skipped.stderr
    assert "0 new" in skipped.stdout and "1 forgotten (taken down, not stored)" in skipped.stdout
    lifted = run_jpnews("forget", FERRY, "--undo", "--database-url", db)
    assert lifted.returncode == 0 and "tombstone lifted" in lifted.stdout
    stored = run_jpnews("import", str(dump), "--database-url", db)
    assert "1 new" in stored.stdout and "0 forgotten" in stored.stdout


def test_forget_errors_are_one_line(db: str) -> None:
    for args, message in ((("forget", FERRY), "--reason"),
                          (("forget", FERRY, "--reason", "  "), "--reason"),
                          (("forget", "--reason", "x"), "needs a URL"),
                          (("forget", "ferry", "--reason", "x"), "not a web address"),
                          (("forget", FERRY, "--undo"), "nothing forgotten under")):
        done = run_jpnews(*args, "--database-url", db)
        assert done.returncode == 1, args
        assert done.stderr.startswith("jpnews: error: ") and message in done.stderr, args
        assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_deletes_find_the_references_to_an_article_by_index(db: str) -> None:
    """Deleting an article sets stories.representative_id and story_members.matched_id to
    null where they name it: without an index each delete reads both tables whole."""
    with psycopg.connect(db) as conn:
        conn.execute("SET enable_seqscan = off")
        for table, column in (("stories", "representative_id"), ("story_members",
                                                                 "matched_id")):
            plan = "\n".join(row[0] for row in conn.execute(
                f"EXPLAIN SELECT 1 FROM {table} WHERE {column} = 1"))  # noqa: S608
            assert f"{table}_" in plan and "Index" in plan, plan
