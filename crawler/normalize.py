"""RawArticle → Article: cleaning, dates, credit and editor's note, identity, or a reasoned refusal.

Pure: the same raw input gives the same article, in the crawler, in `jpnews extract` and in a
later re-parse. Refusals carry a short reason code that the pipeline counts in the crawl stats.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from crawler.credit import agency_code, is_credit_line, split_credit
from crawler.dates import parse_date
from crawler.items import Article, RawArticle
from crawler.sources import SOURCES, Source, source_for_url
from crawler.text import (
    clean_inline,
    clean_paragraphs,
    is_editor_note,
    mojibake_reason,
    normalize_japanese,
    strip_site_suffix,
)
from crawler.urls import canonicalize_url, is_web_url, same_site

MIN_BODY_CHARS = {"ja": 60, "zh": 60, "ko": 80}
DEFAULT_MIN_BODY_CHARS = 150
MAX_BODY_CHARS = 300_000  # the longest features run to ~100k; Postgres' tsvector stops at 1 MB
MAX_URL_CHARS = 2000
# Layers in which a page itself states its publication date (a listing's or a guess does not).
PAGE_DATE_LAYERS = frozenset({"jsonld", "microdata", "meta", "selectors"})
NON_ARTICLE_TYPES = frozenset({"website", "profile", "video.other", "product", "book", "music"})


class Rejected(ValueError):
    """The page is not a storable article; `reason` is a short code for the statistics."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def normalize(raw: RawArticle) -> Article:
    """Build the stored article from what a page says."""
    url = raw.url
    if not is_web_url(url):
        raise Rejected("not_web_url", f"{url[:200]!r} is not an http(s) address")
    source = (SOURCES.get(raw.source) if raw.source else None) or source_for_url(url)

    title = clean_inline(raw.title)
    if title:
        title = strip_site_suffix(title, [n for n in (source.name if source else None,
                                                      clean_inline(raw.site_name)) if n])
    if not title:
        raise Rejected("no_title")

    paragraphs = clean_paragraphs(raw.paragraphs)
    japanese = _language(raw.language) == "ja" or (source is not None and source.language == "ja")
    if japanese:
        title = normalize_japanese(title)
        paragraphs = [p for p in map(normalize_japanese, paragraphs) if p]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    editor_notes = [p for p in paragraphs if is_editor_note(p)]
    if raw.editor_note and clean_inline(raw.editor_note) not in editor_notes:
        editor_notes.append(clean_inline(raw.editor_note))
    paragraphs = [p for p in paragraphs if not is_editor_note(p)]
    paragraphs, credit = split_credit(paragraphs)
    # A credit the outlet's markup names as such ("JIJI" in a credit box) needs no "©"; the
    # closing line of the text, when there is one, is the credit as printed.
    printed = clean_inline(raw.credit)
    if not credit and printed and (is_credit_line(printed) or agency_code(printed)):
        credit = printed
    body = "\n\n".join(paragraphs)
    if (damage := mojibake_reason(title + "\n" + body)) is not None:
        raise Rejected("mojibake", damage)

    page_type = (raw.page_type or "").lower()
    # A page that calls itself a website and states no date is a listing or a static page. For
    # an outlet we have no parser for, htmldate's reading of the page counts as its own date.
    own_date_layers = PAGE_DATE_LAYERS | ({"generic"} if source is None else set())
    if page_type in NON_ARTICLE_TYPES and raw.provenance.get("published") not in own_date_layers:
        raise Rejected("not_article", f"page declares type {page_type!r} and no date of its own")
    if not body:
        raise Rejected("no_body")
    language = _language(raw.language) or (source.language if source else None)
    if len(body) < MIN_BODY_CHARS.get(language or "", DEFAULT_MIN_BODY_CHARS):
        raise Rejected("body_too_short", f"{len(body)} characters")
    if len(body) > MAX_BODY_CHARS:
        raise Rejected("body_too_long", f"{len(body)} characters: a dump, not an article")

    now = raw.crawled_at
    tz = source.timezone if source else raw.timezone
    published_at = _utc(parse_date(raw.published, tz=tz, now=now))
    modified_at = _utc(parse_date(raw.modified, tz=tz, now=now))
    if published_at and (published_at - now).total_seconds() > 86400:
        published_at = None  # a date a day or more in the future is a misread, not news
    if modified_at and published_at and modified_at < published_at:
        modified_at = None

    canonical = canonicalize_url(_identity_url(url, raw.canonical_url, source))
    if len(canonical) > MAX_URL_CHARS:
        raise Rejected("url_too_long", f"{len(canonical)} characters")
    editor_note = " ".join(editor_notes) or None
    summary = clean_inline(raw.summary) or None
    if japanese and summary:
        summary = normalize_japanese(summary)
    article = Article(
        url=url,
        canonical_url=canonical,
        source=source.id if source else _host_id(url),
        source_name=source.name if source else _host_id(url),
        source_group=source.group if source else None,
        title=title,
        body=body,
        summary=summary,
        published_at=published_at,
        modified_at=modified_at,
        credit=credit,
        credit_agency=agency_code(credit),
        authors=_authors(raw.authors, agency_code(credit)),
        section=clean_inline(raw.section) or None,
        tags=list(dict.fromkeys(clean_inline(t) for t in raw.tags if clean_inline(t))),
        language=language,
        editor_note=editor_note,
        image_url=web_link(url, raw.image_url),
        crawled_at=raw.crawled_at,
        paywalled=raw.paywalled,
        content_hash=content_hash(title, body, editor_note),
        provenance=dict(raw.provenance),
    )
    article.meta_hash = meta_hash(article)
    return article


