"""Which articles a dump holds, and reading them from Postgres in bounded batches.

The filters are those of `jpnews search` where they mean the same thing (outlets, group,
language, the query language through `crawler.storage.search.query_condition`), except that
the dates are publication dates: a dump of November is the articles published in November,
and an article without a publication date is left out of any dated dump.

Rows come through a server-side cursor, a batch at a time, inside one transaction: memory
stays flat whatever the number of articles, and the dump is one consistent snapshot even
while crawlers write.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from psycopg.types.string import ByteaBinaryLoader

from crawler.dumps.fields import SELECT_LIST
from crawler.query import QueryError, parse
from crawler.storage.search import query_condition, unknown_values

BATCH_ROWS = 1000
"""Rows per round trip of the cursor: large enough that the round trips cost nothing, small
enough that a batch of long articles (up to 300,000 characters each) stays a few MB."""
ORDER_BY_ID = "a.id"
ORDER_BY_PUBLISHED = "a.published_at NULLS FIRST, a.id"
"""For dumps partitioned by date: each partition's rows arrive together."""

_LANGUAGE = re.compile(r"[a-z]{2}")


class SelectionError(ValueError):
    """A filter that cannot select anything meaningful; one line meant for the user."""


@dataclass(frozen=True)
class Selection:
    sources: tuple[str, ...] = ()
    group: str | None = None
    language: str | None = None
    since: datetime | None = None
    """Published at or after."""
    until: datetime | None = None
    """Published before."""
    query: str | None = None
    """In the search query language (crawler/query.py)."""


@dataclass(frozen=True)
class Statement:
    sql: str
    params: dict[str, Any]
    notes: tuple[str, ...]
    """What the query parser did that the user should know."""
    searches: bool = False
    """Whether a search query selects the rows."""


def statement(conn: psycopg.Connection, selection: Selection,
              order: str = ORDER_BY_ID) -> Statement:
    """The SELECT of a dump; raises SelectionError for an unknown outlet, group or language,
    or a query that cannot be searched."""
    if selection.since and selection.until and selection.since >= selection.until:
        raise SelectionError("--since is not before --until")
    if missing := unknown_values(conn, "source", list(selection.sources)):
        raise SelectionError(f"unknown outlet: {missing[0]!r} (see `jpnews sources`)")
    if selection.group and unknown_values(conn, "source_group", [selection.group]):
        raise SelectionError(f"unknown source group: {selection.group!r} "
                             "(see `jpnews sources`)")
    if selection.language and not _LANGUAGE.fullmatch(selection.language):
        raise SelectionError(f"not a two-letter language code: {selection.language!r}")
    where: list[str] = []
    params: dict[str, Any] = {}
    for name, condition, value in (
            ("sources", "a.source = ANY(%(sources)s)", list(selection.sources)),
            ("group", "a.source_group = %(group)s", selection.group),
            ("language", "a.language = %(language)s", selection.language),
            ("since", "a.published_at >= %(since)s", selection.since),
            ("until", "a.published_at < %(until)s", selection.until)):
        if value:
            where.append(condition)
            params[name] = value
    join, notes = "", ()
    if selection.query is not None:
        try:
            condition = query_condition(conn, parse(selection.query))
        except QueryError as exc:
            raise SelectionError(str(exc)) from None
        join = "JOIN article_search s ON s.article_id = a.id"
        where.append(condition.sql)
        params.update(condition.params)  # p0, p1, ...: no clash with the names above
        notes = condition.notes
    sql = (f"SELECT {SELECT_LIST} FROM articles a {join} "
           f"WHERE {' AND '.join(where) or 'true'} ORDER BY {order}")
    return Statement(sql, params, notes, searches=selection.query is not None)


def batches(conn: psycopg.Connection, stmt: Statement, batch_rows: int = BATCH_ROWS, *,
            text_as_bytes: bool = False) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `stmt`, `batch_rows` at a time, from one snapshot. Times come in UTC;
    text (and lists of text) as UTF-8 bytes with `text_as_bytes`, which Arrow takes without
    decoding and encoding every value again."""
    with conn.transaction():
        conn.execute("SET LOCAL TimeZone = 'UTC'")
        if stmt.searches:
            # A cursor is planned for its first rows by default (cursor_tuple_fraction 0.1):
            # a walk of the primary key testing every article against a rare query word,
            # say. A dump reads every match, so plan for all of them. Without a query that
            # walk is the right plan (the table is mostly in id order), and planning for all
            # rows would sort the whole table on disk instead.
            conn.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        with conn.cursor(name="jpnews_dump", binary=True) as cur:
            if text_as_bytes:
                cur.adapters.register_loader("text", ByteaBinaryLoader)
            cur.itersize = batch_rows
            cur.execute(stmt.sql, stmt.params)
            while rows := cur.fetchmany(batch_rows):
                yield rows


_Item = TypeVar("_Item")


def prefetched(source: Iterator[_Item], depth: int = 2) -> Iterator[_Item]:
    """The items of `source`, produced by a thread of their own up to `depth` ahead.

    Reading a batch is mostly waiting for Postgres and decoding its answer; writing one is
    Arrow, compression and the file. On two cores they overlap: the export's measured time
    drops by a fifth. The source runs (and is closed) in the thread; its exceptions come out
    here; leaving early, by an exception or a break, stops the thread after its current item.
    """
    slots: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(kind: str, value: Any) -> None:
        while not stop.is_set():
            try:
                slots.put((kind, value), timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in source:
                put("item", item)
                if stop.is_set():
                    break
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            put("error", exc)
        else:
            put("end", None)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # a generator's cleanup (its transaction) runs in this thread

    worker = threading.Thread(target=produce, name="jpnews-dump-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = slots.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()
        worker.join()
