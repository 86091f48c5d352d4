"""`jpnews export`: the selected articles, read in batches, written in one format to a file,
a folder of partitions or stdout, with a progress line on a terminal.

Everything that can be refused is refused before a row is read: the combination of options,
the filters (against the database), and the output (its temporary file is created first, so
an unwritable path fails at once rather than after the whole read).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import psycopg

from crawler.dumps.output import (
    OutputError,
    atomic_file,
    atomic_folder,
    compression,
    text_stream,
)
from crawler.dumps.selection import (
    ORDER_BY_ID,
    ORDER_BY_PUBLISHED,
    Selection,
    batches,
    prefetched,
    statement,
)
from crawler.dumps.writers import (
    ROW_GROUP_ROWS,
    CsvWriter,
    JsonLinesWriter,
    ParquetWriter,
    PartitionedParquetWriter,
    Writer,
)
from crawler.status import RateCounter, StatusLine

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")


@dataclass(frozen=True)
class ExportRequest:
    format: Format
    output: Path | None
    """None: standard output."""
    selection: Selection = Selection()
    partition_by: Literal["day", "month"] | None = None
    row_group_rows: int = ROW_GROUP_ROWS


@dataclass(frozen=True)
class ExportResult:
    articles: int
    seconds: float
    notes: tuple[str, ...]
    """What the query parser did that the user should know ("common words ignored: the")."""


def check(request: ExportRequest) -> None:
    """Refuse option combinations that cannot work, before touching the database."""
    if request.format == "parquet":
        if request.output is None:
            raise OutputError("Parquet cannot go to standard output (readers start from the "
                              "footer at its end): give --output FILE.parquet")
        if compression(request.output.name) and not request.partition_by:
            raise OutputError(f"{request.output.name}: Parquet is compressed inside (zstd); "
                              "name the file .parquet")
    elif request.partition_by:
        raise OutputError("--partition-by writes Parquet folders: use it with --format parquet")


def export(conn: psycopg.Connection, request: ExportRequest, *,
           progress: bool = False) -> ExportResult:
    """Write the dump; raises OutputError or SelectionError with a message for the user.
    Nothing exists under the output's name unless the whole dump was written."""
    check(request)
    order = ORDER_BY_PUBLISHED if request.partition_by else ORDER_BY_ID
    stmt = statement(conn, request.selection, order)
    counter = RateCounter("export", "articles", StatusLine()) if progress else None
    started, count = time.monotonic(), 0
    try:
        with _writer(request) as writer:
            raw = request.format == "parquet"
            for rows in prefetched(batches(conn, stmt, text_as_bytes=raw)):
                writer.write(rows)
                count += len(rows)
                if counter:
                    counter.add(len(rows))
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write {request.output or 'to standard output'}: "
                          f"{exc.strerror or exc}") from None
    if counter:
        counter.finish()
    return ExportResult(count, time.monotonic() - started, stmt.notes)


@contextmanager
def _writer(request: ExportRequest) -> Iterator[Writer]:
    """The format's writer over the output; the output is complete when the block ends."""
    with ExitStack() as stack:
        path = request.output
        if request.format == "parquet":
            assert path is not None  # check() refused stdout
            if request.partition_by:
                folder = stack.enter_context(atomic_folder(path))
                writer: Writer = PartitionedParquetWriter(
                    folder, request.partition_by, row_group_rows=request.row_group_rows)
            else:
                writer = ParquetWriter(stack.enter_context(atomic_file(path)),
                                       row_group_rows=request.row_group_rows)
        else:
            raw: BinaryIO = sys.stdout.buffer if path is None else \
                stack.enter_context(atomic_file(path))
            text = stack.enter_context(text_stream(
                raw, compression(path.name) if path else None,
                inner_name=path.name if path else "",
                newline="" if request.format == "csv" else "\n"))
            writer = CsvWriter(text) if request.format == "csv" else JsonLinesWriter(text)
        yield stack.enter_context(writer)
