"""WARC files of the demo sites, written with warcio's writer: for the tests and the bench.

Records are what an archiving crawler writes: responses (with the page's HTTP headers), a
revisit, a request, a response it marked WARC-Truncated; `cut` then breaks a file off as a
download cut short would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.demo.site import ORIGIN, SampleSite


@dataclass(frozen=True)
class Record:
    url: str
    when: datetime
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    kind: str = "response"
    """response, revisit or request."""
    truncated: str | None = None
    """The WARC-Truncated reason the archiving crawler wrote ("length"), if any."""


def warc_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def site_records(site: SampleSite, when: datetime, paths: Iterable[str] | None = None,
                 origin: str = ORIGIN) -> list[Record]:
    """Responses for the site's pages (all of them, or `paths`), captured at `when` from
    `origin` (the outlet's, or a mirror's address)."""
    chosen = list(paths) if paths is not None else list(site.pages)
    return [Record(origin + path, when, site.pages[path].body, site.pages[path].content_type,
                   site.pages[path].status) for path in chosen]


def article_paths(site: SampleSite) -> list[str]:
    return [path for path in site.pages if path.count("/") == 3 and "?" not in path
            and not path.endswith("/feed")]


def write_warc(path: Path, records: Iterable[Record], *, gzip: bool = True) -> Path:
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=gzip)
        for record in records:
            date = {"WARC-Date": warc_date(record.when)}
            if record.kind == "revisit":
                warc = writer.create_revisit_record(
                    record.url, digest="sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ",
                    refers_to_uri=record.url, refers_to_date=warc_date(record.when))
                warc.rec_headers.replace_header("WARC-Date", warc_date(record.when))
            elif record.kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "japantoday.com")],
                                        is_http_request=True)
                warc = writer.create_warc_record(record.url, "request", payload=BytesIO(b""),
                                                 http_headers=http, warc_headers_dict=date)
            else:
                http = StatusAndHeaders(f"{record.status} OK",
                                        [("Content-Type", record.content_type)],
                                        protocol="HTTP/1.1")
                headers = {**date, **({"WARC-Truncated": record.truncated}
                                      if record.truncated else {})}
                warc = writer.create_warc_record(record.url, "response",
                                                 payload=BytesIO(record.body),
                                                 http_headers=http, warc_headers_dict=headers)
            writer.write_record(warc)
    return path


def cut(path: Path, drop: int) -> Path:
    """Break the file off `drop` bytes before its end (a download cut short)."""
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - drop])
    return path
