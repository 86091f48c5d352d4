"""Dumps back into records for `jpnews import`: JSON lines (plain, gzip or zstandard) and
Parquet (one file, or a folder of them, Hive partition folders included).

A record is the JSON form of an article (crawler/dumps/fields.py), whatever the format it was
stored in, each with its origin ("dump.jsonl:12", "published_date=2026-11-29/part-0.parquet:3")
for messages. A record that cannot be read is an entry with an error, not a stop: one bad line
must not lose the rest of a dump. A file that cannot be read at all is refused by `check`
before the import starts.

Formats are told by content, not by name: a dump renamed or fetched without its extension
still loads.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard

from crawler.dumps.fields import record_from_arrow

PARQUET_MAGIC = b"PAR1"
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
BATCH_ROWS = 1000
"""Parquet rows decoded at a time: an import holds one batch, not one file."""


class DumpError(ValueError):
    """A dump that cannot be read; one line meant for the user."""


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


def check(path: Path) -> None:
    """Refuse, with one line, a path that is not a readable dump."""
    try:
        if not path.exists():
            raise DumpError(f"cannot read {path}: no such file or folder")
        if kind(path) == "jsonl":
            with open_lines(path) as lines:
                lines.read(1)
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
    except (EOFError, zstandard.ZstdError, UnicodeDecodeError) as exc:
        raise DumpError(f"cannot read {path}: {_first_line(exc)}") from None


def open_lines(path: Path) -> TextIO:
    """A JSON-lines file, gzipped, zstandard-compressed or neither."""
    raw = path.open("rb")
    magic = raw.read(4)
    raw.seek(0)
    if magic.startswith(GZIP_MAGIC):
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8")
    if magic == ZSTD_MAGIC:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, closefd=True)
        return io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8")
    return io.TextIOWrapper(raw, encoding="utf-8")


def entries(path: Path) -> Iterator[Entry]:
    """Every record of the dump at `path`, in order."""
    if kind(path) == "parquet":
        yield from _parquet_entries(path)
    else:
        yield from _json_entries(path)


def _json_entries(path: Path) -> Iterator[Entry]:
    with open_lines(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            origin = f"{path.name}:{number}"
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield Entry(origin, None, _first_line(exc))
                continue
            if isinstance(record, dict):
                yield Entry(origin, record)
            else:
                yield Entry(origin, None, "not a JSON object")


def _parquet_entries(path: Path) -> Iterator[Entry]:
    base = path if path.is_dir() else path.parent
    for file in parquet_files(path):
        name = file.relative_to(base).as_posix()
        number = 0
        with pq.ParquetFile(file) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    number += 1
                    try:
                        yield Entry(f"{name}:{number}", record_from_arrow(row))
                    except ValueError as exc:  # provenance that is not JSON
                        yield Entry(f"{name}:{number}", None, _first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
