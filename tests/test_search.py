"""Search against the real Postgres, over invented articles loaded by `jpnews import`
(tests/search_articles.py): Japanese substrings, English inflections, exact phrases past the
tsvector position limit, one result per story, filters, paging, facets, and the migration
that builds the search document for rows stored before it existed."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import psycopg
import pytest
from conftest import fresh_database, run_jpnews, schema_before

from crawler.query import QueryError
from crawler.search_request import build_request
from crawler.storage.search import SearchResult, search


@pytest.fixture(scope="module")
def conn(search_db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(search_db) as connection:
        yield connection


def run(conn: psycopg.Connection, q: str, **params: Any) -> SearchResult:
    return search(conn, build_request(conn, q=q, **params))


def titles(conn: psycopg.Connection, q: str, **params: Any) -> list[str]:
    return [hit.title for hit in run(conn, q, **params).hits]


def sources(conn: psycopg.Connection, q: str, **params: Any) -> set[str]:
    return {hit.source for hit in run(conn, q, all_copies=True, limit=100, **params).hits}


# ---- Japanese -------------------------------------------------------------------------------

def test_japanese_words_match(conn: psycopg.Connection) -> None:
    assert titles(conn, "地震") == ["茨城県南部で震度4の地震 津波の心配なし"]
    assert titles(conn, "給食") == ["公立小中の4割、給食費を値上げ 文科省調査"]


def test_a_japanese_word_matches_inside_a_longer_one(conn: psycopg.Connection) -> None:
    assert titles(conn, "東京都") == ["東京都庁の展望室、改装終え再開"]
    # 東京 and 京都 apart (東京から京都へ) hold both bigrams of 東京都 but not the word
    assert "修学旅行、東京から京都へ 新幹線で移動する中学校が増加" in titles(conn, "東京")


def test_a_single_kanji_matches_anywhere_in_a_run(conn: psycopg.Connection) -> None:
    found = sources(conn, "雨")
    # 大雨 (inside a run), 雨。 (a run's last character), and not the English rain stories
    assert found == {"mainichi", "tokyo_np", "yomiuri"}
    assert "市民マラソン大会が中止に 安全確保難しく" in titles(conn, "雨", limit=10)


def test_full_width_and_half_width_forms_are_one(conn: psycopg.Connection) -> None:
    expected = ["JR東日本、駅で案内ロボット試験運用"]
    assert titles(conn, "JR東日本") == titles(conn, "ＪＲ東日本") == expected
    assert titles(conn, '"ｊｒ東日本"') == expected
    assert titles(conn, "jr") == expected
    # an English article prints ＮＨＫ full-width; the search document folds it
    hits = run(conn, "NHK").hits
    assert [h.title for h in hits] == ["Brain research center opens in Sendai"]
    assert "<mark>ＮＨＫ</mark>" in hits[0].snippet.html()
    assert titles(conn, '"nhk would film"') == ["Brain research center opens in Sendai"]


def test_four_and_five_character_words_are_exact(conn: psycopg.Connection) -> None:
    trip = titles(conn, "修学旅行")
    assert len(trip) == 1 and trip[0].startswith("修学旅行、東京から京都へ")
    assert titles(conn, "中学旅行") == []  # 中学, 学旅 and 旅行 are all in that article
    assert titles(conn, "学校が多く") == trip
    assert titles(conn, "中学校が多") == []  # so are 中学校が and 学校が多


def test_a_japanese_word_past_the_position_limit(conn: psycopg.Connection) -> None:
    hits = run(conn, "鯉のぼり").hits
    assert [h.title for h in hits] == ["市議会、長時間の予算審議を終える"]
    assert "<mark>鯉のぼり</mark>" in hits[0].snippet.html()


# ---- English --------------------------------------------------------------------------------

def test_english_words_match_their_inflections_only(conn: psycopg.Connection) -> None:
    found = sources(conn, "rain", since="any")
    assert {"japantimes", "kyodo", "japantoday", "mainichi_en"} <= found
    assert "Brain research center opens in Sendai" not in titles(conn, "rain", limit=100)
    assert "Kyushu farmers count losses after a week of rains" in titles(conn, "rain")


def test_quoted_words_match_exactly(conn: psycopg.Connection) -> None:
    phrase = titles(conn, '"heavy rain"')
    assert phrase == ["Heavy rain prompts evacuation orders in Kumamoto"]  # not "heavy rains"
    assert "Kyushu farmers count losses after a week of rains" in titles(conn, "heavy rain")
    assert titles(conn, '"rain heavy"') == []


def test_a_phrase_past_the_position_limit(conn: psycopg.Connection) -> None:
    hits = run(conn, '"lantern festival in Asakusa"').hits
    assert [h.title for h in hits] == ["City council ends marathon budget session"]
    assert "<mark>lantern festival in Asakusa</mark>" in hits[0].snippet.html()


def test_or_and_exclusions(conn: psycopg.Connection) -> None:
    assert set(titles(conn, "地震 OR 給食")) == {"茨城県南部で震度4の地震 津波の心配なし",
                                             "公立小中の4割、給食費を値上げ 文科省調査"}
    assert "Heavy rain prompts evacuation orders in Kumamoto" not in titles(conn, "rain -Kumamoto")
    assert "Kyushu farmers count losses after a week of rains" in titles(conn, "rain -Kumamoto")
    assert titles(conn, 'rain -"heavy rain"') == [
        "Kyushu farmers count losses after a week of rains"]
    assert titles(conn, "東京 -都庁") == ["修学旅行、東京から京都へ 新幹線で移動する中学校が増加"]
    assert titles(conn, "大雨 -鹿児島県") == []
    # an OR of a term checked on the text and one looked up in the index
    assert set(titles(conn, '東京都庁 OR "heavy rains"')) == {
        "東京都庁の展望室、改装終え再開", "Kyushu farmers count losses after a week of rains"}


# ---- stories, filters, order, paging, facets ------------------------------------------------

def test_one_result_per_story_with_its_copies(conn: psycopg.Connection) -> None:
    result = run(conn, '"heavy rain"')
    assert result.total == 1 and result.total_articles == 3
    (hit,) = result.hits
    assert sorted([hit.source, *(c.source for c in hit.copies)]) == [
        "japantoday", "kyodo", "mainichi_en"]
    assert all(c.url.startswith("https://") and c.published_at for c in hit.copies)
    every = run(conn, '"heavy rain"', all_copies=True)
    assert every.total == 3 and len(every.hits) == 3 and all(not h.copies for h in every.hits)


def test_a_japanese_wire_story_is_one_result(conn: psycopg.Connection) -> None:
    result = run(conn, "鹿児島")
    assert result.total == 1 and result.total_articles == 2
    assert result.hits[0].credit_agency == "KYODO" and len(result.hits[0].copies) == 1


def test_window(conn: psycopg.Connection) -> None:
    assert titles(conn, "typhoon") == []  # two years old: outside the default year
    assert titles(conn, "typhoon", since="any") == ["Typhoon cuts power to Okinawa households"]
    assert titles(conn, "typhoon", since="3y") == ["Typhoon cuts power to Okinawa households"]
    assert titles(conn, "stocks", since="24h") == []
    assert titles(conn, "stocks", since="4d") == ["Tokyo stocks close higher on weaker yen"]
    old = run(conn, "typhoon", since="any").hits[0].dated_at.date().isoformat()
    assert titles(conn, "typhoon", date_from=old, date_to=old) == [
        "Typhoon cuts power to Okinawa households"]
    assert titles(conn, "typhoon", date_to=old) == ["Typhoon cuts power to Okinawa households"]


def test_filters(conn: psycopg.Connection) -> None:
    assert sources(conn, "rain", sources=["japantimes"]) == {"japantimes"}
    assert sources(conn, "rain", sources=["kyodo", "mainichi_en"]) == {"kyodo", "mainichi_en"}
    assert titles(conn, "wage OR stocks", agencies=["jiji"]) == [
        "Panel recommends record minimum wage increase"]
    assert titles(conn, "wage OR stocks", agencies=["AFP"]) == [
        "Tokyo stocks close higher on weaker yen"]
    assert sources(conn, "jr OR rain", language="ja") == {"tokyo_np"}
    assert sources(conn, "rain", group="media-jepang") >= {"kyodo", "japantimes"}


@pytest.mark.parametrize(("params", "message"), [
    ({"sources": ["nosuchoutlet"]}, "unknown outlet"),
    ({"group": "nosuchgroup"}, "unknown source group"),
    ({"language": "english"}, "two-letter"),
    ({"agencies": ["k y"]}, "agency"),
    ({"since": "10000y"}, "before 1900"),
    ({"since": "5q"}, "not a time window"),
    ({"date_from": "yesterday"}, "ISO"),
    ({"limit": "-1"}, "limit"),
    ({"limit": "abc"}, "whole number"),
    ({"offset": "99999999"}, "offset"),
    ({"date_from": "2026-11-29", "date_to": "2026-11-01"}, "start is not before"),
])
def test_bad_parameters_are_messages(conn: psycopg.Connection, params: dict[str, Any],
                                     message: str) -> None:
    with pytest.raises(QueryError, match=message):
        run(conn, "rain", **params)


def test_recency_boosts_the_same_text(conn: psycopg.Connection) -> None:
    # The Mainichi's copy (4 hours old) has the Kyodo text (6 hours old) word for word: their
    # scores differ by the documented boost alone, 1 + 2^(-age in days / 7)
    hits = {h.source: h for h in run(conn, '"heavy rain"', all_copies=True).hits}
    mainichi, kyodo = hits["mainichi_en"], hits["kyodo"]
    now = datetime.now(timezone.utc)

    def boost(hit: Any) -> float:
        return 1 + 2 ** (-(now - hit.dated_at).total_seconds() / 86400 / 7)

    assert mainichi.score / kyodo.score == pytest.approx(boost(mainichi) / boost(kyodo), rel=1e-3)
    assert mainichi.score > kyodo.score
    assert run(conn, '"heavy rain"').hits[0].source == "mainichi_en"  # the story's best


def test_a_title_match_outranks_a_newer_body_match(conn: psycopg.Connection) -> None:
    # "Sendai" is in the title of a 50-hour-old story only, and in the body of a 30-hour-old one
    assert titles(conn, "Sendai") == ["Brain research center opens in Sendai",
                                      "Kyushu farmers count losses after a week of rains"]


def test_newest_first(conn: psycopg.Connection) -> None:
    newest = run(conn, "rain OR 雨 OR stocks", sort="newest", limit=100).hits
    times = [h.dated_at for h in newest]
    assert times == sorted(times, reverse=True) and len(times) >= 5


def test_paging_and_totals(conn: psycopg.Connection) -> None:
    everything = run(conn, "rain OR 雨 OR stocks OR 地震", limit=100)
    first = run(conn, "rain OR 雨 OR stocks OR 地震", limit=2)
    second = run(conn, "rain OR 雨 OR stocks OR 地震", limit=2, offset=2)
    beyond = run(conn, "rain OR 雨 OR stocks OR 地震", limit=2, offset=500)
    assert first.total == second.total == beyond.total == everything.total >= 6
    assert [h.id for h in first.hits + second.hits] == [h.id for h in everything.hits[:4]]
    assert beyond.hits == ()


def test_facets_count_articles_per_source_and_jst_day(conn: psycopg.Connection) -> None:
    result = run(conn, '"heavy rain"', facets=True)
    assert sorted((s, n) for s, _, n in result.by_source) == [
        ("japantoday", 1), ("kyodo", 1), ("mainichi_en", 1)]
    assert dict((s, name) for s, name, _ in result.by_source)["kyodo"] == "Kyodo News"
    assert sum(n for _, n in result.by_day) == 3


def test_stop_words_alone_are_a_message(conn: psycopg.Connection) -> None:
    with pytest.raises(QueryError, match="only common words"):
        run(conn, "the of and")
    result = run(conn, "the rain")
    assert any("common words ignored: the" in n for n in result.notes) and result.hits


def test_a_phrase_of_stop_words_is_checked_on_the_text(conn: psycopg.Connection) -> None:
    assert titles(conn, '"of the"', group="media-jepang", limit=100)


@pytest.mark.parametrize("q", ["rain", '"heavy rain"', "東京都", "雨", "typhoon OR 地震",
                               "rain -Kumamoto", '"heavy rain" OR 東京都', '"of the"'])
def test_the_query_condition_matches_what_search_matches(conn: psycopg.Connection,
                                                         q: str) -> None:
    """query_condition (what `jpnews export --query` selects) is the search's matching."""
    from crawler.query import parse
    from crawler.storage.search import query_condition

    condition = query_condition(conn, parse(q))
    found = [row[0] for row in conn.execute(
        f"""SELECT a.id FROM articles a JOIN article_search s ON s.article_id = a.id
            WHERE {condition.sql} ORDER BY a.id""", condition.params)]
    hits = run(conn, q, since="any", all_copies=True, limit=100).hits
    assert found == sorted(hit.id for hit in hits)


