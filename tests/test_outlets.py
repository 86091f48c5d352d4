"""Every outlet's parser, field by field, on pages written in that outlet's markup.

The pages under tests/fixtures/<outlet>/ carry invented text in the outlet's real structure (each
folder's README says which parts of the markup were seen in public code and which are guesses);
`<page>.json` is the expected article. Real pages are checked in test_outlets_corpus.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_NOW

from crawler.extract import extract_article
from crawler.html import decode_html
from crawler.parsers import JSON_PARSERS, PARSERS, page_for
from crawler.sources import SOURCES, source_for_url
from crawler.urls import canonicalize_url

OUTLETS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "japantoday")


def _cases() -> list[tuple[str, Path, Path]]:
    cases = []
    for outlet in OUTLETS:
        folder = FIXTURES / outlet
        for expected in sorted(folder.glob("*.json")):
            if expected.name.endswith(".expected.json"):  # API answers: <id>.json → expected
                page = expected.with_name(expected.name.replace(".expected.json", ".json"))
            elif expected.with_suffix(".html").exists():
                page = expected.with_suffix(".html")
            else:
                continue
            cases.append((outlet, page, expected))
    return cases


CASES = _cases()


def test_every_outlet_has_pages() -> None:
    assert set(OUTLETS) >= {"kyodo", "mainichi_en", "asahi_ajw", "nippon_com", "nhk_world",
                            "soranews24", "japanforward", "japantimes"}
    assert all(outlet in SOURCES for outlet in OUTLETS)


@pytest.mark.parametrize(("outlet", "page", "expected_file"), CASES,
                         ids=[f"{c[0]}:{c[1].stem[:30]}" for c in CASES])
def test_outlet_page(outlet: str, page: Path, expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    published = datetime.fromisoformat(expected["published_at"])
    fetched_from = expected["url"]
    if page.suffix == ".json":  # an API answer: fetched from the API, stored as the web page
        fetched_from = f"https://api.nhkworld.jp/nwapi/rdnewsweb/v6b/en/detail/{page.stem}.json"
    assert source_for_url(fetched_from).id == outlet
    article = extract_article(fetched_from, page.read_bytes(), published + timedelta(hours=6))
    assert article.source == outlet
    assert article.canonical_url == canonicalize_url(expected["url"])
    assert article.title == expected["title"]
    assert article.published_at == published
    assert article.authors == expected["authors"]
    assert article.body.split("\n\n") == expected["paragraphs"]
    assert article.credit == expected["credit"]
    assert article.credit_agency == expected["credit_agency"]
    assert article.editor_note == expected["editor_note"]
    assert article.paywalled is expected["paywalled"]
    assert article.language == expected["language"]


def _fixture_pairs() -> list[tuple[str, Path, dict]]:
    """Every page of tests/fixtures with its expected article, Japan Today's included."""
    pairs = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for expected in sorted(folder.glob("*.json")):
            page = expected.with_name(expected.name.replace(".expected.json", ".json")) \
                if expected.name.endswith(".expected.json") else expected.with_suffix(".html")
            if page.exists() and page != expected:
                pairs.append((folder.name, page, json.loads(expected.read_text("utf-8"))))
    return pairs


def test_every_registered_parser_version_has_a_fixture_page() -> None:
    """Fundus' rule: a parser version no page in the repository exercises is untested. The
    version a page exercises is the one the registry picks for it, as a crawl would."""
    registered = {(outlet, parser.__name__) for outlet, versions in PARSERS.items()
                  for _, parser in versions}
    registered |= {(outlet, read.__name__) for outlet, read in JSON_PARSERS.items()}
    exercised = set()
    for outlet, page, expected in _fixture_pairs():
        if outlet in JSON_PARSERS and page.suffix == ".json":
            exercised.add((outlet, JSON_PARSERS[outlet].__name__))
            continue
        published = expected.get("published_at")
        crawled = datetime.fromisoformat(published) + timedelta(hours=6) if published \
            else SAMPLE_NOW
        text, _ = decode_html(page.read_bytes(), None)
        chosen = page_for(expected["url"], text, crawled, SOURCES[outlet])
        exercised.add((outlet, type(chosen).__name__))
    assert sorted(registered - exercised) == []


KYODO_2025 = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Port city opens night market on reclaimed pier | Kyodo News</title>
<meta property="og:title" content="Port city opens night market on reclaimed pier">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Port city opens night market on reclaimed pier",
 "datePublished": "2025-09-02T19:05:00+09:00"}</script></head>
<body><div id="__next"><main><article class="ArticleLayout_root__q3Xz">
<h1 class="ArticleLayout_title__Lk2p">Port city opens night market on reclaimed pier</h1>
<div class="ArticleLayout_text__Vb7n">%s</div></article></main></div></body></html>"""


def test_a_kyodo_page_of_the_2025_site_is_not_read_by_the_2019_parser() -> None:
    """No public source shows the markup of Kyodo's 2025 site (the page above is invented
    markup): its pages must go to the generic reading, marked as of an unknown layout, rather
    than through the rules of the old site."""
    paragraphs = [f"Stall keepers on the pier served grilled squid and local sake to {n}00 "
                  "visitors on the first evening, the city's tourism office said on Tuesday."
                  for n in range(2, 6)]
    html = KYODO_2025 % "".join(f"<p>{p}</p>" for p in paragraphs)
    url = "https://english.kyodonews.net/articles/-/58213"
    crawled = datetime.fromisoformat("2025-09-03T00:00:00+09:00")
    assert source_for_url(url).id == "kyodo"
    page = page_for(url, html, crawled)
    assert type(page).__name__ == "ArticlePage"
    article = extract_article(url, html.encode(), crawled)
    assert article.provenance["layout"] == "unknown"
    assert article.provenance["parser"] == "ArticlePage"
    assert article.title == "Port city opens night market on reclaimed pier"
    assert article.body.split("\n\n") == paragraphs
