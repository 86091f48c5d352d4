"""The real pages of ../shared/corpus (never copied here): listing links and extract on every page."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from conftest import corpus_path, run_jpnews

from crawler.dates import parse_date
from crawler.discovery import listing_entries
from crawler.html import parse_html
from crawler.sources import JAPANTODAY

HOMEPAGE = ("en", "japantoday", "japantoday.com_homepage_2018-03-19.EXCERPT.html")


def test_japantoday_2018_homepage_yields_its_article_links() -> None:
    page = corpus_path(*HOMEPAGE)
    entries = listing_entries(parse_html(page.read_text(encoding="utf-8")),
                              "https://japantoday.com/", JAPANTODAY)
    urls = [e.url for e in entries]
    assert len(urls) == len(set(urls)) >= 6
    assert all(JAPANTODAY.is_article_url(u) for u in urls)
    assert "https://japantoday.com/category/national/500-people-stranded-aboard-ferry-in-" \
           "western-japan-since-sunday" in urls
    assert "https://japantoday.com/category/business/Japan-logs-Y3.4-billion-trade-surplus-" \
           "with-US" in urls
    # section and subsection pages are listings, not articles
    assert not any(u.rstrip("/").endswith(("/category/national", "/features/lifestyle"))
                   for u in urls)
    dated = {e.url.rsplit("/", 1)[-1]: e.published for e in entries if e.published}
    assert dated["500-people-stranded-aboard-ferry-in-western-japan-since-sunday"] == \
        "2018-03-19 18:40"
    assert dated["conveyor-belt-sushi-chain-where-foreigner-filmed-gopro-video-considers-" \
                 "pressing-criminal-charges"] == "2018-03-19 06:00"
    stamp = parse_date(dated["hunting-dogs-attack-three-girls-in-tokushima"], tz="Asia/Tokyo")
    assert stamp is not None and stamp.isoformat() == "2018-03-19T15:24:00+09:00"


def _corpus_pages(root: Path) -> list[tuple[str, Path]]:
    """(url, file) of every real article page in the corpus, from its metadata files."""
    pages: list[tuple[str, Path]] = []
    for meta in sorted(root.glob("*/*/*.meta.json")):
        if "japantoday" in meta.parts:
            continue  # the homepage excerpt is a listing, tested above
        stem = meta.name[: -len(".meta.json")]
        html = next(p for p in (meta.with_name(stem + ".html.gz"), meta.with_name(stem + ".html"))
                    if p.exists())
        pages.append((json.loads(meta.read_text())["url"], html))
    for evaldata in sorted(root.glob("en/japantimes/*.evaldata.json")):
        for url, info in json.loads(evaldata.read_text()).items():
            pages.append((url, evaldata.with_name(info["file"])))
    truth = json.loads((root / "aeb" / "ground-truth.json").read_text())
    for page_id, info in sorted(truth.items()):
        pages.append((info["url"], root / "aeb" / "html" / f"{page_id}.html.gz"))
    return pages


def test_every_real_article_page_goes_through_extract(tmp_path: Path) -> None:
    root = corpus_path()
    pages = _corpus_pages(root)
    assert len(pages) >= 85
    listing = tmp_path / "pages.tsv"
    listing.write_text("".join(f"{url}\t{path}\n" for url, path in pages), encoding="utf-8")
    done = run_jpnews("extract", "--list", str(listing), "--crawled-at", "2025-01-31T00:00:00Z")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["url"] for line in lines] == [url for url, _ in pages]
    failures = [(line["url"], line["error"]) for line in lines if "error" in line]
    assert failures == []
    for line in lines:
        assert line["title"] and line["body"], line["url"]
        assert "\ufffd" not in line["title"] + line["body"], line["url"]


def test_single_saved_page_extract_prints_the_article() -> None:
    page = corpus_path("jp", "mainichi_shimbun", "MainichiShimbun_2025_01_14.html.gz")
    url = json.loads(page.with_name("MainichiShimbun_2025_01_14.meta.json").read_text())["url"]
    done = run_jpnews("extract", "--url", url, str(page))
    assert done.returncode == 0, done.stderr
    article = json.loads(done.stdout)
    expected = json.loads(page.with_name("MainichiShimbun_2025_01_14.expected.json").read_text())
    assert unicodedata.normalize("NFKC", article["title"]) == \
        unicodedata.normalize("NFKC", expected["V1"]["title"])
    assert article["language"] == "ja"
    assert article["published_at"].startswith(expected["V1"]["publishing_date"][:10])


def test_listing_page_is_not_an_article() -> None:
    page = corpus_path(*HOMEPAGE)
    done = run_jpnews("extract", "--url", "https://japantoday.com/", str(page))
    assert done.returncode == 1
    assert "not an article" in done.stderr
    assert "Traceback" not in done.stderr