def test_hostile_text_finds_nothing_and_breaks_nothing(conn: psycopg.Connection) -> None:
    for q in ("'; DROP TABLE articles; --", "rain' OR '1'='1", "\\ % _ ' \" :* & | ! <->",
              "Robert'); DELETE FROM articles;--", "<script>alert(1)</script>", "a:* & !b"):
        try:
            run(conn, q)  # "rain' OR '1'='1" is a query for rain OR 1, and finds those
        except QueryError as exc:  # a message for the user is fine, nothing else is
            assert "empty" in str(exc) or "common words" in str(exc)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 18


# ---- the command line ------------------------------------------------------------------------

def test_cli_json_lines_carry_the_result_fields(search_db: str) -> None:
    done = run_jpnews("search", '"heavy rain"', "--facets", "--json", "--source", "kyodo",
                      "--database-url", search_db)
    assert done.returncode == 0, done.stderr
    *lines, summary = [json.loads(line) for line in done.stdout.splitlines()]
    (hit,) = lines
    for field in ("id", "title", "source", "source_name", "url", "canonical_url",
                  "published_at", "age", "credit", "credit_agency", "editor_note", "story_id",
                  "snippet", "copies"):
        assert field in hit, field
    assert "<mark>Heavy rain</mark>" in hit["snippet"] and hit["age"].endswith("hours ago")
    assert hit["editor_note"].startswith("Editor:")
    # the other outlets' copies are listed though the search was of Kyodo's articles only
    assert len(hit["copies"]) == 2 and summary["total"] == 1 and summary["total_articles"] == 1
    assert summary["facets"]["sources"] == [{"source": "kyodo", "source_name": "Kyodo News",
                                             "count": 1}]


