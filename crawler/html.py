"""Turning fetched bytes into text and a tree, whatever the page says about its charset.

Pages declare their charset late (Tokyo Shimbun after ~5 KB of comments), wrongly (a UTF-8
header over cp1252 bytes) or not at all, and Japanese pages still come in Shift_JIS and EUC-JP.
UTF-8 that decodes strictly is taken first, since non-UTF-8 bytes almost never do; then the
declarations; then detection.
"""

from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html
from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Japanese legacy encodings as browsers really decode them (WHATWG): supersets of the names.
_ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
            "windows-31j": "cp932", "ms_kanji": "cp932", "euc-jp": "euc_jis_2004",
            "euc_jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004", "iso-8859-1": "cp1252",
            "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_JAPANESE_CODECS = frozenset({"cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso2022_jp",
                              "shift_jis_2004", "shift_jisx0213"})


class UndecodablePage(ValueError):
    """The bytes decode under no declared or detected charset without losing text."""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None = None) -> list[str]:
    """Charsets the page declares, header first, then every <meta> anywhere in the page."""
    found: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match and (codec := _codec(match.group(1))):
            found.append(codec)
    for match in _META_CHARSET.finditer(body[:200_000]):
        codec = _codec(match.group(1).decode("ascii", "ignore"))
        if codec and codec not in found:
            found.append(codec)
    return found


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec used). Raises UndecodablePage."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = declared_charsets(body, content_type)
    # A UTF-8 page with a stray byte or a character cut in two (common in ads and comments)
    # is still UTF-8; legacy pages have an invalid sequence at every non-ASCII character.
    lenient = body.decode("utf-8", errors="replace")
    invalid = lenient.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    if (not declared or declared[0] == "utf-8") and invalid <= max(2, len(body) // 50_000):
        return lenient, "utf-8"
    for codec in declared:
        if codec == "utf-8":
            continue
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue
    # Undeclared legacy bytes: a Japanese encoding when detection sees one, else the web's
    # default for legacy Latin pages (windows-1252), else whatever detection offers.
    guesses = [_codec(m.encoding) or m.encoding for m in from_bytes(body[:500_000])]
    japanese = [g for g in guesses if g in _JAPANESE_CODECS]
    for codec in (*japanese, "cp1252", *guesses):
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    raise UndecodablePage("bytes decode under no declared or detected charset")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """An lxml tree of the page, an empty document for text with no markup at all.

    The XML declaration, which lxml refuses in str input, is dropped.
    """
    stripped = text.lstrip()
    if stripped.startswith("<?xml"):
        end = stripped.find("?>")
        text = stripped[end + 2:] if end >= 0 else ""
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")
