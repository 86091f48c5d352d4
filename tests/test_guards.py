"""Rules of the normaliser, the feed reader and the generic body that no outlet fixture exercises
on its own: each test here is the one that fails when its rule is taken out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from crawler.discovery import feed_entries
from crawler.extract import extract_article
from crawler.items import RawArticle
from crawler.normalize import normalize

CRAWLED = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)
JA_BODY = ["市は来年度から、駅前の駐輪場を二十四時間使えるようにすると発表した。"
           "利用者の声を受けたもので、夜間の見回りも増やすという。" * 2]


def _raw(**fields: object) -> RawArticle:
    values: dict = {"url": "https://www.tokyo-np.co.jp/article/400001", "source": "tokyo_np",
                    "crawled_at": CRAWLED, "title": "駐輪場を終日開放へ", "paragraphs": JA_BODY,
                    "published": "2026-11-29T08:00:00+09:00", "language": "ja"}
    return RawArticle(**{**values, **fields})


def test_japanese_full_and_half_width_forms_are_folded() -> None:
    article = normalize(_raw(title="ＪＲ東日本、２０２７年春にｶｰﾄﾞ乗車券",
                             paragraphs=["ＪＲ東日本は１２日、ＩＣ\u3000ｶｰﾄﾞの新しい乗車券を"
                                         "発表した。" * 4],
                             summary="ｶｰﾄﾞ乗車券を２０２７年に"))
    assert article.title == "JR東日本、2027年春にカード乗車券"
    assert article.body.startswith("JR東日本は12日、IC カードの新しい乗車券を発表した。")
    assert article.summary == "カード乗車券を2027年に"


def test_a_date_a_day_or_more_ahead_of_the_crawl_is_dropped() -> None:
    ahead = (CRAWLED + timedelta(days=3)).isoformat()
    assert normalize(_raw(published=ahead)).published_at is None
    # a few hours ahead is a time zone slip, not a misread: kept
    soon = CRAWLED + timedelta(hours=5)
    assert normalize(_raw(published=soon.isoformat())).published_at == soon


def test_atom_updated_is_the_date_only_when_nothing_else_is() -> None:
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>A</title><link href="https://japantoday.com/category/national/a-story"/>
        <published>2026-11-20T09:00:00+09:00</published>
        <updated>2026-11-29T10:00:00+09:00</updated></entry>
      <entry><title>B</title><link href="https://japantoday.com/category/national/b-story"/>
        <updated>2026-11-28T10:00:00+09:00</updated></entry></feed>"""
    entries = feed_entries(atom, "https://japantoday.com/feed/atom")
    assert [e.published for e in entries] == ["2026-11-20T09:00:00+09:00",
                                              "2026-11-28T10:00:00+09:00"]


def test_jsonld_article_body_stands_in_when_the_page_shows_only_a_teaser() -> None:
    """A page of an outlet without a parser whose visible text is a short lead (the rest is
    rendered by script) but whose JSON-LD carries the whole text."""
    paragraphs = [f"Paragraph {n} of the council's report on the river embankment, which the "
                  "prefecture will rebuild over the next few years at a cost it has not yet "
                  "published." for n in range(1, 9)]
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Council backs river embankment rebuild",
            "datePublished": "2026-11-28T10:00:00+09:00",
            "articleBody": "\n\n".join(paragraphs)}
    lead = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    html = f"""<html lang="en"><head><title>Council backs river embankment rebuild</title>
      <script type="application/ld+json">{json.dumps(data)}</script></head>
      <body><h1>Council backs river embankment rebuild</h1><article>{lead}
      <p>The full report is for subscribers. Sign in or subscribe to read the rest.</p>
      </article></body></html>"""
    article = extract_article("https://news.example.org/2026/11/embankment", html.encode(),
                              CRAWLED)
    assert article.provenance["body"] == "jsonld"
    assert " ".join(article.body.split()) == " ".join(paragraphs)
