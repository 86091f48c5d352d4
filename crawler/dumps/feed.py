"""`jpnews feed`: every change of the stored articles since a consumer's last batch, written
into a folder as batch files a warehouse loads, each with a manifest.

A run writes batches until the consumer is up to date. One batch is the changes after the
consumer's position up to a last position fixed before writing (crawler/storage/feed.py),
at most `batch_changes` of them, all of transactions that have ended. Its files:

    changes-<after>-<through>.parquet        (or .jsonl) the rows, in change order
    changes-<after>-<through>.manifest.json  what the batch holds: written last

`<after>` and `<through>` are positions as `xid.id`, both padded to twelve digits so that the
names sort in change order; a batch's `<after>` is the previous batch's `<through>`, so a
loader can check that it has every batch. Each file is written under a temporary name,
flushed to disk and renamed, the manifest after the data, then the folder itself is synced;
only then does the consumer's position move. A loader takes a batch when its manifest is
there. A run that dies before the position moved leaves the position where it was, and the
next run writes the same batch again under the same names (at least once: a loader keys rows
by `article_id`, `version` and `change`, and a repeated batch changes nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import psycopg

from crawler.dumps.feed_fields import (
    CHANGES,
    FEED_ARROW_SCHEMA,
    FEED_FIELDS,
    FEED_SCHEMA_VERSION,
    FEED_SELECT_LIST,
    feed_json_record,
)
from crawler.dumps.fields import SCHEMA_VERSION
from crawler.dumps.output import OutputError, atomic_file, text_stream
from crawler.dumps.selection import Statement, batches, prefetched
from crawler.dumps.writers import JsonLinesWriter, ParquetWriter, Writer
from crawler.storage import feed as state
from crawler.storage.feed import FeedError

FeedFormat = Literal["parquet", "jsonl"]
FEED_FORMATS: tuple[FeedFormat, ...] = ("parquet", "jsonl")
BATCH_CHANGES = 100_000
"""Changes per batch file: a few tens of MB of Parquet, and a retry that repeats at most this."""
_KIND = FEED_FIELDS.index("change")
_WIDTH = 12


@dataclass(frozen=True)
class FeedRequest:
    consumer: str
    output: Path
    format: FeedFormat = "parquet"
    create: bool = False
    """Start a consumer of this name (at the first change) if there is none."""
    from_start: bool = False
    """Give every change again, from the first."""
    batch_changes: int = BATCH_CHANGES


@dataclass(frozen=True)
class Batch:
    data: Path
    manifest: Path
    after: int
    through: int
    rows: int
    changes: dict[str, int]


@dataclass
class FeedResult:
    consumer: str
    created: bool
    position: int
    batches: list[Batch] = field(default_factory=list)
    waiting: int = 0
    """Changes after the position that older transactions still open hold back."""


def batch_stem(after: int, through: int) -> str:
    """The batch's file name without its extension: the position range it moves over."""
    def padded(position: int) -> str:
        xid, change_id = state.parts(position)
        return f"{xid:0{_WIDTH}d}.{change_id:0{_WIDTH}d}"
    return f"changes-{padded(after)}-{padded(through)}"


def run(conn: psycopg.Connection, request: FeedRequest) -> FeedResult:
    """Write the consumer's batches until it is up to date; raises FeedError or OutputError
    with a message for the user."""
    if request.batch_changes < 1:
        raise FeedError("--batch-size must be at least 1")
    state.check_name(request.consumer)
    with state.consumer_lock(conn, request.consumer):
        known = state.get_consumer(conn, request.consumer)
        if known is None and not request.create:
            state.require_consumer(conn, request.consumer)  # raises, naming close matches
        _folder(request.output)
        consumer = known or state.create_consumer(conn, request.consumer)
        if request.from_start:
            state.restart(conn, consumer.name)
        position = 0 if request.from_start else consumer.position
        pending = None if request.from_start else consumer.pending
        result = FeedResult(consumer.name, created=known is None, position=position)
        while True:
            through = pending if pending is not None else state.plan_batch(
                conn, consumer.name, position, request.batch_changes)
            pending = None
            if through is None:
                break
            result.batches.append(write_batch(conn, request, position, through))
            state.advance(conn, consumer.name, through)
            position = result.position = through
    result.waiting = state.waiting(conn, position)
    return result


def _folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise OutputError(f"cannot write to {path}: it is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {path}: {exc.strerror or exc}") from None


def write_batch(conn: psycopg.Connection, request: FeedRequest, after: int,
                through: int) -> Batch:
    """The changes in (after, through] as one data file and its manifest, both complete on
    disk when this returns."""
    stem = batch_stem(after, through)
    data = request.output / f"{stem}.{request.format}"
    manifest = request.output / f"{stem}.manifest.json"
    stmt = Statement(f"SELECT {FEED_SELECT_LIST} FROM feed_changes_visible "
                     "WHERE position > %(after)s AND position <= %(through)s "
                     "ORDER BY position", {"after": after, "through": through}, ())
    kinds: Counter[str] = Counter()
    raw = request.format == "parquet"
    try:
        with atomic_file(data) as handle:
            writer: Writer
            if raw:
                writer = ParquetWriter(handle, schema=FEED_ARROW_SCHEMA)
                with writer:
                    for rows in prefetched(batches(conn, stmt, text_as_bytes=True)):
                        kinds.update(_kind(row) for row in rows)
                        writer.write(rows)
            else:
                with text_stream(handle, None) as text, JsonLinesWriter(
                        text, feed_json_record) as writer:
                    for rows in prefetched(batches(conn, stmt)):
                        kinds.update(_kind(row) for row in rows)
                        writer.write(rows)
        count = sum(kinds.values())
        _write_manifest(manifest, request, data, after, through, count, kinds)
        _sync(request.output)
    except OSError as exc:
        raise OutputError(f"cannot write {request.output}: {exc.strerror or exc}") from None
    return Batch(data, manifest, after, through, count, {k: kinds[k] for k in CHANGES})


def _kind(row: tuple[Any, ...]) -> str:
    value = row[_KIND]
    return value.decode() if isinstance(value, bytes) else value


def _position(position: int) -> dict[str, int]:
    xid, change_id = state.parts(position)
    return {"xid": xid, "change_id": change_id}


def _write_manifest(path: Path, request: FeedRequest, data: Path, after: int, through: int,
                    rows: int, kinds: Counter[str]) -> None:
    digest = hashlib.sha256()
    with data.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    manifest = {
        "consumer": request.consumer,
        "format": request.format,
        "schema_version": FEED_SCHEMA_VERSION,
        "dump_schema_version": SCHEMA_VERSION,
        "files": [{"name": data.name, "rows": rows, "bytes": data.stat().st_size,
                   "sha256": digest.hexdigest()}],
        "rows": rows,
        "changes": {kind: kinds[kind] for kind in CHANGES},
        "position": {"after": _position(after), "through": _position(through)},
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    with atomic_file(path) as handle:
        handle.write((json.dumps(manifest, indent=2) + "\n").encode())


def _sync(folder: Path) -> None:
    """The renames themselves on disk: a crash after the position moved must not find the
    folder without the batch."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
