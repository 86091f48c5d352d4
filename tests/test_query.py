"""The pure parts of search: the query language, phrase patterns, bigram queries, snippets,
time windows and the interface language. No database here."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from crawler.present import relative_time
from crawler.query import MAX_QUERY_CHARS, Piece, QueryError, parse, split_pieces
from crawler.snippets import Highlighter, lexemes_of, phrase_pattern
from crawler.storage.search import cjk_tsquery
from crawler.web.i18n import choose
from crawler.window import EARLIEST, WindowError, parse_instant, parse_since

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)


def shape(text: str) -> tuple[list[list[tuple[str, bool]]], list[tuple[str, bool]]]:
    query = parse(text)
    return ([[(t.text, t.phrase) for t in g] for g in query.groups],
            [(t.text, t.phrase) for t in query.excluded])


def test_words_are_anded_and_phrases_kept_whole() -> None:
    assert shape('"heavy rain" Kyushu') == ([[("heavy rain", True)], [("Kyushu", False)]], [])


def test_or_joins_the_words_on_either_side() -> None:
    assert shape("typhoon OR 台風 Okinawa") == (
        [[("typhoon", False), ("台風", False)], [("Okinawa", False)]], [])
    assert shape("a OR b OR c")[0] == [[("a", False), ("b", False), ("c", False)]]
    # lower-case "or" is a word
    assert shape("rain or shine")[0] == [[("rain", False)], [("or", False)], [("shine", False)]]


def test_exclusions_of_words_and_phrases() -> None:
    assert shape('rain -Kumamoto -"heavy rain"') == (
        [[("rain", False)]], [("Kumamoto", False), ("heavy rain", True)])
    # a hyphen inside a word or alone is no exclusion
    assert shape("well-known - x")[1] == []


def test_dangling_or_and_unbalanced_quotes_are_noted_not_fatal() -> None:
    query = parse('OR "heavy rain')
    assert [(t.text, t.phrase) for t in query.terms] == [("heavy rain", True)]
    assert any("closing quote" in n for n in query.notes)
    assert any("OR needs a word" in n for n in query.notes)
    assert parse("rain OR").notes


@pytest.mark.parametrize("text", ["", "   ", '""', "- -", "!!! ???", "\x00\x01"])
def test_queries_without_words_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(QueryError, match="empty"):
        parse(text)


def test_only_exclusions_is_refused() -> None:
    with pytest.raises(QueryError, match="only excludes"):
        parse("-rain -typhoon")


def test_limits() -> None:
    with pytest.raises(QueryError, match="too long"):
        parse("a" * 10_000)
    parse("a" * MAX_QUERY_CHARS)
    with pytest.raises(QueryError, match="too many words"):
        parse(" ".join(f"w{i}" for i in range(30)))


def test_control_characters_and_sql_are_only_text() -> None:
    query = parse("rain\x00\x07 '; DROP TABLE articles; --")
    assert [p.text for t in query.terms for p in t.pieces] == ["rain", "DROP", "TABLE",
                                                                 "articles"]


def test_width_folding_like_the_normaliser() -> None:
    assert parse("ＪＲ東日本").terms[0].text == "JR東日本"
    assert parse("ｶﾀｶﾅ").terms[0].text == "カタカナ"
    assert parse("“heavy　rain”").terms[0].text == "heavy rain"  # curly quotes, U+3000


def test_words_split_into_script_pieces() -> None:
    assert split_pieces("JR東日本") == (Piece("JR", False), Piece("東日本", True))
    assert split_pieces("東京・大阪") == (Piece("東京", True), Piece("大阪", True))
    assert split_pieces("U.S.-Japan") == (Piece("U.S.-Japan", False),)
    assert split_pieces("G7サミット") == (Piece("G7", False), Piece("サミット", True))


def test_cjk_words_become_bigrams_and_one_character_a_prefix() -> None:
    assert cjk_tsquery("雨") == "'雨':*"
    assert cjk_tsquery("地震") == "'地震'"
    assert cjk_tsquery("東京都") == "'東京' & '京都'"
    assert cjk_tsquery("ははは") == "'はは'"


@pytest.mark.parametrize(("phrase", "text", "found"), [
    ("heavy rain", "Heavy rain lashed Kumamoto", "Heavy rain"),
    ("heavy rain", "more heavy\n\nrain fell", "heavy\n\nrain"),
    ("heavy rain", "a week of heavy rains", None),
    ("rain", "brain research", None),
    ("rain", "the rain-soaked town", "rain"),
    ("JR", "ＪＲ東日本は", "ＪＲ"),
    ("JR東日本", "ＪＲ東日本は", "ＪＲ東日本"),
    ("東京都", "東京都庁の展望室", "東京都"),
    ("don't", "we don’t know", "don’t"),
    ("U.S.", "the U.S. said", "U.S."),
    ("a+b (c)", "x a+b (c) y", "a+b (c)"),
])
def test_phrase_patterns(phrase: str, text: str, found: str | None) -> None:
    match = re.search(phrase_pattern(phrase), text, re.IGNORECASE)
    assert (match.group(0) if match else None) == found


def test_highlighter_marks_inflections_substrings_and_phrases() -> None:
    highlighter = Highlighter(parse('rain 雨 "heavy snow"'), {"rain": "'rain'"})
    marked = highlighter.mark("Rains and brain; 大雨の後に heavy snow.")
    assert [t for t, m in marked.segments if m] == ["Rains", "雨", "heavy snow"]
    assert marked.html() == ("<mark>Rains</mark> and brain; 大<mark>雨</mark>の後に "
                             "<mark>heavy snow</mark>.")
    assert "\033[1mRains\033[0m" in marked.ansi()


def test_snippet_is_cut_around_the_matches_and_escaped() -> None:
    text = ("Opening words. " * 40 + "The <b> flood reached Kumamoto. " + "Closing. " * 40)
    snippet = Highlighter(parse("Kumamoto"), {"Kumamoto": "'kumamoto'"}).snippet(text, 120)
    assert snippet.cut_before and snippet.cut_after
    html = snippet.html()
    assert "<mark>Kumamoto</mark>" in html and "&lt;b&gt;" in html and "<b>" not in html
    assert len(snippet.plain()) < 160


def test_snippet_without_matches_is_the_opening() -> None:
    snippet = Highlighter(parse("xyz"), {}).snippet("First words of the body. " * 20, 60)
    assert snippet.plain().startswith("First words") and not snippet.cut_before


def test_lexemes_of_a_printed_tsquery() -> None:
    assert lexemes_of("'e-mail' & 'e' & 'mail'") == {"e-mail", "e", "mail"}
    assert lexemes_of("'o''brien'") == {"o'brien"}


@pytest.mark.parametrize(("text", "expected"), [
    ("24h", datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)),
    ("3d", datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)),
    ("2w", datetime(2026, 11, 15, 9, 0, tzinfo=timezone.utc)),
    ("6m", datetime(2026, 5, 29, 9, 0, tzinfo=timezone.utc)),
    ("1y", datetime(2025, 11, 29, 9, 0, tzinfo=timezone.utc)),
    ("any", None),
    ("2025-01-01", datetime(2025, 1, 1, tzinfo=timezone.utc)),
    ("2025-01-01T09:00:00+09:00", datetime(2025, 1, 1, 0, 0, tzinfo=timezone.utc)),
])
def test_windows(text: str, expected: datetime | None) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["127y", "10000y", "999999d", "999999y", "5q", "-1d", "1.5y", "", "yesterday"])
def test_bad_windows_are_one_message(text: str) -> None:
    with pytest.raises(WindowError):
        parse_since(text, NOW)


def test_a_closing_date_includes_its_day() -> None:
    assert parse_instant("2026-11-30", end_of_day=True) == datetime(2026, 12, 1,
                                                                    tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    ("126y", datetime(1900, 11, 29, 9, 0, tzinfo=timezone.utc)),  # the earliest bound, in
    ("1900-01-01", EARLIEST),
    ("9999-12-31", datetime(9999, 12, 31, tzinfo=timezone.utc)),
])
def test_window_bounds(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize(("text", "end_of_day"), [
    ("1899-12-31", False), ("0001-01-01", True), ("1899-12-31T23:00:00", False),
    ("9999-12-31", True), ("2026-02-30", False), ("99999-01-01", False),
])
def test_instants_out_of_bounds_are_one_message(text: str, end_of_day: bool) -> None:
    with pytest.raises(WindowError):
        parse_instant(text, end_of_day=end_of_day)


def test_relative_time_in_english_and_indonesian() -> None:
    six_hours = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)
    assert relative_time(six_hours, NOW) == "6 hours ago"
    assert relative_time(six_hours, NOW, "id") == "6 jam yang lalu"
    assert relative_time(datetime(2025, 11, 1, tzinfo=timezone.utc), NOW, "id") == \
        "1 tahun yang lalu"
    assert relative_time(NOW, NOW, "id") == "baru saja"


@pytest.mark.parametrize(("hl", "accept", "lang"), [
    ("id", None, "id"), ("en", "id-ID,id;q=0.9", "en"), (None, "id-ID,id;q=0.9,en;q=0.8", "id"),
    (None, "en-US,en;q=0.9,id;q=0.5", "en"), (None, "fr-FR", "en"), ("xx", None, "en"),
    (None, "id;q=abc, en;q=0.1", "en"),
])
def test_interface_language(hl: str | None, accept: str | None, lang: str) -> None:
    assert choose(hl, accept) == lang
