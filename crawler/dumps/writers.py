"""The dump formats: rows of crawler.dumps.fields.FIELDS in, a JSON-lines, CSV or Parquet
stream out, a batch at a time.

Every writer holds at most one Parquet row group of rows, so memory is bounded by the row
group, not by the dump. Writers are context managers: leaving the block normally finishes the
file (Parquet's footer); leaving it by an exception abandons it quietly, since the output
(crawler/dumps/output.py) removes it anyway.
"""

from __future__ import annotations

import contextlib
import csv
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import timezone
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Literal, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.dumps.fields import (
    ARROW_SCHEMA,
    DICTIONARY_COLUMNS,
    FIELDS,
    arrow_batch,
    csv_row,
    json_record,
)

Row = tuple[Any, ...]
ROW_GROUP_ROWS = 10_000
ROW_GROUP_BYTES = 64 * 1024 * 1024
"""A row group is also closed at this much body text, so that 10,000 very long articles
cannot make one of hundreds of MB (or overflow an Arrow string array's 2 GB)."""
FILE_ROWS = 250_000
"""Rows per file of a partitioned dump before it rolls over to the next part."""
NO_DATE = "__HIVE_DEFAULT_PARTITION__"
"""The partition of articles without a publication date: Hive's name for a null partition
value, which Spark, Hive, pyarrow and DuckDB read back as null."""
PARTITION_COLUMNS = {"day": "published_date", "month": "published_month"}

_PUBLISHED = FIELDS.index("published_at")


class Writer(ABC):
    @abstractmethod
    def write(self, rows: list[Row]) -> None:
        """Append rows in the order given."""

    @abstractmethod
    def close(self) -> None:
        """Finish the output."""

    def abandon(self) -> None:
        """Stop after a failure; the output is about to be removed. Text needs nothing: its
        stream belongs to the output."""
        return None

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()


class JsonLinesWriter(Writer):
    """One JSON object a line, in the form `jpnews import` reads (or, with the feed's
    `record`, a feed row)."""

    def __init__(self, text: TextIO,
                 record: Callable[[Row], dict[str, Any]] = json_record) -> None:
        self.text = text
        self.record = record

    def write(self, rows: list[Row]) -> None:
        self.text.writelines(json.dumps(self.record(row), ensure_ascii=False) + "\n"
                             for row in rows)

    def close(self) -> None:
        self.text.flush()


class CsvWriter(Writer):
    """A header line, then one line a row (RFC 4180 quoting; bodies keep their newlines
    inside quotes)."""

    def __init__(self, text: TextIO) -> None:
        self.text = text
        self.csv = csv.writer(text, lineterminator="\r\n")
        self.csv.writerow(FIELDS)

    def write(self, rows: list[Row]) -> None:
        self.csv.writerows(csv_row(row) for row in rows)

    def close(self) -> None:
        self.text.flush()


class ParquetWriter(Writer):
    """One Parquet file, zstd-compressed, written a row group at a time. The schema is the
    dump's unless another is given (the feed's: the dump's columns and a change's)."""

    def __init__(self, sink: BinaryIO | Path, *, row_group_rows: int = ROW_GROUP_ROWS,
                 row_group_bytes: int = ROW_GROUP_BYTES,
                 schema: pa.Schema = ARROW_SCHEMA) -> None:
        self.schema = schema
        self.body = schema.get_field_index("body")
        self.parquet = pq.ParquetWriter(
            str(sink) if isinstance(sink, Path) else sink, schema,
            compression="zstd", use_dictionary=list(DICTIONARY_COLUMNS))
        self.row_group_rows = row_group_rows
        self.row_group_bytes = row_group_bytes
        self.pending: list[Row] = []
        self.pending_bytes = 0
        self.rows = 0

    def write(self, rows: list[Row]) -> None:
        # Counted a batch at a time (a loop over rows here cost a tenth of the export); a
        # row group may so pass the byte bound by one batch, a few MB.
        self.pending.extend(rows)
        self.pending_bytes += self._body_bytes(rows)
        while len(self.pending) >= self.row_group_rows:
            self._flush(self.row_group_rows)
        if self.pending_bytes >= self.row_group_bytes:
            self._flush(len(self.pending))

    def _body_bytes(self, rows: list[Row]) -> int:
        body = self.body
        return sum(len(row[body] or b"") for row in rows)  # a feed's removal has no body

    def _flush(self, count: int) -> None:
        group, self.pending = self.pending[:count], self.pending[count:]
        if group:
            self.parquet.write_table(
                pa.Table.from_batches([arrow_batch(group, self.schema)]),
                row_group_size=len(group))
            self.rows += len(group)
        self.pending_bytes = self._body_bytes(self.pending)

    def close(self) -> None:
        self._flush(len(self.pending))
        self.parquet.close()

    def abandon(self) -> None:
        self.pending = []
        with contextlib.suppress(Exception):  # the file is being removed: its footer is moot
            self.parquet.close()


class PartitionedParquetWriter(Writer):
    """Hive-style folders of Parquet files by publication date (UTC):
    `published_date=2026-11-29/part-0.parquet` or `published_month=2026-11/part-0.parquet`,
    articles without a date under `=__HIVE_DEFAULT_PARTITION__`. A file rolls over to the next
    part after `file_rows` rows. Rows should arrive ordered by publication date, so that one
    file is open at a time; a partition that comes back later gets a part of its own."""

    def __init__(self, folder: Path, by: Literal["day", "month"], *,
                 file_rows: int = FILE_ROWS, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.folder = folder
        self.column = PARTITION_COLUMNS[by]
        self.width = 10 if by == "day" else 7  # of the ISO date: 2026-11-29 or 2026-11
        self.file_rows = file_rows
        self.row_group_rows = row_group_rows
        self.parts: dict[str, int] = {}
        """Partition value → files started in it."""
        self.key: str | None = None
        self.current: ParquetWriter | None = None
        self.current_rows = 0
        self.files: list[Path] = []

    def partition(self, row: Row) -> str:
        published = row[_PUBLISHED]
        if published is None:
            return NO_DATE
        return published.astimezone(timezone.utc).isoformat()[:self.width]

    def write(self, rows: list[Row]) -> None:
        start = 0
        for i, row in enumerate(rows):
            key = self.partition(row)
            if key != self.key or self.current_rows >= self.file_rows:
                self._write_current(rows[start:i])
                start = i
                self._open(key)
            self.current_rows += 1
        self._write_current(rows[start:])

    def _write_current(self, rows: list[Row]) -> None:
        if rows and self.current is not None:
            self.current.write(rows)

    def _open(self, key: str) -> None:
        if self.current is not None:
            self.current.close()
        part = self.parts.get(key, 0)
        self.parts[key] = part + 1
        folder = self.folder / f"{self.column}={key}"
        folder.mkdir(exist_ok=True)
        path = folder / f"part-{part}.parquet"
        self.files.append(path)
        self.current = ParquetWriter(path, row_group_rows=self.row_group_rows)
        self.key, self.current_rows = key, 0

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None

    def abandon(self) -> None:
        if self.current is not None:
            self.current.abandon()
            self.current = None
