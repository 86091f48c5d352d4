"""The `jpnews` command as a user runs it: extract, search, sources, db status, errors."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

from conftest import FIXTURES, ROOT, run_jpnews

EVACUATION = FIXTURES / "japantoday" / "evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu.html"
EVACUATION_URL = "https://japantoday.com/category/national/evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu"


def test_extract_reads_gzipped_pages(tmp_path: Path) -> None:
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(EVACUATION.read_bytes()))
    done = run_jpnews("extract", "--url", EVACUATION_URL, str(packed))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    assert article["credit_agency"] == "KYODO" and article["editor_note"].startswith("Editor:")


def test_extract_refuses_a_gzip_bomb_in_one_line_within_the_size_cap(tmp_path: Path) -> None:
    """600 MB of zeros in 600 kB of gzip: refused at the cap (JPNEWS_DOWNLOAD_MAXSIZE, the
    crawl's own), read by a streaming decompressor; the whole bomb is never in memory."""
    bomb = tmp_path / "page.html.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with bomb.open("wb") as out:
        out.write(packer.compress(b"<html><body><p>"))
        for _ in range(600):
            out.write(packer.compress(bytes(1024 * 1024)))
        out.write(packer.flush())
    assert bomb.stat().st_size < 1024 * 1024
    # The command in a child of its own child, so that the peak memory of that one process
    # is what RUSAGE_CHILDREN reports.
    probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], "
             "capture_output=True, text=True); print(done.returncode); print(done.stderr, "
             "end=''); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "crawler.cli",
                           "extract", "--url", EVACUATION_URL, str(bomb)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "JPNEWS_DOWNLOAD_MAXSIZE": str(4 * 1024 * 1024)})
    returncode, *stderr, peak_kb = done.stdout.splitlines()
    assert returncode == "1", done.stdout
    assert len(stderr) == 1 and "Traceback" not in done.stdout, done.stdout
    assert stderr[0] == (f"jpnews: error: {bomb} is larger than 4,194,304 bytes once "
                         "decompressed (the crawl's limit, JPNEWS_DOWNLOAD_MAXSIZE)")
    assert int(peak_kb) < 300 * 1024, f"peak {int(peak_kb) // 1024} MB for a 4 MB cap"


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
