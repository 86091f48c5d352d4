"""Raw pages are kept, and `jpnews reparse` rebuilds articles from them without the sites."""

from __future__ import annotations

import psycopg
from conftest import SAMPLE_NOW, run_jpnews
from test_crawl import STORABLE, crawl

from crawler.demo.server import SiteServer
from crawler.demo.site import build_sample_site


def test_raw_pages_are_kept_and_reparse_repairs_history(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        crawl(db, server.base_url)
    with psycopg.connect(db) as conn:
        pages = conn.execute("SELECT count(*), count(DISTINCT url) FROM raw_pages").fetchone()
        # every article page fetched, the one that is not an article included
        assert pages == (len(STORABLE) + 1, len(STORABLE) + 1)
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
