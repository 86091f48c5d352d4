"""The search query language, parsed once for the CLI, the JSON API and the search page.

    heavy rain          both words (English words match their inflections: rain = rains)
    "heavy rain"        the exact phrase (case- and width-insensitive)
    地震 東京都          Japanese words match as substrings: 東京都 finds 東京都庁, 雨 finds 大雨
    typhoon OR 台風      either
    -typhoon -"tokyo"   leave out articles with the word or the phrase

A word is ANDed with the next one; `OR` (in capitals) joins the words on either side into one
alternative. A word that mixes scripts (JR東日本) stands for its parts, all required. Nothing
here knows SQL: `crawler.storage.search` compiles a `Query` into a tsquery and text checks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from crawler.text import normalize_japanese

MAX_QUERY_CHARS = 500
MAX_TERMS = 20

# The characters that the search document indexes as bigrams (migration 004_search.sql).
CJK_CHARS = ("\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3005-\u3007"
             "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_PIECE = re.compile(f"([{CJK_CHARS}]+)|([^{CJK_CHARS}]+)")
# A Latin word in the sense of Postgres' parser: what is left after punctuation goes.
_HAS_WORD = re.compile(r"\w", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\uff02": '"'})


class QueryError(ValueError):
    """A query that cannot be searched; the message is one line meant for the user."""


@dataclass(frozen=True)
class Piece:
    """One script run of a term: a Latin word (matched through Postgres' English stemming) or
    a run of Japanese/Chinese characters (matched as a substring through bigrams)."""

    text: str
    cjk: bool


@dataclass(frozen=True)
class Term:
    text: str
    """As typed, folded the way the normaliser folds stored text."""
    phrase: bool
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]
    """Every group must match; a group matches when one of its terms does."""
    excluded: tuple[Term, ...]
    notes: tuple[str, ...] = field(default=())
    """What the parser did that the user should know ("closing quote added")."""

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def fold(text: str) -> str:
    """Query text folded like stored text: full-width Latin and half-width katakana, spaces."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).translate(_QUOTES)
    return " ".join(normalize_japanese(text).split())


def split_pieces(text: str) -> tuple[Piece, ...]:
    """Script runs of a word; Latin runs without a letter or digit (punctuation) are dropped."""
    folded = unicodedata.normalize("NFKC", text)
    pieces = []
    for cjk, other in _PIECE.findall(folded):
        if cjk:
            pieces.append(Piece(cjk, True))
        else:
            for word in re.split(r"[^\w'’.-]+", other):
                word = word.strip("'’.-_")
                if word and _HAS_WORD.search(word):
                    pieces.append(Piece(word, False))
    return tuple(pieces)


@dataclass
class _Token:
    text: str
    phrase: bool = False
    negated: bool = False
    operator: bool = False


def _tokens(text: str, notes: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and text[i + 1] not in " -"
        if negated:
            i += 1
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                notes.append("closing quote added at the end of the query")
                end = n
            tokens.append(_Token(text[i + 1:end].strip(), phrase=True, negated=negated))
            i = end + 1
            continue
        end = i
        while end < n and text[end] not in ' "':
            end += 1
        word = text[i:end]
        i = end
        if word == "OR" and not negated:
            tokens.append(_Token(word, operator=True))
        else:
            tokens.append(_Token(word, negated=negated))
    return tokens


def parse(text: str) -> Query:
    """Parse a query; raises QueryError for one that cannot mean anything."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text):,} characters; at most "
                         f"{MAX_QUERY_CHARS})")
    notes: list[str] = []
    tokens = _tokens(fold(text), notes)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for token in tokens:
        if token.operator:
            if not groups or join_next:
                notes.append("OR needs a word on each side; ignored")
            join_next = bool(groups)
            continue
        pieces = split_pieces(token.text)
        if not pieces:
            join_next = False
            continue
        term = Term(" ".join(token.text.split()), token.phrase, pieces)
        if token.negated:
            excluded.append(term)
            join_next = False
        elif join_next:
            groups[-1].append(term)
            join_next = False
        else:
            groups.append([term])
    if join_next:
        notes.append("OR needs a word on each side; ignored")
    if len(excluded) + sum(map(len, groups)) > MAX_TERMS:
        raise QueryError(f"the query has too many words (at most {MAX_TERMS})")
    if not groups:
        if excluded:
            raise QueryError("the query only excludes (-word): add a word to look for")
        raise QueryError("the query is empty: type a word to look for")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded), tuple(notes))