def test_cli_prints_cards(search_db: str) -> None:
    done = run_jpnews("search", "heavy", "rain", "--database-url", search_db)
    assert done.returncode == 0, done.stderr
    assert "Heavy rain prompts evacuation orders in Kumamoto · " in done.stdout
    assert "hours ago" in done.stdout and "+ 2 more in this story" in done.stdout
    assert "\033[1m" not in done.stdout  # no terminal codes into a pipe


@pytest.mark.parametrize("args", [
    [""], ["the of"], ["a" * 10_000], ["rain", "--since", "10000y"], ["rain", "--limit", "-1"],
    ["rain", "--source", "nosuch"], ["rain", "--group", "nosuch"], ["--", "-rain"],
])
def test_cli_errors_are_one_line(search_db: str, args: list[str]) -> None:
    done = run_jpnews("search", "--database-url", search_db, *args)
    assert done.returncode == 1, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("jpnews: error: ")


def test_cli_unbalanced_quote_is_a_note_and_results(search_db: str) -> None:
    done = run_jpnews("search", '"heavy rain', "--json", "--database-url", search_db)
    assert done.returncode == 0 and "closing quote" in done.stderr
    assert len(done.stdout.splitlines()) == 1


# ---- the migration ----------------------------------------------------------------------------

def test_the_migration_builds_the_document_for_existing_rows(admin_url: str) -> None:
    from crawler.storage.db import migrate, migrations

    with fresh_database(admin_url) as url, psycopg.connect(url) as conn:
        with conn.transaction():  # the schema as it was before 004_search.sql
            schema_before(conn, "004")
            conn.execute(
                """INSERT INTO articles (canonical_url, url, source, source_name, title, body,
                                         crawled_at, content_hash, language)
                   VALUES ('https://www.yomiuri.co.jp/a/1', 'https://www.yomiuri.co.jp/a/1',
                           'yomiuri', '読売新聞', '東京都庁で防災訓練',
                           '東京都庁で大規模な防災訓練が行われた。', now(), 'x', 'ja')""")
            before = conn.execute("SELECT count(*) FROM articles "
                                  "WHERE search @@ '''京都'''::tsquery").fetchone()[0]
        assert before == 0  # the old document kept 東京都庁で防災訓練 as one token
        # 004 and 005 build the document; later migrations follow them, whatever they are
        assert migrate(conn) == [name for name, _ in migrations() if name >= "004"]
        assert {"004_search.sql", "005_search_index.sql"} <= {name for name, _ in migrations()}
        assert titles(conn, "東京都") == ["東京都庁で防災訓練"]
        assert titles(conn, "訓練") == ["東京都庁で防災訓練"]
        assert titles(conn, "防災訓練") == ["東京都庁で防災訓練"]  # 006's four-grams


