"""Dumps back into records for `jpnews import`: JSON lines (plain, gzip or zstandard) and
Parquet (one file, or a folder of them, Hive partition folders included).

A record is the JSON form of an article (crawler/dumps/fields.py), whatever the format it was
stored in, each with its origin ("dump.jsonl:12", "published_date=2026-11-29/part-0.parquet:3")
for messages. A record that cannot be read is an entry with an error, not a stop: one bad line
(bytes that are not UTF-8, text that is not JSON, a line longer than `max_line`, the setting
JPNEWS_IMPORT_MAX_LINE, as an article is well under a megabyte) must not lose the rest of a
dump. A line over the limit is skipped a chunk at a time, never held whole: a 1.5 GB line must
not take gigabytes. A file that cannot be read at all (missing, binary, HTML, in an encoding
other than UTF-8, or any text that does not begin with a JSON object) is refused by `check`
before the import starts; one that breaks further on (a truncated gzip, a damaged Parquet page)
raises DumpError from `entries` after the records read before the damage.

Formats are told by content, not by name: a dump renamed or fetched without its extension
still loads.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

from crawler.dumps.fields import record_from_arrow

PARQUET_MAGIC = b"PAR1"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BATCH_ROWS = 1000
"""Parquet rows decoded at a time: an import holds one batch, not one file."""
SKIP_CHUNK = 1024 * 1024
"""Bytes read at a time while skipping the rest of a line over the limit."""
CHECKED_LINES = 100
"""Lines `check` reads for one in UTF-8: a file none of whose first lines is UTF-8 is in
another encoding (one error), not a dump with some bad bytes (one rejection per line)."""


class DumpError(ValueError):
    """A dump that cannot be read; one line meant for the user."""


UNREADABLE = (OSError, EOFError, zlib.error, zstandard.ZstdError)
"""What a damaged JSON-lines file raises while it is read: a truncated or corrupt gzip or
zstandard stream."""


@dataclass(frozen=True)
class Entry:
    origin: str
    record: dict[str, Any] | None
    error: str | None = None


def _magic(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4)


def kind(path: Path) -> Literal["jsonl", "parquet"]:
    if path.is_dir() or _magic(path) == PARQUET_MAGIC:
        return "parquet"
    return "jsonl"


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files of a file or folder, in name order (a partitioned dump's folders sort
    by date). Hidden files and folders are skipped: an export's unfinished `.NAME.partial-PID`
    is not part of the dump."""
    if path.is_file():
        return [path]
    found = []
    for candidate in sorted(path.rglob("*.parquet")):
        hidden = any(part.startswith((".", "_")) for part in candidate.relative_to(path).parts)
        if not hidden and candidate.is_file():
            found.append(candidate)
    return found


def check(path: Path, *, max_line: int) -> None:
    """Refuse, with one line, a path that is not a readable dump."""
    try:
        if not path.exists():
            raise DumpError(f"cannot read {path}: no such file or folder")
        if kind(path) == "jsonl":
            _check_first_lines(path, max_line)
            return
        files = parquet_files(path)
        if not files:
            raise DumpError(f"{path} holds no Parquet files")
        for file in files:
            try:
                pq.ParquetFile(file).close()
            except (pa.ArrowException, OSError) as exc:
                raise DumpError(f"cannot read {file}: {_first_line(exc)}") from None
    except OSError as exc:
        raise DumpError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UNREADABLE as exc:
        raise DumpError(f"cannot read {path}: {_first_line(exc)}") from None


