"""What a dump holds: every field of the article schema (crawler/items.py `Article`, without
the dedup internals `minhash` and `lsh_bands`) plus the row's database bookkeeping, in one
order for every format, and the Arrow schema of the Parquet files.

The JSON-lines form is `Article.to_json()` plus the bookkeeping fields, which is what
`jpnews import` reads (it ignores the fields it recomputes), so a dump loads back as it was.
CSV has the same columns with lists and objects as JSON text. Parquet has real types: the
schema below is a contract with warehouses, so a change of a type, a rename or a removal
bumps SCHEMA_VERSION (a new column at the end does not).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

import pyarrow as pa

from crawler.items import Article

SCHEMA_VERSION = "1"
"""`jpnews.schema_version` in each Parquet file's key-value metadata."""
SCHEMA_VERSION_KEY = "jpnews.schema_version"

INTERNAL = ("minhash", "lsh_bands")
"""Article fields that are the dedup index's working state, not data: never exported."""
ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article) if f.name not in INTERNAL)
FIELDS = ("id", *ARTICLE_FIELDS, "version", "first_seen_at", "updated_at")
"""Every exported field, in the order of the columns in every format."""

_UTC = pa.timestamp("us", tz="UTC")
_TEXT = pa.string()
_WORDS = pa.list_(pa.string())

# Postgres keeps microseconds, so timestamp[us] loses nothing; UTC because the stored values
# are instants (timestamptz) and warehouses compare them as such. `provenance` (field → the
# extraction layer that produced it) is a JSON object as text: its keys vary by parser, and a
# string reads the same in every warehouse, where a map type does not. `credit` and
# `credit_agency` are strings, not an enumeration: new agencies appear without a schema change.
ARROW_SCHEMA = pa.schema(
    [
        pa.field("id", pa.int64(), nullable=False),
        pa.field("url", _TEXT, nullable=False),
        pa.field("canonical_url", _TEXT, nullable=False),
        pa.field("source", _TEXT, nullable=False),
        pa.field("source_name", _TEXT, nullable=False),
        pa.field("source_group", _TEXT),
        pa.field("title", _TEXT, nullable=False),
        pa.field("body", _TEXT, nullable=False),
        pa.field("summary", _TEXT),
        pa.field("published_at", _UTC),
        pa.field("modified_at", _UTC),
        pa.field("credit", _TEXT),
        pa.field("credit_agency", _TEXT),
        pa.field("authors", _WORDS, nullable=False),
        pa.field("section", _TEXT),
        pa.field("tags", _WORDS, nullable=False),
        pa.field("language", _TEXT),
        pa.field("editor_note", _TEXT),
        pa.field("image_url", _TEXT),
        pa.field("crawled_at", _UTC, nullable=False),
        pa.field("paywalled", pa.bool_(), nullable=False),
        pa.field("content_hash", _TEXT, nullable=False),
        pa.field("meta_hash", _TEXT, nullable=False),
        pa.field("provenance", _TEXT, nullable=False),
        pa.field("story_id", pa.int64()),
        pa.field("text_fingerprint", _TEXT),
        pa.field("version", pa.int32(), nullable=False),
        pa.field("first_seen_at", _UTC, nullable=False),
        pa.field("updated_at", _UTC, nullable=False),
    ],
    metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION},
)
# Columns with few distinct values, where Parquet's dictionary encoding pays; on the text
# columns it would only be tried and dropped, page after page.
DICTIONARY_COLUMNS = ("source", "source_name", "source_group", "credit", "credit_agency",
                      "section", "language")

_PROVENANCE = FIELDS.index("provenance")
_LISTS = tuple(FIELDS.index(name) for name in ("authors", "tags"))
_TIMES = tuple(i for i, f in enumerate(ARROW_SCHEMA) if f.type == _UTC)

# Provenance as Postgres prints it: CSV and Parquet want JSON text, and letting the driver
# parse it only to print it again took a third of a Parquet export's time.
SELECT_LIST = ", ".join("a.provenance::text AS provenance" if name == "provenance"
                        else f"a.{name}" for name in FIELDS)
"""The articles columns of a dump, in order, for `SELECT ... FROM articles a`: provenance
as JSON text, everything else as stored."""


def json_record(row: tuple[Any, ...]) -> dict[str, Any]:
    """A selected row as the JSON object of a dump line: times in ISO 8601 with their offset
    (UTC), lists as arrays, provenance as an object, nulls as null."""
    record = dict(zip(FIELDS, row, strict=True))
    for i in _TIMES:
        value = row[i]
        if value is not None:
            record[FIELDS[i]] = value.isoformat()
    record["provenance"] = json.loads(row[_PROVENANCE])
    return record


def csv_row(row: tuple[Any, ...]) -> list[Any]:
    """A selected row as CSV cells: lists and provenance as JSON text, booleans as true and
    false, times in ISO 8601, and an empty cell for null."""
    out: list[Any] = []
    for i, value in enumerate(row):
        if value is None:
            out.append("")
        elif i in _LISTS:
            out.append(json.dumps(value, ensure_ascii=False))
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, datetime):
            out.append(value.isoformat())
        else:
            out.append(value)
    return out


def arrow_array(values: tuple[Any, ...], kind: pa.DataType) -> pa.Array:
    # Text is taken as UTF-8 bytes and checked by Arrow in one pass: building a string
    # array from Python str objects encodes each one again and was most of the time left.
    if kind == _TEXT:
        return pa.array(values, type=pa.binary()).cast(_TEXT)
    if kind == _WORDS:
        return pa.array(values, type=pa.list_(pa.binary())).cast(_WORDS)
    return pa.array(values, type=kind)


def arrow_batch(rows: list[tuple[Any, ...]], schema: pa.Schema = ARROW_SCHEMA
                ) -> pa.RecordBatch:
    """Selected rows as one Arrow record batch of `schema` (the dump's, or another whose
    columns the rows hold in its order, such as the feed's). Text may come as UTF-8 bytes
    (crawler.dumps.selection.batches with text_as_bytes) or as str."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = [arrow_array(column, field.type)
              for column, field in zip(columns, schema, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def record_from_arrow(record: dict[str, Any]) -> dict[str, Any]:
    """A Parquet row (as pyarrow gives it) in the JSON form, for the importer."""
    out = dict(record)
    for name, value in record.items():
        if isinstance(value, datetime):
            out[name] = value.isoformat()
    provenance = record.get("provenance")
    if isinstance(provenance, str):
        out["provenance"] = json.loads(provenance) if provenance else {}
    return out


if tuple(ARROW_SCHEMA.names) != FIELDS:  # pragma: no cover - a schema edit that forgot a side
    raise RuntimeError("crawler.dumps.fields: ARROW_SCHEMA does not list the article fields in "
                       f"order: {ARROW_SCHEMA.names} != {FIELDS}")
