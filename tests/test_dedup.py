"""Deduplication: the same text under another URL, the same wire story on several outlets, in
one run and across runs, through the store, `jpnews import` and `jpnews clusters`."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from conftest import FIXTURES, run_jpnews
from newsroom import built

from crawler.extract import extract_article
from crawler.fingerprint import identity, similarity
from crawler.items import Article
from crawler.normalize import content_hash
from crawler.storage.articles import ArticleStore
from crawler.storage.db import open_pool, prepare

T0 = datetime(2025, 1, 15, 4, 42, tzinfo=timezone.utc)
WIRE = [
    "Japan's core machinery orders, a leading indicator of capital spending, rose in November "
    "for the second month in a row, the Cabinet Office said Wednesday.",
    "Orders excluding those for ships and from power companies totaled about 880 billion yen, "
    "up 3.4 percent from the previous month, beating the median forecast of economists.",
    "Orders from manufacturers grew 5.1 percent, led by chemical companies and makers of "
    "electrical equipment, while orders from non-manufacturers edged down 0.8 percent.",
    "The office maintained its assessment that the recovery in machinery orders is stalling, "
    "citing uncertainty over overseas demand and the outlook for U.S. trade policy.",
]
OTHER_REPORT = [
    "Companies in Japan ordered more machines in November, government data showed, a sign that "
    "businesses keep investing even as the export outlook darkens.",
    "Analysts at a Tokyo brokerage said the numbers were stronger than they had expected but "
    "warned that a weaker yen and higher import costs could weigh on budgets next year.",
    "The Cabinet Office did not change its view that the pickup in orders has stalled.",
]


def article(url: str, source: str, paragraphs: list[str], *, minutes: int = 0,
            credit: str | None = None, language: str = "en", title: str = "Machinery orders"
            ) -> Article:
    return built(url, source, title, "\n\n".join(paragraphs), credit=credit,
                 language=language, published_at=T0 + timedelta(minutes=minutes),
                 crawled_at=T0)


def test_fingerprint_ignores_whitespace_punctuation_and_case() -> None:
    a = identity("t", "\n\n".join(WIRE))
    b = identity("t", "  ".join(p.upper().replace(",", "") for p in WIRE))
    assert a.fingerprint == b.fingerprint and a.signature == b.signature


def test_similarity_separates_copies_from_other_reports() -> None:
    original = identity("t", "\n\n".join(WIRE)).signature
    trimmed = identity("t", "TOKYO (Kyodo) -- " + " ".join(WIRE[:3])).signature
    other = identity("t", "\n\n".join(OTHER_REPORT)).signature
    assert similarity(original, trimmed) >= 0.6
    assert similarity(original, other) < 0.1


@pytest.fixture
def store(db: str):
    pool = open_pool(prepare(db))
    yield ArticleStore(pool)
    pool.close()


def _stories(db: str) -> dict[str, int | None]:
    with psycopg.connect(db) as conn:
        return dict(conn.execute("SELECT canonical_url, story_id FROM articles"))


def test_wire_copies_join_one_story_across_batches(db: str, store: ArticleStore) -> None:
    kyodo = article("https://english.kyodonews.net/news/2025/01/a", "kyodo", WIRE, minutes=5,
                    credit="KYODO NEWS")
    japantoday = article("https://japantoday.com/category/business/orders", "japantoday",
                         ["TOKYO --" + WIRE[0]] + [" ".join(WIRE[1:3])] + WIRE[3:],
                         credit="© KYODO")
    mainichi = article("https://mainichi.jp/english/articles/20250115/p2g/00m/0bu/1c",
                       "mainichi_en", WIRE[:3], minutes=30, credit="(Kyodo)")
    report = article("https://www.nippon.com/en/news/yjj2025011500001/", "nippon_com",
                     OTHER_REPORT, minutes=40)
    unrelated = article("https://soranews24.com/2025/01/15/cat/", "soranews24",
                        ["A cat in Osaka has learned to ride the city's buses alone, and the "
                         "driver now keeps a seat free for it every morning at eight."] * 1,
                        title="Cat rides bus")
    assert store.write([japantoday, report]).new == 2
    result = store.write([kyodo, mainichi, unrelated])
    assert result.new == 3 and result.duplicates == 2
    stories = _stories(db)
    assert stories[kyodo.url] == stories[japantoday.url] == stories[mainichi.url]
    assert len({stories[kyodo.url], stories[report.url], stories[unrelated.url]}) == 3
    with psycopg.connect(db) as conn:
        representative, members = conn.execute(
            "SELECT a.canonical_url, s.members FROM stories s JOIN articles a "
            "ON a.id = s.representative_id WHERE s.id = %s", (stories[kyodo.url],)).fetchone()
    assert representative == kyodo.url  # the agency's own copy, though published later
    assert members == 3
    # the same batch again: nothing new, nothing moves
    again = store.write([kyodo, mainichi, unrelated])
    assert (again.new, again.updated, again.duplicates) == (0, 0, 0)
    assert _stories(db) == stories


def test_exact_copy_under_another_url_in_one_batch(db: str, store: ArticleStore) -> None:
    first = article("https://japantoday.com/category/business/orders", "japantoday", WIRE)
    second = article("https://japantoday.com/category/business/orders-2", "japantoday", WIRE,
                     minutes=1)
    result = store.write([second, first])
    assert result.new == 2 and result.duplicates == 1
    with psycopg.connect(db) as conn:
        rows = conn.execute("SELECT m.match, m.similarity FROM story_members m "
                            "ORDER BY m.joined_at, m.article_id").fetchall()
    assert sorted(rows) == [("exact", 1.0), ("first", 1.0)]


def test_an_update_is_a_version_and_its_story_is_checked_again(db: str,
                                                               store: ArticleStore) -> None:
    kyodo = article("https://english.kyodonews.net/news/2025/01/a", "kyodo", WIRE)
    copy = article("https://japantoday.com/category/business/orders", "japantoday", WIRE[:3],
                   minutes=10)
    store.write([kyodo, copy])
    assert len(set(_stories(db).values())) == 1
    rewritten = dataclasses.replace(copy, body="\n\n".join(OTHER_REPORT),
                                    content_hash=content_hash(copy.title, "x", None))
    text = identity(rewritten.title, rewritten.body)
    rewritten.text_fingerprint, rewritten.minhash, rewritten.lsh_bands = (
        text.fingerprint, text.signature, text.bands)
    result = store.write([rewritten])
    assert result.updated == 1 and result.new == 0
    stories = _stories(db)
    assert stories[copy.url] != stories[kyodo.url]  # no longer a copy: a story of its own
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 3
        assert conn.execute("SELECT members FROM stories WHERE id = %s",
                            (stories[kyodo.url],)).fetchone()[0] == 1


def test_japanese_copies_by_character_shingles(db: str, store: ArticleStore) -> None:
    text = ["東京都の小池百合子知事は18日の定例会見で、来年度から都内の公立小中学校の給食費を"
            "無償化する方針を明らかにした。対象は約60万人で、年間の費用は約300億円になる見込み。",
            "都は国に対しても、給食費の無償化を全国で実施するよう求めていく考えだ。"
            "区市町村の負担を減らすため、財源の一部を都が支援する。"]
    wire = article("https://www.tokyo-np.co.jp/article/1", "tokyo_np", text, language="ja",
                   title="給食費を無償化")
    copy = article("https://mainichi.jp/articles/20250115/k00/00m/040/1c", "mainichi",
                   ["【東京】" + text[0].replace("18", "１８").replace("60", "６０"), text[1]],
                   minutes=3, language="ja", title="都、給食費無償化へ")
    store.write([wire, copy])
    stories = _stories(db)
    assert stories[wire.url] == stories[copy.url]


def _json_line(page: Path) -> dict:
    expected = json.loads(page.with_suffix(".json").read_text())
    return extract_article(expected["url"], page.read_bytes(),
                           datetime.fromisoformat(expected["published_at"])).to_json()


def test_import_is_idempotent_reports_lines_and_clusters_show(db: str, tmp_path: Path) -> None:
    page = next((FIXTURES / "kyodo").glob("*.html"))
    original = _json_line(page)
    copy = dict(original, url="https://japantoday.com/category/national/ferry-hydrogen-trial",
                canonical_url="https://japantoday.com/category/national/ferry-hydrogen-trial",
                source="japantoday", credit="© KYODO",
                body="\n\n".join(original["body"].split("\n\n")[:-1]))
    lines = [json.dumps(original), json.dumps(copy), "{not json", json.dumps({"url": "x"}),
             json.dumps(dict(original, url="https://japantoday.com/category/national/empty",
                             canonical_url=None, title="Empty", body="Too short."))]
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(gzip.compress("\n".join(lines).encode()))
    first = run_jpnews("import", str(dump), "--database-url", db, "--allow-rejects")
    assert first.returncode == 0, first.stderr[-2000:]
    assert "5 records: 1 new, 0 updated, 0 refreshed, 0 unchanged, 1 duplicate" in first.stdout
    assert "3 rejected" in first.stdout
    assert "rejected dump.jsonl.gz:3: " in first.stdout
    assert "rejected dump.jsonl.gz:4: missing title, body" in first.stdout
    assert "rejected dump.jsonl.gz:5: body_too_short" in first.stdout
    second = run_jpnews("import", str(dump), "--database-url", db, "--allow-rejects")
    assert "2 unchanged, 0 duplicate" in second.stdout and " 0 new" in second.stdout
    shown = run_jpnews("clusters", "--json", "--database-url", db)
    clusters = json.loads(shown.stdout)
    assert len(clusters) == 1
    story = clusters[0]
    assert {m["source"] for m in story["members"]} == {"kyodo", "japantoday"}
    members = {m["canonical_url"]: m for m in story["members"]}
    kyodo_url = next(u for u in members if "kyodonews" in u)
    assert members[kyodo_url]["article_id"] == story["representative"]
    assert members[kyodo_url]["similarity"] == 1.0
    assert 0.5 <= members[copy["canonical_url"]]["similarity"] < 1.0
    for field in ("article_id", "source", "url", "canonical_url", "published_at"):
        assert all(field in m for m in story["members"])
    text = run_jpnews("clusters", "--source", "japantoday", "--database-url", db)
    assert f"story {story['story_id']}: 2 articles" in text.stdout
