"""The article schema: the one source of truth for what a stored article holds.

`RawArticle` is what a page says (raw strings, raw date text); `Article` is what we keep, after
`crawler.normalize`. Both are dataclasses so that Scrapy moves them through `itemadapter` and the
CLI turns them into JSON without a second definition. Names follow schema.org / Zyte's Article.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class RawArticle:
    """What one page says, before any cleaning. Produced by a page parser, pure of the crawler."""

    url: str
    source: str | None
    crawled_at: datetime
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    summary: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    canonical_url: str | None = None
    credit: str | None = None
    site_name: str | None = None
    """The publication's own name (og:site_name, JSON-LD publisher), to strip from titles."""
    page_type: str | None = None
    """What the page declares itself to be (og:type, JSON-LD @type), used to refuse non-articles."""
    provenance: dict[str, str] = field(default_factory=dict)
    """Field → extraction layer that produced it (jsonld, microdata, meta, selectors, generic)."""
    paywalled: bool = False
    """The page shows only a free lead of a subscriber article."""
    editor_note: str | None = None
    """An editor's note the source states apart from the text (an imported article's)."""
    origin: str | None = None
    """Where the item came from when not from a fetched page ("dump.jsonl:12"), for messages."""
    timezone: str = "Asia/Tokyo"
    """Zone in which the outlet prints times that carry no offset."""


@dataclass
class Article:
    """A normalised article, as stored in Postgres and printed as JSON."""

    url: str
    canonical_url: str
    source: str
    source_name: str
    source_group: str | None
    title: str
    body: str
    """Plain text; paragraphs separated by one blank line."""
    summary: str | None
    published_at: datetime | None
    modified_at: datetime | None
    credit: str | None
    """The credit line as printed, e.g. "© KYODO"."""
    credit_agency: str | None
    """Normalised agency code: KYODO, JIJI, AFP, REUTERS, AP, ..."""
    authors: list[str]
    section: str | None
    tags: list[str]
    language: str | None
    editor_note: str | None
    image_url: str | None
    crawled_at: datetime
    paywalled: bool = False
    """Only the free lead is public; `body` is that lead."""
    content_hash: str = ""
    """Fingerprint of title, body and editor's note: a change makes a new version."""
    meta_hash: str = ""
    """Fingerprint of the other fields: a change refreshes the row without a new version."""
    provenance: dict[str, str] = field(default_factory=dict)
    story_id: int | None = None
    """The story cluster the article belongs to, once stored."""
    text_fingerprint: str | None = None
    """Exact identity of the normalised body (crawler.fingerprint), set by the dedup stage."""
    minhash: bytes | None = field(default=None, repr=False)
    lsh_bands: tuple[int, ...] = field(default=(), repr=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON form, a copy (its lists and provenance too); the dedup internals are left
        out before copying, not after: `dataclasses.asdict` spent most of its time on them,
        once for every stored article (the validation pipeline)."""
        data: dict[str, Any] = {}
        for name in _JSON_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, (list, dict)):
                value = copy.deepcopy(value)
            data[name] = value
        return data


_JSON_FIELDS = tuple(f.name for f in dataclasses.fields(Article)
                     if f.name not in ("minhash", "lsh_bands"))


@dataclass
class RawPage:
    """A fetched page as it came off the wire, kept so that articles can be re-parsed later."""

    url: str
    """The page's address on the outlet (a mirror's address mapped back)."""
    source: str | None
    body: bytes
    status: int
    headers: dict[str, str]
    fetched_at: datetime
    gave_article: bool = False
    """Its parse gave an article: it is known to the next crawl only once that article is
    stored too, since the two reach the database by different batches (crawler/incremental.py)."""


page_fetched = object()
"""Scrapy signal sent with `page=RawPage` for every article page fetched. Raw pages travel to the
store by this signal, not as items, so that feed exports (`scrapy crawl -O`) see articles only."""
