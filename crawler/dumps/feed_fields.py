"""What a row of the change feed holds: the change (which article, which version, what kind,
when, where in the change log), then the article's fields as a dump has them, as they are when
the batch is written.

    article_id, version, change, changed_at, change_xid, change_id,
    url ... text_fingerprint (the dump's columns but `id` and `version`), first_seen_at,
    updated_at, current_version

`version` is the version the change made or saw; with `article_id` and `change` it is the
idempotent key of a row (a batch given again repeats rows, never invents new keys).
`current_version` is the article's version when the batch was written (the dump's `version`):
the fields are the current ones, so they may be newer than the change. A removed article has
no fields: a 'removed' row, and any earlier row of it written after its removal, holds only
the change, and a removal also its canonical URL. Rows come from the view
`feed_changes_visible` (migration 009), which lists the same columns for warehouse tools.

The Arrow schema is the dump's (crawler/dumps/fields.py), the same types, with every article
column nullable, after the change's columns; FEED_SCHEMA_VERSION follows the dump's rule (a
changed type, a rename or a removal raises it; a new column at the end does not).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pyarrow as pa

from crawler.dumps.fields import ARROW_SCHEMA, SCHEMA_VERSION, SCHEMA_VERSION_KEY

FEED_SCHEMA_VERSION = "1"
FEED_SCHEMA_VERSION_KEY = "jpnews.feed_schema_version"
CHANGES = ("new", "updated", "refreshed", "story", "removed")

_UTC = pa.timestamp("us", tz="UTC")
CHANGE_SCHEMA = [
    pa.field("article_id", pa.int64(), nullable=False),
    pa.field("version", pa.int32(), nullable=False),
    pa.field("change", pa.string(), nullable=False),
    pa.field("changed_at", _UTC, nullable=False),
    pa.field("change_xid", pa.int64(), nullable=False),
    pa.field("change_id", pa.int64(), nullable=False),
]
_ARTICLE = [field.with_nullable(True) for field in ARROW_SCHEMA
            if field.name not in ("id", "version")]
FEED_ARROW_SCHEMA = pa.schema(
    [*CHANGE_SCHEMA, *_ARTICLE, pa.field("current_version", pa.int32())],
    metadata={FEED_SCHEMA_VERSION_KEY: FEED_SCHEMA_VERSION,
              SCHEMA_VERSION_KEY: SCHEMA_VERSION})
FEED_FIELDS = tuple(FEED_ARROW_SCHEMA.names)

# From the view, provenance as JSON text (as the dump reads it), everything else as it is.
FEED_SELECT_LIST = ", ".join("provenance::text AS provenance" if name == "provenance"
                             else name for name in FEED_FIELDS)
"""The view's columns of a feed row, in order, for `SELECT ... FROM feed_changes_visible`."""

_TIMES = tuple(i for i, f in enumerate(FEED_ARROW_SCHEMA) if f.type == _UTC)
_PROVENANCE = FEED_FIELDS.index("provenance")


def feed_json_record(row: tuple[Any, ...]) -> dict[str, Any]:
    """A feed row as one JSON object: times in ISO 8601 (UTC), provenance as an object, the
    missing fields of a removed article as null."""
    record = dict(zip(FEED_FIELDS, row, strict=True))
    for i in _TIMES:
        value = row[i]
        if isinstance(value, datetime):
            record[FEED_FIELDS[i]] = value.isoformat()
    provenance = row[_PROVENANCE]
    if provenance is not None:
        record["provenance"] = json.loads(provenance)
    return record
