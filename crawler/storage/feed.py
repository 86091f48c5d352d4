"""The change feed's state in Postgres: its consumers, their positions, and which changes the
next batch may take.

Migration 009 records every change of an article in `article_changes`, each with a position:
its transaction's id, then its own id, packed into one number (xid * 10^19 + id). Positions are
handed out when a transaction writes, not when it commits, so a reader must not go by them
alone: it takes only changes below the horizon, the position of the oldest transaction still
running (`pg_snapshot_xmin(pg_current_snapshot())`). Below it every transaction has ended and
no change can still appear; a consumer that moves its position up to any change below it
never skips one, however its writers' commits interleave.

A consumer's run is planned here in two steps that keep it at least once, and the same batch
the same on a retry: `plan_batch` fixes the batch's last position as the consumer's `pending`
(committed before a row is written), `advance` moves the position there once the batch's
files are complete. A run that died in between finds `pending` set and writes that very
range again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

POSITION_SCALE = 10**19
"""A position is xid * POSITION_SCALE + change id (migration 009)."""
FEED_LOCK = 7_301_907
"""Advisory lock class of feed runs; the consumer's name hashed is the lock's other half."""
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
"""Consumer names (the table's CHECK says the same)."""

HORIZON_SQL = "pg_snapshot_xmin(pg_current_snapshot())::text::numeric * 10000000000000000000"
"""The horizon as a position: every change below it is final."""


class FeedError(ValueError):
    """A feed request that cannot be done; one line meant for the user."""


def parts(position: int) -> tuple[int, int]:
    """(transaction id, change id) of a position."""
    return divmod(position, POSITION_SCALE)


def label(position: int) -> str:
    """A position as people read it: `xid.id`, 0 for "before any change"."""
    xid, change_id = parts(position)
    return f"{xid}.{change_id}" if position else "0"


@dataclass(frozen=True)
class Consumer:
    name: str
    position: int
    """The last change given to it; 0 before the first."""
    pending: int | None
    """The last change of the batch being written, when a run is under way or died."""
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ConsumerStatus:
    consumer: Consumer
    behind: int
    """Changes after its position, visible or not yet."""
    ready: int
    """Of those, the ones below the horizon: what a run now would write."""
    oldest: datetime | None
    """When the oldest change it has not been given was made."""
    lag: timedelta
    """How long the oldest change it has not been given has waited; zero when up to date."""


@dataclass(frozen=True)
class Blocker:
    """The open transaction that holds the horizon back."""
    xid: int
    pid: int | None
    database: str | None
    since: datetime | None


_CONSUMER = "SELECT name, position, pending, created_at, updated_at FROM feed_consumers"


def _consumer(row: tuple[Any, ...]) -> Consumer:
    name, position, pending, created_at, updated_at = row
    return Consumer(name, int(position), None if pending is None else int(pending),
                    created_at, updated_at)


def check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise FeedError(f"not a consumer name: {name!r} (letters, digits, '.', '_' and '-', "
                        "up to 63 characters)")


def get_consumer(conn: psycopg.Connection, name: str) -> Consumer | None:
    with conn.transaction():
        row = conn.execute(f"{_CONSUMER} WHERE name = %s", (name,)).fetchone()
    return _consumer(row) if row else None


def require_consumer(conn: psycopg.Connection, name: str) -> Consumer:
    """The consumer, or a FeedError that names the closest known ones: a mistyped name must
    not silently start a new consumer from the beginning."""
    check_name(name)
    found = get_consumer(conn, name)
    if found is not None:
        return found
    with conn.transaction():
        known = [row[0] for row in conn.execute("SELECT name FROM feed_consumers")]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise FeedError(f"unknown feed consumer {name!r}: {hint}see `jpnews feed --list`; "
                    "`--create` starts a new one")


def create_consumer(conn: psycopg.Connection, name: str) -> Consumer:
    """The consumer, created at position 0 (before every change) if it is new."""
    check_name(name)
    with conn.transaction():
        conn.execute("INSERT INTO feed_consumers (name) VALUES (%s) ON CONFLICT DO NOTHING",
                     (name,))
        row = conn.execute(f"{_CONSUMER} WHERE name = %s", (name,)).fetchone()
    return _consumer(row)


@contextmanager
def consumer_lock(conn: psycopg.Connection, name: str) -> Iterator[None]:
    """One run per consumer at a time: two would write the same batch and race to advance."""
    with conn.transaction():
        got = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                           (FEED_LOCK, name)).fetchone()[0]
    if not got:
        raise FeedError(f"feed consumer {name!r} is being written by another run right now")
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (FEED_LOCK, name))