def _authors(names: list[str], credit_agency: str | None) -> list[str]:
    """Bylines, NAMES IN CAPITALS as names; an agency already named by the credit is no byline."""
    out: list[str] = []
    for name in (clean_inline(n) for n in names):
        if not name or (credit_agency and agency_code(name) == credit_agency):
            continue
        if name.isupper() and name.isascii():
            name = name.title()
        if name not in out:
            out.append(name)
    return out


def content_hash(title: str, body: str, editor_note: str | None) -> str:
    """What makes a new version: any change of the words a reader sees."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (title, body, editor_note or ""):
        digest.update(" ".join(part.split()).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


_META_FIELDS = ("url", "summary", "published_at", "modified_at", "credit", "credit_agency",
                "authors", "section", "tags", "language", "image_url", "paywalled")


def meta_hash(article: Article) -> str:
    """What a parser fix or a corrected date changes: stored, but not a new version of the text."""
    values = [getattr(article, name) for name in _META_FIELDS]
    digest = hashlib.blake2b(repr(values).encode(), digest_size=16)
    return digest.hexdigest()


LINK_FIELDS = ("canonical_url", "image_url")


def web_link(url: str, link: str | None) -> str | None:
    """A link of the page resolved against its address, or None when it is not an http(s)
    address: a javascript: or file: link kept would be served to readers as a live link."""
    if not link:
        return None
    try:
        resolved = urljoin(url, link)
    except ValueError:
        return None
    return resolved if is_web_url(resolved) else None


def refused_links(raw: RawArticle) -> list[str]:
    """The fields among LINK_FIELDS whose link `normalize` leaves out for not being a web
    address: the article is kept (on its own URL, without an image), the loss is counted."""
    return [name for name in LINK_FIELDS
            if getattr(raw, name) and web_link(raw.url, getattr(raw, name)) is None]


def _identity_url(url: str, canonical: str | None, source: Source | None) -> str:
    """rel=canonical wins when it names an article page of the same outlet; otherwise the
    page's own URL. A CMS that points every page's canonical at the home page or a section
    must not fold all its articles into one row."""
    canonical = web_link(url, canonical)
    if canonical is None:
        return url
    if source is not None:
        return canonical if source.is_article_url(canonical) else url
    path, own_path = urlsplit(canonical).path.rstrip("/"), urlsplit(url).path.rstrip("/")
    if not same_site(url, canonical) or not path or (own_path.startswith(path + "/")):
        return url
    return canonical


def _language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None


def _host_id(url: str) -> str:
    host = (urlsplit(url).hostname or "unknown").lower()
    return host[4:] if host.startswith("www.") else host


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value else None


def crawl_time(value: datetime | None = None) -> datetime:
    return (value or datetime.now(timezone.utc)).astimezone(timezone.utc)