# ---- the search index follows every write -----------------------------------------------------

def _import(url: str, path: Any, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    done = run_jpnews("import", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr


def test_the_index_follows_new_text_stories_and_deletions(db: str, tmp_path: Any) -> None:
    base = {"source": "japantoday", "language": "en", "published_at": "2026-12-01T09:00:00+09:00",
            "crawled_at": "2026-12-01T01:00:00+00:00"}
    ferry = ["A ferry operator in Hiroshima said it would add evening sailings to three islands "
             "from next month, citing a rise in weekend visitors.",
             "The company said fares would stay the same and that bookings open on Monday."]
    first = {**base, "url": "https://japantoday.com/category/national/ferry-sailings",
             "title": "Ferry operator adds evening sailings", "body": "\n\n".join(ferry)}
    _import(db, tmp_path / "a.jsonl", [first])
    with psycopg.connect(db) as conn:
        assert titles(conn, "sailings", since="any") == ["Ferry operator adds evening sailings"]
        assert titles(conn, "catamaran", since="any") == []

    # a new version of the text: found by its new words, no longer by the words it lost
    changed = {**first, "body": first["body"].replace("sailings", "catamaran trips")}
    # a wire copy on another outlet joins the story; the index learns the story at once
    copy = {**base, "source": "kyodo", "title": first["title"], "body": changed["body"],
            "url": "https://english.kyodonews.net/news/2026/12/ab12cd34-ferry-sailings.html"}
    _import(db, tmp_path / "b.jsonl", [changed, copy])
    with psycopg.connect(db) as conn:
        assert titles(conn, "catamaran", since="any") == ["Ferry operator adds evening sailings"]
        assert run(conn, "catamaran", since="any").total_articles == 2
        assert run(conn, "bookings", since="any", all_copies=True).total == 2
        assert titles(conn, '"evening sailings to three"', since="any") == []
        stale = conn.execute(
            """SELECT count(*) FROM articles a JOIN article_search s ON s.article_id = a.id
               WHERE s.story_id IS DISTINCT FROM a.story_id""").fetchone()[0]
        assert stale == 0
        conn.execute("DELETE FROM articles WHERE source = 'kyodo'")
        assert run(conn, "catamaran", since="any").total_articles == 1


def test_ranking_is_bounded_to_the_newest_matches(conn: psycopg.Connection, monkeypatch: Any) -> None:
    import crawler.storage.search as engine

    # "Sendai": a title match 50 hours old, a body match 30 hours old
    ranked = ["Brain research center opens in Sendai",
              "Kyushu farmers count losses after a week of rains"]
    assert titles(conn, "Sendai") == ranked
    monkeypatch.setattr(engine, "RANKED_MATCHES", 1)  # only the newest match is ranked
    result = run(conn, "Sendai")
    assert [h.title for h in result.hits] == ranked[::-1]
    assert result.total_articles == 2 and result.hits[1].score == 0.0


PAIR_TEXTS = [
    "The fiscal year ends in March.", "(Fiscal year) figures", "fiscal, year", "fiscal years",
    "FISCAL\nYEAR", "ｆｉｓｃａｌ　ｙｅａｒ", "the fiscal-year budget", "x-fiscal year", "éfiscal year",
    "fiscal yearly", "fiscal year's end", "fiscal 年 year", "会計fiscal year", "fiscal year東京",
    "heavy rain", "heavy rains", "heavy-rain", "heavy  rain", "brain train", "heavy\train",
    "per-capita rain", "rain.heavy rain", "ＪＲ東日本 announced", "JR announced",
]


@pytest.mark.parametrize("phrase", ["fiscal year", "heavy rain", "JR announced", "Year ends",
                                    "capita rain"])
def test_a_two_word_phrase_from_the_index_equals_the_text_check(conn: psycopg.Connection,
                                                                phrase: str) -> None:
    # a quoted phrase of two plain words is answered by its word-pair lexeme alone, without
    # the check on the text: the two must agree on every text
    from crawler.query import parse
    from crawler.snippets import phrase_pattern
    from crawler.storage.search import word_pairs

    (pair,) = word_pairs(parse(f'"{phrase}"').terms[0])
    rows = conn.execute(
        """SELECT t, jpnews_search_document(t, '') @@ quote_literal(%s)::tsquery,
                  t ~* %s
           FROM unnest(%s::text[]) AS t""",
        (pair, phrase_pattern(phrase), PAIR_TEXTS)).fetchall()
    assert [(t, by_index) for t, by_index, by_text in rows if by_index != by_text] == []
    assert any(by_text for _, _, by_text in rows)


def test_no_match_across_the_title_and_the_body(db: str, tmp_path: Any) -> None:
    # the title ends in 東京 and the body starts with 都庁; 京都 occurs later in the body, so
    # every bigram of 東京都 is in the document and only the text check can say no
    body = ("都庁の担当者も出席し、来年度の防災計画について説明した。京都でも同様の会議が予定され"
            "ており、関係者は自治体どうしの連携を強めたいとしている。会議は午後まで続いた。")
    _import(db, tmp_path / "a.jsonl", [{
        "source": "yomiuri", "language": "ja", "url": "https://www.yomiuri.co.jp/national/1/",
        "published_at": "2026-12-01T09:00:00+09:00", "crawled_at": "2026-12-01T01:00:00+00:00",
        "title": "防災会議に出席した東京", "body": body}])
    with psycopg.connect(db) as conn:
        assert titles(conn, "京都", since="any") == ["防災会議に出席した東京"]
        assert titles(conn, "東京都", since="any") == []
        assert titles(conn, '"東京 都庁"', since="any") == []
        assert titles(conn, "都庁", since="any") == ["防災会議に出席した東京"]


def test_the_longest_document_fits_a_tsvector(db: str) -> None:
    # 60,000 random kanji: every bigram and four-gram distinct, the worst case for tsvector's
    # 1 MB; the document reads the first 30,000 characters of a field
    rng = random.Random(7)
    body = "".join(chr(rng.randrange(0x4E00, 0x9FA0)) for _ in range(60_000))
    with psycopg.connect(db) as conn:
        lexemes, = conn.execute("SELECT length(jpnews_search_document('t', %s))",
                                (body,)).fetchone()
    assert lexemes > 50_000


def test_the_update_triggers_plan_each_write_for_its_size(db: str, tmp_path: Any) -> None:
    # PL/pgSQL would keep the plan a trigger's statement got on its first call, here a
    # one-row update: a nested loop that reads a transition table again for every row of the
    # other, which a 200-article batch paid with a second of CPU (migration 007)
    _import(db, tmp_path / "a.jsonl", [{
        "source": "japantoday", "language": "en", "title": f"Harbour ferry timetable {i}",
        "url": f"https://japantoday.com/category/national/ferry-timetable-{i}",
        "published_at": "2026-12-01T09:00:00+09:00", "crawled_at": "2026-12-01T01:00:00+00:00",
        "body": f"The harbour operator moved sailing number {i} of its winter timetable to an "
                f"earlier slot, citing {i * 7} complaints about late arrivals on the route.\n\n"
                f"Pier {i % 9} will close for repairs in February, the company said on "
                f"Tuesday, and passengers will board from a temporary pontoon nearby."}
        for i in range(40)])
    plans: list[str] = []
    with psycopg.connect(db, autocommit=True) as conn:
        try:
            conn.execute("LOAD 'auto_explain'")
        except psycopg.Error:
            pytest.skip("this server has no auto_explain (contrib) to show the trigger's plan")
        for setting in ("log_min_duration = 0", "log_nested_statements = on",
                        "log_analyze = on", "log_level = notice"):
            conn.execute(f"SET auto_explain.{setting}")
        conn.add_notice_handler(lambda notice: plans.append(notice.message_primary or ""))
        conn.execute("UPDATE articles SET title = title || '.' WHERE id = (SELECT min(id) "
                     "FROM articles)")
        plans.clear()
        conn.execute("UPDATE articles SET title = title || '.'")
    triggers = [p for p in plans if "Named Tuplestore Scan" in p]  # every trigger's statement
    assert any("UPDATE article_search" in p for p in triggers), plans
    loops = [n for p in triggers for n in re.findall(r"Named Tuplestore Scan.*?loops=(\d+)", p)]
    assert loops and set(loops) == {"1"}, triggers
