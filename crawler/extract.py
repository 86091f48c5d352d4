"""Extraction of one saved or fetched page: a pure function of (URL, bytes, crawl time).

The spider, `jpnews extract` and re-parsing all call `extract_raw`/`extract_article`, so a page
gives the same article whichever way it arrives.
"""

from __future__ import annotations

import gzip
import zlib
from datetime import datetime
from pathlib import Path

from crawler.html import decode_html
from crawler.items import Article, RawArticle
from crawler.normalize import Rejected, crawl_time, normalize
from crawler.parsers import JSON_PARSERS, page_for
from crawler.settings import DOWNLOAD_MAXSIZE
from crawler.sources import Source, source_for_url


def extract_raw(url: str, body: bytes, crawled_at: datetime, *, content_type: str | None = None,
                source: Source | None = None) -> RawArticle:
    """What the page says. Raises Rejected, or UndecodablePage for bytes no charset decodes."""
    source = source or source_for_url(url)
    if source is not None and source.id in JSON_PARSERS and body.lstrip()[:1] == b"{":
        try:
            return JSON_PARSERS[source.id](body, crawled_at)
        except (ValueError, AttributeError, TypeError) as exc:
            raise Rejected("bad_json", str(exc)) from None
    if (reason := not_html_reason(body, content_type)) is not None:
        raise Rejected("not_html", reason)
    text, _codec = decode_html(body, content_type)
    if is_truncated(text):
        raise Rejected("truncated", "the page ends before its closing tags")
    return page_for(url, text, crawled_at, source).to_raw()


def is_truncated(text: str) -> bool:
    """A page its server cut short: it opens a <body> and closes neither it nor <html>.

    lxml would quietly close such a page and yield the first half of an article as if whole.
    (A transfer cut short is caught earlier, by Scrapy's data-loss check.) HTML5 lets a page
    omit both end tags, but news CMS templates write them.
    """
    if "</body>" in text or "</html>" in text:  # the usual page, without a lowered copy
        return False
    lower = text.lower()
    return "<body" in lower and "</body>" not in lower and "</html>" not in lower


def not_html_reason(body: bytes, content_type: str | None) -> str | None:
    """Why these bytes are not a web page (a PDF, an image, JSON), or None."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES and not kind.startswith("text/"):
        return f"content type {kind}"
    head = body[:1024]
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04")) or \
            b"\x00" in head.replace(b"\x00<", b"<"):
        return "binary content"
    return None


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/xml",
                        "application/octet-stream"})


def extract_article(url: str, body: bytes, crawled_at: datetime | None = None, *,
                    content_type: str | None = None) -> Article:
    """The normalised article of one page; raises Rejected when it is not one."""
    when = crawl_time(crawled_at)
    return normalize(extract_raw(url, body, when, content_type=content_type))


class PageTooLarge(ValueError):
    """A saved page beyond the size a crawl would download (DOWNLOAD_MAXSIZE)."""


def read_saved_page(path: Path, max_size: int = DOWNLOAD_MAXSIZE) -> bytes:
    """Bytes of a saved page, gunzipped when the file is gzip (by content, not by name).

    Read by a streaming decompressor that stops one byte past `max_size`, the crawl's own
    limit: a gzip bomb (2 MB that inflate to gigabytes) costs no more memory than the cap.
    """
    with path.open("rb") as file:
        gzipped = file.read(2) == b"\x1f\x8b"
        file.seek(0)
        stream = gzip.GzipFile(fileobj=file) if gzipped else file
        try:
            data = stream.read(max_size + 1)
        except EOFError:  # gzip cut short
            raise OSError(f"{path} ends before its gzip stream does") from None
        except (gzip.BadGzipFile, zlib.error) as exc:  # damaged on the way
            raise OSError(f"{path} is not a valid gzip stream ({exc})") from None
    if len(data) > max_size:
        raise PageTooLarge(f"{path} is larger than {max_size:,} bytes"
                           f"{' once decompressed' if gzipped else ''} "
                           "(the crawl's limit, JPNEWS_DOWNLOAD_MAXSIZE)")
    return data
