"""A status line on stderr for long commands (crawls, exports), without Scrapy: an export
should not pay a second of imports for its progress line."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class StatusLine:
    """One line of status on stderr, rewritten in place on a terminal and printed as a line
    of its own elsewhere (a log file, where carriage returns would pile up)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def show(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r" + text + "\033[K")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self, text: str) -> None:
        """The last state, left on the screen."""
        self.stream.write(("\r" + text + "\033[K\n") if self.tty else text + "\n")
        self.stream.flush()


class RateCounter:
    """A count with its rate, shown at most once per `interval` seconds; for a long loop that
    should not pay for a write to the terminal on every step."""

    def __init__(self, label: str, noun: str, line: StatusLine, interval: float = 0.5) -> None:
        self.label = label
        self.noun = noun
        self.line = line
        self.interval = interval
        self.count = 0
        self.started = time.monotonic()
        self._next = self.started + interval

    def add(self, n: int) -> None:
        self.count += n
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self.interval
            self.line.show(self.text(now))

    def text(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self.started
        rate = self.count / elapsed if elapsed > 0 else 0.0
        return (f"{self.label}: {self.count:,} {self.noun}, {rate:,.0f}/s, "
                f"{elapsed:.0f}s")

    def finish(self) -> None:
        self.line.finish(self.text())
