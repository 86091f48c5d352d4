"""Text cleaning shared by every parser and the normaliser: whitespace, boilerplate, notes."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BOILERPLATE = re.compile(
    r"^(?:advertisement|sponsored|ad|share(?: this)?(?: on \w+)?|tweet|print|e-?mail|"
    r"read more|read next|related(?: coverage| articles| stories)?|click here.*|"
    r"(?:please )?(?:log ?in|sign ?in|register) to (?:comment|read).*|join the discussion.*|"
    r"\d+ comments?|comments?|subscribe.*newsletter.*|follow us on .*)\s*[:.]?$",
    re.I,
)
_EDITOR_NOTE = re.compile(r"^\s*(?:\[|\()?\s*editor(?:'s|’s|s)?(?:\s+note)?\s*[:：]", re.I)


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
