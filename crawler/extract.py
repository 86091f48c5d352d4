"""Extraction of one saved or fetched page: a pure function of (URL, bytes, crawl time).

The spider, `jpnews extract` and re-parsing all call `extract_raw`/`extract_article`, so a page
gives the same article whichever way it arrives.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

from crawler.html import decode_html
from crawler.items import Article, RawArticle
from crawler.normalize import Rejected, crawl_time, normalize
from crawler.parsers import page_for
from crawler.sources import Source, source_for_url


def extract_raw(url: str, body: bytes, crawled_at: datetime, *, content_type: str | None = None,
                source: Source | None = None) -> RawArticle:
    """What the page says. Raises UndecodablePage for bytes no charset decodes."""
    text, _codec = decode_html(body, content_type)
    if is_truncated(text):
        raise Rejected("truncated", "the page ends before its closing tags")
    return page_for(url, text, crawled_at, source or source_for_url(url)).to_raw()


def is_truncated(text: str) -> bool:
    """A page cut off in transfer or by its server: neither </body> nor </html> at its end.

    lxml would quietly close such a page and yield the first half of an article as if whole.
    """
    tail = text[-4096:].lower()
    return "</html>" not in tail and "</body>" not in tail


def extract_article(url: str, body: bytes, crawled_at: datetime | None = None, *,
                    content_type: str | None = None) -> Article:
    """The normalised article of one page; raises Rejected when it is not one."""
    when = crawl_time(crawled_at)
    return normalize(extract_raw(url, body, when, content_type=content_type))


def read_saved_page(path: Path) -> bytes:
    """Bytes of a saved page, gunzipped when the file is gzip (by content, not by name)."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
