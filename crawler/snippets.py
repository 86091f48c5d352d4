"""Snippets with the matched words marked, built in Python for both languages.

Postgres' ts_headline cannot split a Japanese run into the words a query asked for, so the
marks are found here with the same rules the search used: English words by their Snowball
stem (the stemmer of Postgres' `english` configuration), Japanese words as substrings, phrases
by the very pattern that re-checked them in the database.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

from crawler.query import CJK_CHARS, Query

_WORD = re.compile(f"(?:(?![{CJK_CHARS}])[^\\W_])+")
_SPACES = re.compile(r"\s+")
# Where a snippet may start or end without cutting a word (English) or a clause (Japanese).
_BREAK = re.compile(r"[\s、。，．！？」』）]")
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball English stem of a lower-case word (news repeats its words: cached)."""
    return _STEMMER.stemWord(word)

# Latin letters and digits in their ASCII and full-width forms; a phrase's edge must not touch
# one, so "rain" does not match inside "brain".
LATIN_ALNUM = "0-9A-Za-z\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"


def phrase_pattern(text: str) -> str:
    """A regular expression for an exact phrase, valid both as a Postgres ARE (used with `~*`)
    and as a Python `re` pattern (used with re.IGNORECASE): one source for the check in the
    database and the marks in the snippet. Case-insensitive, width-insensitive (ｒａｉｎ =
    rain), any run of spaces or line breaks between words, none needed next to Japanese."""
    out: list[str] = []
    chars = unicodedata.normalize("NFKC", text).split()
    words = [w for w in chars if w]
    for index, word in enumerate(words):
        if index:
            joint = word[0] if _is_cjk(word[0]) or _is_cjk(words[index - 1][-1]) else None
            out.append(r"\s*" if joint else r"\s+")
        for ch in word:
            out.append(_char_pattern(ch))
    if not words:
        return ""
    first, last = words[0][0], words[-1][-1]
    head = f"(?<![{LATIN_ALNUM}])" if _is_latin_alnum(first) else ""
    tail = f"(?![{LATIN_ALNUM}])" if _is_latin_alnum(last) else ""
    return head + "".join(out) + tail


def _char_pattern(ch: str) -> str:
    if ch.isascii() and ch.isalnum():
        return f"[{ch.lower()}{chr(ord(ch.lower()) + 0xFEE0)}]"
    if ch in "'’‘":
        return "['’‘]"
    if ch.isascii() and 0x21 <= ord(ch) <= 0x7E:
        return f"(?:\\{ch}|{chr(ord(ch) + 0xFEE0)})"
    return ch


def _is_cjk(ch: str) -> bool:
    return bool(re.fullmatch(f"[{CJK_CHARS}]", ch))


def _is_latin_alnum(ch: str) -> bool:
    return bool(re.fullmatch(f"[{LATIN_ALNUM}]", ch))


def lexemes_of(tsquery_text: str) -> set[str]:
    """The lexemes of a tsquery as Postgres prints it ('heavi' & 'rain')."""
    return {m.replace("''", "'") for m in re.findall(r"'((?:[^']|'')*)'", tsquery_text)}


@dataclass(frozen=True)
class Marked:
    """Text cut into pieces, each marked (a match) or not; rendered as HTML, ANSI or plain."""

    segments: tuple[tuple[str, bool], ...]
    cut_before: bool = False
    cut_after: bool = False

    def html(self) -> str:
        body = "".join(f"<mark>{html.escape(t)}</mark>" if m else html.escape(t)
                       for t, m in self.segments)
        return ("…" if self.cut_before else "") + body + ("…" if self.cut_after else "")

    def ansi(self) -> str:
        body = "".join(f"\033[1m{t}\033[0m" if m else t for t, m in self.segments)
        return ("…" if self.cut_before else "") + body + ("…" if self.cut_after else "")

    def plain(self) -> str:
        return (("…" if self.cut_before else "") + "".join(t for t, _ in self.segments)
                + ("…" if self.cut_after else ""))


class Highlighter:
    """Finds what a query matched in a text."""

    def __init__(self, query: Query, english: dict[str, str]) -> None:
        """`english`: Latin word → its tsquery text as Postgres stemmed it."""
        self.stems: set[str] = set()
        self.substrings: set[str] = set()
        self.patterns: list[re.Pattern[str]] = []
        for term in query.terms:
            if term.phrase:
                if pattern := phrase_pattern(term.text):
                    self.patterns.append(re.compile(pattern, re.IGNORECASE))
                continue
            for piece in term.pieces:
                if piece.cjk:
                    self.substrings.add(piece.text)
                else:
                    self.stems |= lexemes_of(english.get(piece.text, ""))

    def spans(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self.stems:
            # a word and its stem share their first letter (dying → die, happily → happili),
            # so only words with a stem's first letter are stemmed
            initials = {s[0] for s in self.stems if s}
            for match in _WORD.finditer(text):
                word = unicodedata.normalize("NFKC", match.group(0)).lower()
                if word[0] in initials and (word in self.stems or stem(word) in self.stems):
                    found.append(match.span())
        for sub in self.substrings:
            start = text.find(sub)
            while start >= 0:
                found.append((start, start + len(sub)))
                start = text.find(sub, start + len(sub))
        for pattern in self.patterns:
            found.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
        return _merge(found)

    def mark(self, text: str) -> Marked:
        return Marked(tuple(_segments(text, self.spans(text), 0, len(text))))

    def snippet(self, text: str, width: int = 240) -> Marked:
        """About `width` characters of `text` around its densest cluster of matches (the
        opening of the text when nothing matched, e.g. a match in the title only)."""
        spans = self.spans(text)
        if not spans:
            start, end = 0, min(len(text), width)
        else:
            best = max(range(len(spans)), key=lambda i: sum(
                1 for s, _ in spans[i:] if s < spans[i][0] + width))
            start = max(0, spans[best][0] - width // 4)
            end = min(len(text), start + width)
            start = max(0, min(start, end - width))
        start, end = _widen(text, start, end)
        cut = [(max(s, start), min(e, end)) for s, e in spans if e > start and s < end]
        segments = [(_SPACES.sub(" ", t), m) for t, m in _segments(text, cut, start, end)]
        if segments:  # no stray space at the edges of the snippet
            segments[0] = (segments[0][0].lstrip(), segments[0][1])
            segments[-1] = (segments[-1][0].rstrip(), segments[-1][1])
        return Marked(tuple(s for s in segments if s[0]), start > 0, end < len(text))


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, spans: list[tuple[int, int]], start: int,
              end: int) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    at = start
    for s, e in spans:
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if at < end:
        out.append((text[at:end], False))
    return out


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Move the edges of a cut to the nearest break within a few characters."""
    if start > 0:
        back = text.rfind(" ", max(0, start - 20), start)
        breaks = [m.end() for m in _BREAK.finditer(text, max(0, start - 20), start)]
        if breaks:
            start = breaks[-1]
        elif back >= 0:
            start = back + 1
    if end < len(text):
        found = _BREAK.search(text, end, min(len(text), end + 20))
        if found:
            end = found.start() + (1 if found.group(0) in "、。，．！？」』）" else 0)
    return start, end