def _check_first_lines(path: Path, max_line: int) -> None:
    """A JSON-lines dump is UTF-8 and its first line in UTF-8 is a JSON object: anything else
    (an HTML page, a CSV, a binary, a Shift JIS file) is the wrong file, not thousands of bad
    records. Lines that are not UTF-8 or too long are passed over, up to CHECKED_LINES: each
    is refused alone by the import, as it would be further down."""
    not_utf8 = 0
    with open_lines(path) as stream:
        for number, line in enumerate(bounded_lines(stream, max_line), start=1):
            if number > CHECKED_LINES:
                break
            if line is None or not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                not_utf8 = not_utf8 or number
                continue
            try:
                record = json.loads(text)
            except (ValueError, RecursionError):
                record = None
            if not isinstance(record, dict):
                raise DumpError(f"cannot read {path}: not JSON lines nor Parquet "
                                f"(line {number} is not a JSON object)")
            return
    if not_utf8:
        raise DumpError(f"cannot read {path}: not UTF-8 (line {not_utf8} and every line "
                        "after it read)")


def open_lines(path: Path) -> BinaryIO:
    """A JSON-lines file, gzipped, zstandard-compressed or neither, as lines of bytes: each
    line is decoded on its own, so that bytes that are not UTF-8 cost their line only, and a
    stream that breaks off yields every complete line before the break."""
    raw = path.open("rb")
    magic = raw.read(4)
    raw.seek(0)
    if magic.startswith(GZIP_MAGIC):
        return io.BufferedReader(gzip.GzipFile(fileobj=raw))
    if magic == ZSTD_MAGIC:
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True))
    return raw


def bounded_lines(stream: BinaryIO, max_line: int) -> Iterator[bytes | None]:
    """The lines of `stream`, newline included; None for a line longer than `max_line` bytes
    (its newline not counted), whose rest is read and dropped SKIP_CHUNK bytes at a time."""
    while line := stream.readline(max_line + 1):
        if len(line) <= max_line or line[max_line:] == b"\n":
            yield line
            continue
        while (rest := stream.readline(SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None


def entries(path: Path, *, max_line: int) -> Iterator[Entry]:
    """Every record of the dump at `path`, in order."""
    if kind(path) == "parquet":
        yield from _parquet_entries(path)
    else:
        yield from _json_entries(path, max_line)


def _json_entries(path: Path, max_line: int) -> Iterator[Entry]:
    number = 0
    try:
        with open_lines(path) as stream:
            for number, line in enumerate(bounded_lines(stream, max_line), start=1):
                if line is None:
                    yield Entry(f"{path.name}:{number}", None,
                                f"line too long: over {max_line} bytes (JPNEWS_IMPORT_MAX_LINE)")
                else:
                    yield from _json_entry(path, number, line)
    except UNREADABLE as exc:
        raise DumpError(f"cannot read {path} after line {number}: {_first_line(exc)}") from None


def _json_entry(path: Path, number: int, line: bytes) -> Iterator[Entry]:
    if not line.strip():
        return
    origin = f"{path.name}:{number}"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Entry(origin, None, f"not UTF-8: byte {exc.start + 1}")
        return
    try:
        record = json.loads(text)
    except ValueError as exc:
        yield Entry(origin, None, f"not JSON: {_first_line(exc)}")
        return
    except RecursionError:  # a hostile line of arrays in arrays, thousands deep
        yield Entry(origin, None, "not JSON: nested too deeply")
        return
    if isinstance(record, dict):
        yield Entry(origin, record)
    else:
        yield Entry(origin, None, "not a JSON object")


def _parquet_entries(path: Path) -> Iterator[Entry]:
    base = path if path.is_dir() else path.parent
    for file in parquet_files(path):
        name = file.relative_to(base).as_posix()
        number = 0
        try:
            with pq.ParquetFile(file) as parquet:
                for group in range(parquet.num_row_groups):  # a damaged group costs itself
                    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]):
                        for row in batch.to_pylist():
                            number += 1
                            try:
                                yield Entry(f"{name}:{number}", record_from_arrow(row))
                            except ValueError as exc:  # provenance that is not JSON
                                yield Entry(f"{name}:{number}", None, _first_line(exc))
        except (pa.ArrowException, OSError) as exc:
            raise DumpError(f"cannot read {file} after row {number}: "
                            f"{_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
