"""The real Scrapy engine crawling the sample site on 127.0.0.1 into a real Postgres database."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import SAMPLE_NOW, fresh_database, run_jpnews, run_scrapy

from crawler.demo.articles import SAMPLE_ARTICLES
from crawler.demo.server import SiteServer
from crawler.demo.site import BAD_PAGES, EDITED_SLUG, Page, SampleSite, build_sample_site

STORABLE = [a for a in SAMPLE_ARTICLES if a.kind != "not-article"]


def crawl(database_url: str, base_url: str, *extra: str) -> dict:
    """`scrapy crawl japantoday` against the mirror; returns the crawl_runs row it wrote, with
    the crawl's log under "log"."""
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
        run = conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return {**run, "log": done.stderr}


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


def test_a_full_recrawl_adds_nothing_and_an_edit_makes_a_version(db: str) -> None:
    """Every article fetched again (--full): the store keeps what did not change as it is.
    (What an incremental crawl fetches is tests/test_incremental.py's subject.)"""
    full = ("-s", "JPNEWS_FULL_CRAWL=1")
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        first = crawl(db, server.base_url)
        second = crawl(db, server.base_url, *full)
    assert first["articles_new"] == len(STORABLE)
    assert second["articles_new"] == 0 and second["articles_updated"] == 0
    assert second["articles_refreshed"] == 0
    assert second["articles_unchanged"] == len(STORABLE)
    # edition 2 rewords one article; served from another port, identity is unchanged
    with SiteServer(build_sample_site(SAMPLE_NOW, edition=2)) as server:
        third = crawl(db, server.base_url, *full)
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


def test_feed_export_writes_the_articles_jpnews_import_reads(db: str, admin_url: str,
                                                             tmp_path: Path) -> None:
    feed = tmp_path / "articles.jsonl"
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        run = crawl(db, server.base_url, "-O", str(feed))
    lines = feed.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == run["articles_new"] == len(STORABLE)
    assert " ERROR: " not in run["log"] and "Traceback" not in run["log"]
    assert f"Stored jsonl feed ({len(STORABLE)} items)" in run["log"]
    # articles only, in the schema's JSON form: no raw page, no internal MinHash
    assert all(set(r) >= {"url", "canonical_url", "title", "body", "content_hash"}
               and "minhash" not in r and "status" not in r for r in records)
    assert {r["canonical_url"].rsplit("/", 1)[-1] for r in records} == {a.slug for a in STORABLE}
    with psycopg.connect(db) as conn:  # raw pages still reach the store, by their own path
        assert conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0] >= len(STORABLE)
    with fresh_database(admin_url) as other:
        done = run_jpnews("import", str(feed), "--database-url", other)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(STORABLE)} records: {len(STORABLE)} new," in done.stdout
    assert "0 rejected" in done.stdout


# Failures of every request come quickly: no retry, no politeness pause on loopback.
FAST_FAILURE = ("-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "DOWNLOAD_DELAY=0",
                "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_crawl_that_fetched_nothing_fails_and_shows_no_older_article(db: str) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        crawl(db, server.base_url)  # an earlier run's articles, which must not be shown as new
    done = run_jpnews("crawl", "japantoday", "--database-url", db,
                      "--base-url", f"japantoday=http://127.0.0.1:{closed_port()}", *FAST_FAILURE)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    failed = re.search(r"connection refused ×(\d+)", done.stdout)
    assert failed, done.stdout
    # one warning line per failed request at most: no "Gave up retrying" beside it
    assert done.stderr.count("Connection was refused") <= 1  # robots.txt, once
    assert done.stderr.count("WARNING: failed ") == int(failed.group(1))
    assert "(japantoday, failed): 0 pages fetched" in done.stdout
    assert "jpnews: error: crawl failed: japantoday: every request failed" in done.stderr
    assert not any(a.title in output for a in STORABLE)


def test_scrapy_crawl_of_a_site_answering_500_fails(db: str) -> None:
    site = build_sample_site(SAMPLE_NOW)
    broken = SampleSite(site.now, {path: Page(b"<html>down</html>", status=500)
                                   for path in site.pages}, [])
    with SiteServer(broken) as server:
        done = run_scrapy("crawl", "japantoday", "-s", f"DATABASE_URL={db}",
                          "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": server.base_url}),
                          *FAST_FAILURE)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert re.search(r"ERROR: japantoday: crawl failed: every request failed \(HTTP 500 ×\d+\)",
                     done.stderr), done.stderr[-3000:]
    assert re.search(r"japantoday: fetched 0 pages, stored 0 new, .*: HTTP 500 ×\d+",
                     done.stderr)
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT finish_reason FROM crawl_runs").fetchone()[0] == "failed"


def test_demo_runs_end_to_end(db: str) -> None:
    done = run_jpnews("demo", "--database-url", db)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "crawl run" in done.stdout
    assert f"{len(STORABLE)} new" in done.stdout
    assert " · Japan Today · " in done.stdout and "© KYODO" in done.stdout
    assert "ago" in done.stdout
    assert f"{len(STORABLE) + 1} of them articles" in done.stdout  # with the non-article
    # right after it, the same site again: every feed and listing answers 304, no article page
    # is fetched, and the run still succeeds
    again = run_jpnews("demo", "--database-url", db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "articles: 0 new, 0 updated, 0 refreshed" in again.stdout
    assert re.search(r": 0 pages fetched, 0 of them articles; [1-9]\d* not modified \(304\)",
                     again.stdout), again.stdout


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


def test_crawl_without_the_store_never_touches_the_database(tmp_path: Path) -> None:
    """Pipelines off (a plain feed export): the spider neither reads nor keeps the pages'
    validators, so a database that is not there costs nothing and logs nothing. The site has
    no bad pages: after a clean crawl the validators of its feeds and listings are due."""
    out = tmp_path / "articles.jsonl"
    with SiteServer(build_sample_site(SAMPLE_NOW)) as sample_server:
        done = run_scrapy("crawl", "japantoday", "-s", "ITEM_PIPELINES={}", "-O", str(out),
                          "-s", "DATABASE_URL=postgresql://postgres@127.0.0.1:9/none",
                          "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday":
                                                                  sample_server.base_url}),
                          "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0",
                          "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0")
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(out.read_text().splitlines()) >= len(STORABLE)
    assert "validators" not in done.stderr
    assert "Postgres" not in done.stderr
