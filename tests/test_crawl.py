"""The real Scrapy engine crawling the sample site on 127.0.0.1 into a real Postgres database."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg
import pytest
from conftest import SAMPLE_NOW, run_jpnews, run_scrapy

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import BAD_PAGES, EDITED_SLUG, build_sample_site

STORABLE = [a for a in SAMPLE_ARTICLES if a.kind != "not-article"]


def crawl(database_url: str, base_url: str, *extra: str) -> dict:
    """`scrapy crawl japantoday` against the mirror; returns the crawl_runs row it wrote."""
    done = run_scrapy(
        "crawl", "japantoday",
        "-s", f"DATABASE_URL={database_url}",
        "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": base_url}),
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_TIMEOUT=3",
        "-s", "RETRY_TIMES=1", "-s", "JPNEWS_MAX_LISTING_PAGES=10", *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    with psycopg.connect(database_url) as conn:
        conn.row_factory = psycopg.rows.dict_row
        return conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()


@pytest.fixture
def sample_server() -> Iterator[SiteServer]:
    with SiteServer(build_sample_site(SAMPLE_NOW, include_bad_pages=True)) as server:
        yield server


def test_crawl_stores_every_sample_article_and_counts_bad_pages(db: str, sample_server: SiteServer
                                                                ) -> None:
    run = crawl(db, sample_server.base_url)
    assert run["finish_reason"] == "finished"
    # the page served under a wrong charset is a good article once decoded: it is stored
    assert run["articles_new"] == len(STORABLE) + 1
    assert run["pages"] > len(STORABLE)
    dropped = run["dropped"]
    assert dropped.get("not_article") == 1
    assert dropped.get("no_body") == 1
    assert dropped.get("truncated") == 1
    assert run["errors"] >= 2  # the 500 and the timeout
    with psycopg.connect(db) as conn:
        rows = dict(conn.execute("SELECT canonical_url, body FROM articles").fetchall())
        assert len(rows) == len(STORABLE) + 1
        assert all(url.startswith("https://japantoday.com/category/") for url in rows)
        stored_bad = [url for url in rows if any(url.endswith(p) for p in BAD_PAGES.values())]
        assert stored_bad == ["https://japantoday.com" + BAD_PAGES["wrong-charset"]]
        # decoded, not stored as mojibake
        assert all("\ufffd" not in body and "Ã" not in body for body in rows.values())
        assert "é" in rows[stored_bad[0]]
        sjis = next(a for a in STORABLE if a.kind == "shift_jis")
        body = next(b for u, b in rows.items() if u.endswith(sjis.slug))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body)
        stats = conn.execute("SELECT stats FROM crawl_runs").fetchone()[0]
        assert stats["jpnews/field/body/microdata"] >= 1
        assert stats["jpnews/field/body/generic"] >= 1
        assert stats["jpnews/field/layout/unknown"] == 1  # the redesigned page


def test_second_crawl_adds_nothing_and_an_edit_makes_a_version(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        first = crawl(db, server.base_url)
        second = crawl(db, server.base_url)
    assert first["articles_new"] == len(STORABLE)
    assert second["articles_new"] == 0 and second["articles_updated"] == 0
    assert second["articles_refreshed"] == 0
    assert second["articles_unchanged"] == len(STORABLE)
    # edition 2 rewords one article; served from another port, identity is unchanged
    with SiteServer(build_sample_site(SAMPLE_NOW, edition=2)) as server:
        third = crawl(db, server.base_url)
    assert third["articles_new"] == 0 and third["articles_updated"] == 1
    assert third["articles_refreshed"] == 0
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(STORABLE)
        versions = conn.execute(
            """SELECT v.version, v.body FROM article_versions v JOIN articles a
               ON a.id = v.article_id WHERE a.canonical_url LIKE %s ORDER BY v.version""",
            (f"%/{EDITED_SLUG}",)).fetchall()
        assert [v for v, _ in versions] == [1, 2]
        assert versions[0][1] != versions[1][1]
        assert conn.execute("SELECT version FROM articles WHERE canonical_url LIKE %s",
                            (f"%/{EDITED_SLUG}",)).fetchone()[0] == 2


def test_demo_runs_end_to_end(db: str) -> None:
    done = run_jpnews("demo", "--database-url", db)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "crawl run" in done.stdout
    assert f"{len(STORABLE)} new" in done.stdout
    assert " · Japan Today · " in done.stdout and "© KYODO" in done.stdout
    assert "ago" in done.stdout
    again = run_jpnews("demo", "--database-url", db)
    assert "articles: 0 new, 0 updated, 0 refreshed" in again.stdout


def test_unreachable_database_is_one_clear_line() -> None:
    done = run_jpnews("crawl", "japantoday", "--database-url",
                      "postgresql://postgres@127.0.0.1:9/none")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jpnews: error: cannot reach Postgres")
    assert "Traceback" not in done.stderr


def test_scrapy_crawl_with_database_down_fails(sample_server: SiteServer) -> None:
    done = run_scrapy("crawl", "japantoday", "-s",
                      "DATABASE_URL=postgresql://postgres@127.0.0.1:9/none",
                      "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday":
                                                              sample_server.base_url}))
    assert done.returncode != 0
    assert "cannot reach Postgres" in done.stderr
    assert sample_server.requests == 0  # nothing fetched to be lost


def test_scrapy_list() -> None:
    done = run_scrapy("list")
    assert done.returncode == 0 and "japantoday" in done.stdout.split()
