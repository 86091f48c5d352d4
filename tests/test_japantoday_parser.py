"""The Japan Today parser, field by field, on every page of the sample site.

The sample pages are written in Japan Today's markup with invented text (crawler/demo); their
source articles are the expected output. Saved copies in tests/fixtures pin the extraction of a
few pages against changes of the generator as well.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE_NOW

from crawler.demo.articles import SAMPLE_ARTICLES, SampleArticle
from crawler.demo.site import article_path, build_sample_site, modified_at, published_at
from crawler.extract import extract_article
from crawler.normalize import Rejected

SITE = build_sample_site(SAMPLE_NOW)
ORIGIN = "https://japantoday.com"
ARTICLES = [a for a in SAMPLE_ARTICLES if a.kind != "not-article"]


def _extract(article: SampleArticle):
    page = SITE.pages[article_path(article)]
    return extract_article(ORIGIN + article_path(article), page.body, SAMPLE_NOW,
                           content_type=page.content_type)


@pytest.mark.parametrize("sample", ARTICLES, ids=lambda a: f"{a.kind}:{a.slug[:40]}")
def test_sample_article_fields(sample: SampleArticle) -> None:
    article = _extract(sample)
    assert article.title == sample.title
    assert article.body == "\n\n".join(sample.paragraphs)
    assert article.source == "japantoday"
    assert article.source_name == "Japan Today"
    assert article.source_group == "media-jepang"
    assert article.canonical_url == ORIGIN + article_path(sample)
    assert article.language == "en"
    assert article.credit == sample.credit
    assert article.credit_agency == sample.credit_agency
    assert article.editor_note == sample.editor_note
    assert article.authors == list(sample.authors)
    expected_published = published_at(sample, SAMPLE_NOW)
    assert article.published_at == expected_published
    if expected_published is not None:
        assert article.published_at.utcoffset() == timedelta(0)  # stored in UTC
    assert article.modified_at == modified_at(sample, SAMPLE_NOW)
    if sample.kind != "redesign":
        assert article.summary == sample.summary
    assert set(sample.tags) <= set(article.tags)
    assert article.image_url and article.image_url.startswith("https://")


@pytest.mark.parametrize("sample", ARTICLES, ids=lambda a: a.slug[:40])
def test_page_furniture_never_reaches_the_body(sample: SampleArticle) -> None:
    body = _extract(sample).body
    for furniture in ("Advertisement", "Share on Facebook", "Tweet", "Related Coverage",
                      "Comments", "Login", "GPlusMedia", "Popular"):
        assert furniture not in body
    if sample.caption:
        assert sample.caption not in body
    assert "©" not in body and "Editor:" not in body


def test_layers_are_recorded() -> None:
    by_kind = {a.kind: _extract(a).provenance for a in ARTICLES}
    assert by_kind["standard"]["title"] == "jsonld"
    assert by_kind["standard"]["body"] == "microdata"
    assert by_kind["no-jsonld"]["title"] == "microdata"
    assert by_kind["redesign"]["body"] == "generic"  # a layout no rule knows
    assert by_kind["redesign"]["published"] == "jsonld"
    # read by the generic page, not by Japan Today's rules, and marked so that crawls count it
    assert by_kind["redesign"]["parser"] == "ArticlePage"
    assert by_kind["redesign"]["layout"] == "unknown"
    assert "layout" not in by_kind["standard"] and by_kind["standard"]["parser"] == "JapanToday2017"
    assert "published" not in by_kind["no-date"]


def test_shift_jis_page_keeps_its_japanese() -> None:
    sample = next(a for a in ARTICLES if a.kind == "shift_jis")
    article = _extract(sample)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in article.body)
    assert "\ufffd" not in article.body and article.credit == "© KYODO"


def test_not_an_article_is_refused() -> None:
    sample = next(a for a in SAMPLE_ARTICLES if a.kind == "not-article")
    with pytest.raises(Rejected) as refused:
        _extract(sample)
    assert refused.value.reason == "not_article"


FIXTURE_PAGES = sorted((FIXTURES / "japantoday").glob("*.html"))


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda p: p.stem)
def test_saved_page_matches_expected_json(page: Path) -> None:
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    article = extract_article(expected["url"], page.read_bytes(),
                              SAMPLE_NOW).to_json()
    for field, value in expected.items():
        if field != "crawled_at":
            assert article[field] == value, field


def test_fixture_pages_exist() -> None:
    assert len(FIXTURE_PAGES) >= 4


def test_outlet_selectors_carry_a_page_without_structured_data() -> None:
    """The selector layer on its own: no JSON-LD, no microdata, no OpenGraph."""
    import re

    sample = next(a for a in ARTICLES if a.slug == EVACUATION)
    html = SITE.pages[article_path(sample)].body.decode("utf-8")
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    html = re.sub(r'<meta (?:property|name)="(?:og|article|twitter):[^>]*>', "", html)
    html = re.sub(r'\s(?:itemprop|itemscope|itemtype)(?:="[^"]*")?', "", html)
    article = extract_article(ORIGIN + article_path(sample), html.encode(), SAMPLE_NOW)
    assert article.provenance["title"] == "selectors"
    assert article.provenance["body"] == "selectors"
    assert article.provenance["published"] == "selectors"
    assert article.title == sample.title
    assert article.body == "\n\n".join(sample.paragraphs)
    assert article.published_at == published_at(sample, SAMPLE_NOW)
    assert article.credit == "© KYODO" and article.editor_note == sample.editor_note


EVACUATION = "evacuation-orders-issued-as-heavy-rain-lashes-southern-kyushu"
