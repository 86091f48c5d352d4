import pytest

from crawler.credit import agency_code, is_credit_line, split_credit
from crawler.text import clean_paragraphs, is_editor_note, strip_site_suffix


@pytest.mark.parametrize(("line", "agency"), [
    ("© KYODO", "KYODO"),
    ("© Japan Today", "JAPANTODAY"),
    ("© AFP", "AFP"),
    ("© Reuters", "REUTERS"),
    ("© AP", "AP"),
    ("© Jiji Press", "JIJI"),
    ("© AFP-JIJI", "AFP"),  # an AFP story distributed by Jiji
    ("©2024 GPlusMedia Inc.", "JAPANTODAY"),
    ("(c) Copyright Thomson Reuters 2024", "REUTERS"),
    ("© 2024 The Associated Press. All rights reserved.", "AP"),
    ("-- Kyodo", "KYODO"),
    ("(Kyodo)", "KYODO"),
])
def test_credit_lines_name_their_agency(line: str, agency: str) -> None:
    assert is_credit_line(line)
    assert agency_code(line) == agency


@pytest.mark.parametrize("line", [
    "The minister said the © sign was printed on every page of the report in question.",
    "— Yuki Tanaka",
    "Kyodo News reported that the talks had stalled.",
    "Copyright holders say the draft does not go far enough.",
    "(c) closing branches.",
])
def test_text_is_not_a_credit(line: str) -> None:
    assert not is_credit_line(line)


def test_only_closing_credit_lines_leave_the_body() -> None:
    body, credit = split_credit(["First.", "© is a symbol", "Second.", "© KYODO"])
    assert body == ["First.", "© is a symbol", "Second."]
    assert credit == "© KYODO"
    assert split_credit(["Only text."]) == (["Only text."], None)


def test_unknown_agency_keeps_credit_without_code() -> None:
    assert is_credit_line("© Some Regional Weekly")
    assert agency_code("© Some Regional Weekly") is None


@pytest.mark.parametrize("line", [
    "Editor: Story has been updated to report the ferry returned to port.",
    "Editor's note: This story was corrected.",
    "EDITOR’S NOTE: An earlier version misspelled a name.",
])
def test_editor_notes(line: str) -> None:
    assert is_editor_note(line)


def test_editor_word_inside_text_is_not_a_note() -> None:
    assert not is_editor_note("The editor said: nothing changed.")


def test_widgets_and_repeats_leave_paragraphs() -> None:
    assert clean_paragraphs(["  A  b\u00a0c ", "Advertisement", "Share on Facebook", "A b c",
                             "", "Tweet", "Next para."]) == ["A b c", "Next para."]


def test_site_suffix() -> None:
    assert strip_site_suffix("Ferry returns - Japan Today", ["Japan Today"]) == "Ferry returns"
    assert strip_site_suffix("Ferry returns | Japan Today", ["Japan Today"]) == "Ferry returns"
    assert strip_site_suffix("Japan Today", ["Japan Today"]) == "Japan Today"
