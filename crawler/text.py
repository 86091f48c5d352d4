"""Text cleaning shared by every parser and the normaliser: whitespace, boilerplate, notes."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f]+")
# Zero-width characters, soft hyphens and C0/C1 controls (a NUL would make Postgres refuse a row).
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BOILERPLATE = re.compile(
    r"^(?:advertisement|sponsored|ad|share(?: this)?(?: on \w+)?|tweet|print|e-?mail|"
    r"read more|read next|related(?: coverage| articles| stories)?|click here.*|"
    r"(?:please )?(?:log ?in|sign ?in|register) to (?:comment|read).*|join the discussion.*|"
    r"\d+ comments?|comments?|subscribe.*newsletter.*|follow us on .*)\s*[:.]?$",
    re.I,
)
_EDITOR_NOTE = re.compile(r"^\s*(?:\[|\()?\s*editor(?:'s|’s|s)?(?:\s+note)?\s*[:：]", re.I)


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


def clean_inline(text: str | None) -> str:
    """Collapse whitespace inside one line or paragraph; keep full-width spaces in Japanese."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


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
    """Drop " - Japan Today"-style suffixes that <title> and og:title often carry."""
    for name in site_names:
        if not name:
            continue
        for sep in (" - ", " | ", " – ", " — ", " : ", "｜", "：", " · "):
            suffix = f"{sep}{name}".strip() if sep.strip() in "｜：" else f"{sep}{name}"
            if title.endswith(suffix) and len(title) > len(suffix):
                return title[: -len(suffix)].rstrip()
    return title
