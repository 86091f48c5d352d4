"""Reading WARC files (web archives such as Common Crawl's CC-NEWS) into fetched pages.

warcio does the format; this module decides which records are pages a crawl could have fetched
and names the reason of every other one, so that `jpnews backfill` counts each record once:
a revisit (the archive's "same as before", no body), a request or metadata record, a record the
archiving crawler cut short (WARC-Truncated) or that the file cuts short (its body ends before
its Content-Length, a last gzip member without its end, headers that break off), a body beyond
the crawl's own size limit, or an answer other than 2xx. Nothing here raises past `check` on
a damaged file: the pages before the damage are still pages.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

log = logging.getLogger(__name__)

DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
"""Headers that describe the transfer, not the page: the body kept is decoded, as a crawl's is."""


GZIP_MAGIC = b"\x1f\x8b"
WARC_START = b"WARC/"
"""What a WARC file (its first record) begins with, once gunzipped."""
EXCERPT = 16
"""Bytes of a file that is no WARC shown in its error line: enough to recognise a JSON line
or a Parquet dump ("PAR1"), too few to fill the line with a binary file's escapes."""
SNIFF = 1 << 16
"""Bytes read at a time to see how a file begins."""


class WarcError(Exception):
    """A file that is no WARC file at all, or cannot be opened: one line for the user."""


@dataclass(frozen=True)
class Capture:
    """One HTTP response an archive holds, as a crawl would have received it."""

    url: str
    fetched_at: datetime
    """WARC-Date: when the archiving crawler fetched the page."""
    status: int
    headers: dict[str, str]
    body: bytes
    origin: str
    """file@offset, for messages."""

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), None)


@dataclass(frozen=True)
class Skipped:
    """A record that is no page to parse, and why (the key under which it is counted)."""

    reason: str
    origin: str
    url: str | None = None


class _Records(ArchiveIterator):
    """warcio's iterator, remembering whether the last gzip member ended: warcio stops quietly
    at a member cut short (a download that broke off), which must not pass for a whole file."""

    member_cut = False

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.member_cut = True
        super().close()


def check(path: Path) -> None:
    """Refuse at once a file that cannot be read, is no WARC (a Parquet dump given by mistake)
    or breaks off before its first record's headers end, before any process starts; damage
    further in is counted, not refused. The reason is one printable line: a binary file's
    bytes appear few and escaped, beside what was expected."""
    try:
        with path.open("rb") as file:
            problem = _problem(file)
    except OSError as exc:
        raise WarcError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if problem is not None:
        raise WarcError(f"{path}: {problem}; expected a WARC file, gzipped or not")


def _problem(file: BinaryIO) -> str | None:
    """Why the file cannot begin a WARC file (.warc or .warc.gz), or None if it can."""
    head = file.read(SNIFF)
    if not head:  # a download that never started
        return "no WARC record in it (an empty file)"
    # a file of one byte may be a gzip file cut short too
    gzipped = head.startswith(GZIP_MAGIC) or GZIP_MAGIC.startswith(head)
    content, ended = _inflated_start(head, file) if gzipped else (head, False)
    if content is None:
        return "not a readable gzip file (corrupt: its data does not inflate)"
    if not content and ended:
        return "no WARC record in it (a gzip file of nothing)"
    # a start that is a beginning of "WARC/" (nothing, "WAR") is a WARC file cut short
    if not content.startswith(WARC_START) and not WARC_START.startswith(content):
        return (f"a gzip file, but no WARC in it (it holds {_excerpt(content)})" if gzipped
                else f"not a WARC file (it starts with {_excerpt(content)})")
    file.seek(0)
    if _first_record_whole(file):
        return None
    size = os.fstat(file.fileno()).st_size
    return (f"not a readable {'gzip' if gzipped else 'WARC'} file (truncated or corrupt: it "
            f"ends after {size} byte{'s' if size != 1 else ''}, inside its first record)")