def plan_batch(conn: psycopg.Connection, name: str, after: int, limit: int) -> int | None:
    """The last position of the next batch (at most `limit` changes after `after`, all below
    the horizon), recorded as the consumer's pending batch; None when there is nothing."""
    with conn.transaction():
        last = conn.execute(
            f"""SELECT max(position) FROM (
                    SELECT position FROM article_changes
                    WHERE position > %s AND position < {HORIZON_SQL}
                    ORDER BY position LIMIT %s) batch""", (after, limit)).fetchone()[0]
        if last is None:
            return None
        conn.execute("UPDATE feed_consumers SET pending = %s WHERE name = %s", (last, name))
    return int(last)


def advance(conn: psycopg.Connection, name: str, through: int) -> None:
    """The consumer has its batch: its position moves to the batch's last change."""
    with conn.transaction():
        conn.execute("""UPDATE feed_consumers SET position = %s, pending = NULL,
                            updated_at = now() WHERE name = %s""", (through, name))


def restart(conn: psycopg.Connection, name: str) -> None:
    """Back before the first change: the next batches give every change again."""
    with conn.transaction():
        conn.execute("""UPDATE feed_consumers SET position = 0, pending = NULL,
                            updated_at = now() WHERE name = %s""", (name,))


def skip_to_head(conn: psycopg.Connection, name: str) -> tuple[int, int]:
    """Move the consumer past every change visible now, without writing them (for instance
    after a full export was loaded: reset first, then export, and nothing falls between).
    Returns (the new position, how many changes were skipped)."""
    with conn.transaction():
        position = conn.execute("SELECT position FROM feed_consumers WHERE name = %s FOR UPDATE",
                                (name,)).fetchone()[0]
        head, skipped = conn.execute(
            f"""SELECT max(position), count(*) FROM article_changes
                WHERE position > %s AND position < {HORIZON_SQL}""", (position,)).fetchone()
        new = head if head is not None else position
        conn.execute("""UPDATE feed_consumers SET position = %s, pending = NULL,
                            updated_at = now() WHERE name = %s""", (new, name))
    return int(new), int(skipped)


def statuses(conn: psycopg.Connection) -> list[ConsumerStatus]:
    """Every consumer with how far behind it is, in changes and in time."""
    with conn.transaction():
        rows = conn.execute(
            f"""SELECT f.name, f.position, f.pending, f.created_at, f.updated_at,
                       l.behind, l.ready, l.oldest, now() - coalesce(l.oldest, now())
                FROM feed_consumers f CROSS JOIN (SELECT {HORIZON_SQL} AS horizon) h
                CROSS JOIN LATERAL (
                    SELECT count(*) AS behind,
                           count(*) FILTER (WHERE c.position < h.horizon) AS ready,
                           min(c.changed_at) AS oldest
                    FROM article_changes c WHERE c.position > f.position) l
                ORDER BY f.name""").fetchall()
    return [ConsumerStatus(_consumer(row[:5]), int(row[5]), int(row[6]), row[7],
                           max(row[8], timedelta(0))) for row in rows]


def waiting(conn: psycopg.Connection, after: int) -> int:
    """Changes after `after` that an open older transaction still holds back."""
    with conn.transaction():
        return int(conn.execute(
            f"SELECT count(*) FROM article_changes WHERE position > %s "
            f"AND position >= {HORIZON_SQL}", (after,)).fetchone()[0])


def blocker(conn: psycopg.Connection) -> Blocker | None:
    """The transaction at the horizon, when one is open: the feed waits for it to end. It may
    be in any database of the server (transaction ids are the server's), or prepared."""
    with conn.transaction():
        row = conn.execute(
            """WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
               SELECT h.x::text::bigint, a.pid, coalesce(a.datname, p.database),
                      coalesce(a.xact_start, p.prepared)
               FROM h LEFT JOIN pg_stat_activity a ON a.backend_xid = xid(h.x)
                      LEFT JOIN pg_prepared_xacts p ON p.transaction = xid(h.x)
               WHERE a.pid IS NOT NULL OR p.transaction IS NOT NULL
               LIMIT 1""").fetchone()
    return Blocker(*row) if row else None
