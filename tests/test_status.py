"""The status line of long commands: in place on a terminal, a line each elsewhere, and a
counter that writes at most once an interval."""

from __future__ import annotations

import io

from crawler.status import RateCounter, StatusLine


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_status_line_is_rewritten_in_place_on_a_terminal_only() -> None:
    terminal, log = FakeTerminal(), io.StringIO()
    for stream in (terminal, log):
        line = StatusLine(stream)
        line.show("1 article")
        line.show("2 articles")
        line.finish("3 articles")
    assert terminal.getvalue() == ("\r1 article\033[K\r2 articles\033[K"
                                   "\r3 articles\033[K\n")
    assert log.getvalue() == "1 article\n2 articles\n3 articles\n"


def test_a_counter_shows_its_rate_at_most_once_an_interval() -> None:
    terminal = FakeTerminal()
    counter = RateCounter("export", "articles", StatusLine(terminal), interval=3600)
    for _ in range(1000):
        counter.add(10)
    assert terminal.getvalue() == ""  # not once a step
    counter.finish()
    assert "export: 10,000 articles" in terminal.getvalue() and "/s" in terminal.getvalue()
    assert terminal.getvalue().count("\n") == 1
    every_time = FakeTerminal()
    counter = RateCounter("export", "articles", StatusLine(every_time), interval=0)
    counter.add(5)
    counter.add(5)
    assert every_time.getvalue().count("\r") == 2