def _inflated_start(head: bytes, file: BinaryIO) -> tuple[bytes | None, bool]:
    """The first bytes a gzip file holds (fewer if it breaks off before them, None when its
    data does not inflate), and whether its first member ended there; at most SNIFF
    compressed bytes are read at a time."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    content, data = b"", head
    try:
        while data and len(content) <= EXCERPT and not inflater.eof:  # one more: "..."
            content += inflater.decompress(data, EXCERPT + 1 - len(content))
            data = inflater.unconsumed_tail or file.read(SNIFF)
    except zlib.error:
        return None, False
    return content, inflater.eof


def _first_record_whole(file: BinaryIO) -> bool:
    """Whether warcio reads a first record with whole WARC headers (a type and the
    Content-Length every record has): a file cut inside them holds no page at all."""
    try:
        first = next(iter(ArchiveIterator(file)), None)
    except Exception:  # noqa: BLE001 - warcio's parser fails on garbage in many ways
        return False
    return first is not None and bool(first.rec_type) and \
        first.rec_headers.get_header("Content-Length") is not None


def _excerpt(data: bytes) -> str:
    """The first bytes, escaped as a Python bytes literal: printable whatever they are."""
    return repr(data[:EXCERPT]) + ("..." if len(data) > EXCERPT else "")


def captures(path: Path, max_size: int) -> Iterator[Capture | Skipped]:
    """Every record of the file, as a Capture or as a Skipped with its reason."""
    with path.open("rb") as file:
        gzipped = file.read(2) == GZIP_MAGIC
        file.seek(0)
        records = _Records(file)
        offset = 0
        last: Capture | Skipped | None = None
        try:
            for record in records:
                # the origin's offset is asked for once the body is read: asking first
                # skips the body
                last = _capture(record, path.name, max_size)
                offset = records.get_record_offset()
                yield dataclasses.replace(last, origin=f"{path.name}@{offset}")
        except Exception as exc:  # noqa: BLE001 - a record whose headers break off
            log.warning("%s: breaks off after offset %d (%s): the rest is lost", path, offset,
                        type(exc).__name__)
            yield Skipped("truncated", f"{path.name}@{offset}+")
            return
        cut_record = isinstance(last, Skipped) and last.reason == "truncated"
        # warcio ends quietly at a last gzip member cut short, and at a last uncompressed
        # record whose headers break off (it leaves the bytes unread)
        unread = not gzipped and path.stat().st_size - records.offset > 4
        if (gzipped and records.member_cut or unread) and not cut_record:
            log.warning("%s: breaks off in its last record: the rest is lost", path)
            yield Skipped("truncated", f"{path.name}@end")


def _capture(record: object, origin: str, max_size: int) -> Capture | Skipped:
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI")
    kind = record.rec_type  # type: ignore[attr-defined]
    if headers.get_header("Content-Length") is None:  # every record has one: its headers cut
        return Skipped("truncated", origin, url)
    if kind == "revisit":
        return Skipped("revisit", origin, url)
    if kind != "response":
        return Skipped("not_response", origin, url)
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None or not url or not url.startswith(("http://", "https://")):
        return Skipped("not_http", origin, url)
    if headers.get_header("WARC-Truncated"):
        return Skipped("truncated", origin, url)  # cut by the archiving crawler
    try:
        body = record.content_stream().read(max_size + 1)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a body warcio cannot decode (a bad chunked or gzip)
        return Skipped("undecodable_body", origin, url)
    raw = record.raw_stream  # type: ignore[attr-defined]
    if len(body) > max_size:
        return Skipped("too_large", origin, url)
    if isinstance(raw, LimitReader) and raw.limit > 0:
        return Skipped("truncated", origin, url)  # the file ends inside the record's body
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return Skipped("not_http", origin, url)
    if not 200 <= status < 300:
        return Skipped("http_status", origin, url)
    try:
        fetched_at = datetime.fromisoformat(headers.get_header("WARC-Date").replace("Z",
                                                                                    "+00:00"))
    except (AttributeError, ValueError):
        return Skipped("bad_date", origin, url)
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    return Capture(url=url, fetched_at=fetched_at, status=status,
                   headers={k: v for k, v in http.headers if k.lower() not in DROPPED_HEADERS},
                   body=body, origin=origin)
