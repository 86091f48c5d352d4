"""The `jpnews` command as a user runs it: extract, search, sources, db status, errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from conftest import FIXTURES, run_jpnews

EVACUATION = FIXTURES / "japantoday" / "evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu.html"
EVACUATION_URL = "https://japantoday.com/category/national/evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu"


def test_extract_reads_gzipped_pages(tmp_path: Path) -> None:
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(EVACUATION.read_bytes()))
    done = run_jpnews("extract", "--url", EVACUATION_URL, str(packed))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["credit_agency"] == "KYODO" and article["editor_note"].startswith("Editor:")


def test_extract_unknown_outlet_uses_the_generic_path(tmp_path: Path) -> None:
    done = run_jpnews("extract", "--url", "https://news.example.org/2026/11/29/rain", str(EVACUATION))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["source"] == "news.example.org"
    assert article["title"] == "Evacuation orders issued as heavy rain lashes southern Kyushu"


def test_extract_list_gives_one_line_per_page_errors_included(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><body><p>Nothing here.</p></body></html>")
    listing = tmp_path / "pages.tsv"
    listing.write_text(f"{EVACUATION_URL}\t{EVACUATION}\n"
                       "https://japantoday.com/category/national/empty\tempty.html\n"
                       "https://japantoday.com/category/national/missing\tmissing.html\n")
    done = run_jpnews("extract", "--list", str(listing))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["title"].startswith("Evacuation orders")
    assert set(lines[1]) == {"url", "error"}
    assert "no_title" in lines[1]["error"]
    assert set(lines[2]) == {"url", "error"} and lines[2]["url"].endswith("/missing")


def test_errors_are_one_line_with_nonzero_exit(tmp_path: Path) -> None:
    for args in (["extract", "--url", EVACUATION_URL, str(tmp_path / "nope.html")],
                 ["crawl", "nosuchoutlet"],
                 ["search", "rain", "--since", "5q"]):
        done = run_jpnews(*args)
        assert done.returncode == 1, args
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_search_status_and_sources_after_the_demo(db: str) -> None:
    assert run_jpnews("demo", "--database-url", db).returncode == 0
    found = run_jpnews("search", '"heavy rain" Kyushu', "--since", "1y", "--group",
                       "media-jepang", "--database-url", db, "--json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [h["title"] for h in hits] == [
        "Evacuation orders issued as heavy rain lashes southern Kyushu"]
    assert hits[0]["credit"] == "© KYODO" and hits[0]["editor_note"].startswith("Editor:")
    # quoted words match exactly, as a phrase in that order
    nothing = run_jpnews("search", '"rain heavy"', "--database-url", db, "--json")
    assert nothing.returncode == 0 and nothing.stdout == ""
    status = run_jpnews("db", "status", "--database-url", db)
    assert status.returncode == 0 and "articles: 26" in status.stdout
    assert "001_articles.sql" in status.stdout
    sources = run_jpnews("sources")
    assert "japantoday" in sources.stdout and "media-jepang" in sources.stdout
