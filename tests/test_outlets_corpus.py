"""Our extraction against the expected output of the real pages in ../shared/corpus.

Field by field, as bench/extraction.py reports it: title (after NFKC and whitespace), published
time to the minute with its offset, authors, every expected paragraph present and in order, and
nothing of a page's `without` list. The pages are read in place, never copied here.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, corpus_path

from bench.extraction import evaluate_outlet_pages


@pytest.fixture(scope="module")
def results():
    corpus_path("jp")
    return evaluate_outlet_pages(CORPUS)


def test_every_real_outlet_page_is_checked(results) -> None:
    outlets = {r.outlet for r in results}
    assert {"jp/asahi_shimbun", "jp/mainichi_shimbun", "jp/nikkei", "jp/the_japan_news",
            "jp/tokyo_shimbun", "jp/yomiuri_shimbun", "en/japantimes",
            "tf/nhk_news_web_easy"} <= outlets


@pytest.mark.parametrize("field", ["title", "date", "authors", "body", "without"])
def test_real_pages_field(results, field: str) -> None:
    failing = []
    for r in results:
        checks = {
            "title": r.title_ok,
            "date": r.date_ok is not False,
            "authors": r.authors_ok is not False,
            "body": r.paragraphs_found == r.paragraphs_expected and r.in_order is not False
            and not r.extra_paragraphs,
            "without": not r.without_found,
        }
        if r.refused or not checks[field]:
            failing.append((r.page, r.refused, [f for f in r.failures if f[0] == field]))
    assert failing == []


def test_paywalled_leads_are_marked() -> None:
    """Nikkei's corpus pages are its free lead; Yomiuri's are free articles."""
    import json
    from datetime import datetime, timezone

    from crawler.extract import extract_article, read_saved_page

    for name, paywalled in (("nikkei/Nikkei_2025_01_14", True),
                            ("yomiuri_shimbun/YomiuriShimbun_2024_10_13", False),
                            ("mainichi_shimbun/MainichiShimbun_2025_01_14", False)):
        page = corpus_path("jp", *f"{name}.html.gz".split("/"))
        meta = json.loads(page.with_name(page.name.replace(".html.gz", ".meta.json")).read_text())
        body = read_saved_page(page)
        crawled = datetime.fromisoformat(meta["crawl_date"]).replace(tzinfo=timezone.utc)
        assert extract_article(meta["url"], body, crawled).paywalled is paywalled, name


def test_generic_path_is_at_least_as_good_as_trafilatura_on_aeb() -> None:
    """Pages of outlets we have no parser for (78 sites of article-extraction-benchmark): the
    benchmark's own F1 of our body against plain trafilatura's, same pages, same run."""
    from bench.extraction import (
        aggregate,
        jpnews_extractor,
        load_aeb,
        run_system,
        trafilatura_extractor,
    )

    pages = load_aeb(corpus_path("aeb").parent)
    ours = aggregate(run_system("jpnews", jpnews_extractor, pages).counts)
    theirs = aggregate(run_system("trafilatura", trafilatura_extractor(), pages).counts)
    assert ours["f1"] >= theirs["f1"]
    assert ours["precision"] >= 0.95 and ours["recall"] >= 0.95
