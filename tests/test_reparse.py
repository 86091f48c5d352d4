"""Raw pages are kept, and `jpnews reparse` rebuilds articles from them without the sites."""

from __future__ import annotations

import gzip

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from test_crawl import STORABLE, crawl

from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site


def test_raw_pages_are_kept_and_reparse_repairs_history(db: str) -> None:
    site = build_sample_site(SAMPLE_NOW)
    with SiteServer(site) as server:
        crawl(db, server.base_url)
    with psycopg.connect(db) as conn:
        pages = conn.execute("SELECT count(*), count(DISTINCT url) FROM raw_pages").fetchone()
        # every article page fetched, the one that is not an article included
        assert pages == (len(STORABLE) + 1, len(STORABLE) + 1)
        # kept as served, compressed by Postgres (TOAST), not by the crawler
        rows = conn.execute("SELECT url, body, body_gz, pg_column_compression(body) "
                            "FROM raw_pages").fetchall()
        served = {page.body for page in site.pages.values()}
        for url, body, body_gz, compression in rows:
            assert bytes(body) in served, url
            assert body_gz is None and compression in ("lz4", "pglz"), (url, compression)
        # rows written before migration 014 hold gzip in body_gz: half the pages made so
        for row_id, body in conn.execute("SELECT id, body FROM raw_pages WHERE id % 2 = 0"):
            conn.execute("UPDATE raw_pages SET body = NULL, body_gz = %s WHERE id = %s",
                         (gzip.compress(bytes(body)), row_id))
        # a bug of an old parser: titles damaged and dates lost in two rows
        conn.execute("""UPDATE articles SET title = 'BROKEN', content_hash = 'x'
                        WHERE id = (SELECT min(id) FROM articles)""")
        conn.execute("""UPDATE articles SET published_at = NULL, meta_hash = 'x'
                        WHERE id = (SELECT max(id) FROM articles)""")
    done = run_jpnews("reparse", "--source", "japantoday", "--database-url", db)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"re-parsed {len(STORABLE) + 1} stored pages" in done.stdout
    assert "1 updated, 1 refreshed" in done.stdout
    assert "not_article 1" in done.stdout
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE title = 'BROKEN' "
                            "OR published_at IS NULL AND canonical_url NOT LIKE %s",
                            ("%volunteer-divers%",)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(STORABLE)
    again = run_jpnews("reparse", "--database-url", db)
    assert f"0 new, 0 updated, 0 refreshed, {len(STORABLE)} unchanged" in again.stdout


def test_reparse_rejects_an_unknown_outlet(db: str) -> None:
    done = run_jpnews("reparse", "--source", "nosuch", "--database-url", db)
    assert done.returncode == 1 and "unknown outlet" in done.stderr
