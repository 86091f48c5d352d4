"""Text cleaning shared by every parser and the normaliser: whitespace, boilerplate, notes."""

from __future__ import annotations

import html
import re
import unicodedata
from html.entities import html5 as _HTML5_NAMES

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f]+")  # not U+3000
# Zero-width characters, soft hyphens and C0/C1 controls (a NUL would make Postgres refuse a row).
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BOILERPLATE = re.compile(
    r"^(?:advertisement|sponsored|ad|share(?: this)?(?: on \w+)?|tweet|print|e-?mail|"
    r"read more|read next|related(?: coverage| articles| stories)?|click here.*|"
    r"(?:please )?(?:log ?in|sign ?in|register) to (?:comment|read).*|join the discussion.*|"
    r"\d+ comments?|comments?|subscribe.*newsletter.*|follow us on .*|"
    r"(?:related|see also|read also|also read|read more)\s*:.{0,150})\s*[:.]?$",
    re.I,
)
_EDITOR_NOTE = re.compile(
    r"^\s*(?:\[|\()?\s*editor(?:'s|’s|s)?(?:\s+note)?\s*[:：]"
    # translation notes: "(Japanese original by …)", "(Originally written in Japanese …)"
    r"|^\((?:Japanese original by|Originally (?:written|published) in Japanese|"
    r"Read the article in Japanese)", re.I)


# UTF-8 read as cp1252 ("Ã©", "â€™") and UTF-8 read as Shift_JIS ("縺", "繧" are almost
# never written on purpose).
_LATIN_MOJIBAKE = re.compile(
    "(?:Ã|Â|â€)[\u00a0-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"
    "\u0161\u203a\u0153\u017e\u0178]")
_JAPANESE_MOJIBAKE = re.compile("[縺繧譁]")


def mojibake_reason(text: str) -> str | None:
    """Why `text` looks wrongly decoded, or None: such text is refused, never stored."""
    if "\ufffd" in text:
        return "replacement characters"
    if len(_LATIN_MOJIBAKE.findall(text)) >= 2:
        return "UTF-8 read as a Latin charset"
    if len(_JAPANESE_MOJIBAKE.findall(text)) >= 3:
        return "UTF-8 read as Shift_JIS"
    return None


_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
# A line break of the markup between two Japanese characters is no space in the text.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n\s*(?=[{_CJK}])")


def clean_inline(text: str | None) -> str:
    """Collapse whitespace inside one line or paragraph."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = _CJK_BREAK.sub("", text)
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


# A character reference with its semicolon, a name only when HTML5 knows it whole: HTML5 also
# decodes legacy names as a prefix ("&copy", "&notes;" as "¬es;"), which would change text.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_UNESCAPE_ROUNDS = 3


def _decode_reference(match: re.Match[str]) -> str:
    reference = match.group(0)
    if reference[1] == "#" or reference[1:] in _HTML5_NAMES:
        return html.unescape(reference)
    return reference


def unescape_entities(text: str) -> str:
    """Characters for the HTML entities of a structured-data string (JSON-LD, <meta>).

    CMSs escape these strings as HTML, often twice ("&amp;quot;"), so decoding repeats while it
    changes the text, a few rounds at most; a bare "&" ("AT&T") is text and stays.
    """
    for _ in range(_UNESCAPE_ROUNDS):
        if "&" not in text:
            break
        decoded = _ENTITY.sub(_decode_reference, text)
        if decoded == text:
            break
        text = decoded
    return text


# Full-width Latin letters, digits and the ASCII signs that are not Japanese punctuation, and
# half-width katakana: the forms NFKC folds without changing how Japanese reads. Brackets,
# 、。「」：！？＝ (the dateline's 【ソウル＝…】) keep their Japanese form (furigana stay in （）).
_FOLDABLE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff03-\uff06\uff0a\uff0b"
                       "\uff0d-\uff0f\uff20\uff3f\uff65-\uff9f]+")


def normalize_japanese(text: str) -> str:
    """ＡＢＣ１２３ → ABC123 and ｶﾀｶﾅ → カタカナ; the ideographic space becomes a space."""
    text = _FOLDABLE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return _SPACE.sub(" ", text.replace("\u3000", " ")).strip()


def is_boilerplate(paragraph: str) -> bool:
    return len(paragraph) < 120 and bool(_BOILERPLATE.match(paragraph))


def is_editor_note(paragraph: str) -> bool:
    return bool(_EDITOR_NOTE.match(paragraph))


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Cleaned, non-empty paragraphs without widgets' text or repeats of the previous one."""
    out: list[str] = []
    for raw in paragraphs:
        paragraph = clean_inline(raw)
        if not paragraph or is_boilerplate(paragraph):
            continue
        if out and out[-1] == paragraph:
            continue
        out.append(paragraph)
    return out


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Drop " - Japan Today" suffixes and "NEWS WEB EASY|" prefixes that <title> and og:title
    often carry."""
    for name in site_names:
        if not name:
            continue
        for sep in (" - ", " | ", " – ", " — ", " : ", "｜", "|", "：", " · "):
            suffix, prefix = f"{sep}{name}", f"{name}{sep}"
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].rstrip()
            if title.startswith(prefix.lstrip()) and len(title) > len(prefix):
                return title[len(prefix.lstrip()):].lstrip()
    return title


_BYLINE_PREFIX = re.compile(r"^(?:by|written by|text by|story by)\s+", re.I)
_BYLINE_ROLE = re.compile(r"\s*(?:/|,|—|–|\|)\s*(?:[A-Z][\w.]*\s+)*(?:staff|writer|writers|"
                          r"correspondent|correspondents|reporter|reporters|editor|contributor|"
                          r"special to)\b.*$", re.I)
_BYLINE_JA_ROLE = re.compile(r"(?:記者|編集委員|論説委員|特派員|撮影)$")


def split_byline(text: str) -> list[str]:
    """People of a printed byline: "By A and B / Yomiuri Shimbun Staff Writers" → [A, B]."""
    text = _BYLINE_ROLE.sub("", _BYLINE_PREFIX.sub("", clean_inline(text)))
    names = re.split(r"\s*(?:,\s*and\s+|\s+and\s+|,|、|＆|&)\s*", text)
    return [without_role(n) for n in names if n.strip()]


def without_role(name: str) -> str:
    """A Japanese name without the role printed after it (山田太郎記者 → 山田太郎), as bylines
    and structured data both write it: the role is not part of the person's name."""
    return _BYLINE_JA_ROLE.sub("", name).strip()
