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
from conftest import FIXTURES

from crawler.extract import extract_article
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
