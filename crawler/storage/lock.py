"""One crawl of an outlet at a time, whichever host or process starts it.

The lock is a session-level Postgres advisory lock taken on a connection of its own and held for
the crawl's lifetime. A lease row with an expiry was the alternative; it was not chosen because
it has to guess a lease long enough for the slowest crawl yet short enough not to block the next
run for long after a crash, and needs renewing. A session lock has neither problem: when the
crawling process dies in any way, SIGKILL included, its connection drops and the server releases
the lock at once; and being in Postgres it holds across hosts, on a server as on the embedded
database.

Crawler processes sharing one Redis frontier (crawler/frontier.py) crawl an outlet together:
each takes the lock shared, which a one-process crawl's exclusive lock excludes both ways. Each
of them records its own run, and a run is abandoned only when no holder of the lock claims it.

Who holds it is read from `pg_locks` (the holder's server process) joined to the `crawl_runs`
row the holder marked with that process id (`lock_pid`), so a skipped run can name the run it
yields to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import psycopg

from crawler.storage.db import DbTimeouts

LOCK_CLASS = 0x6A706E  # "jpn": the first key of every outlet's crawl lock, apart from others
"""Two positive int4 keys, so that `pg_locks.classid`/`objid` show them as they were given."""


def _outlet_key(outlet: str) -> int:
    return int.from_bytes(hashlib.sha256(outlet.encode()).digest()[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True)
class Holder:
    outlet: str
    run_id: int | None
    started_at: datetime | None

    def describe(self) -> str:
        """"japantoday: already being crawled by run 41 since 10:02" (local time)."""
        if self.run_id is None or self.started_at is None:
            return f"{self.outlet}: already being crawled by a run that is starting"
        since = self.started_at.astimezone().strftime("%H:%M")
        return f"{self.outlet}: already being crawled by run {self.run_id} since {since}"


class OutletLock:
    """The crawl lock of one outlet, held while the object's connection is open."""

    def __init__(self, database_url: str, outlet: str,
                 timeouts: DbTimeouts | None = None, *, shared: bool = False) -> None:
        self.outlet = outlet
        self.shared = shared
        self.key = (LOCK_CLASS, _outlet_key(outlet))
        kwargs = (timeouts or DbTimeouts.from_settings()).connect_kwargs(url=database_url)
        self.conn: psycopg.Connection | None = psycopg.connect(database_url, autocommit=True,
                                                               **kwargs)

    def acquire(self) -> Holder | None:
        """Take the lock; returns None when taken, else who holds it (the lock is not waited
        for: a scheduled run that finds its outlet busy has nothing to do)."""
        assert self.conn is not None
        take = "pg_try_advisory_lock_shared" if self.shared else "pg_try_advisory_lock"
        if self.conn.execute(f"SELECT {take}(%s, %s)", self.key).fetchone()[0]:
            return None
        row = self.conn.execute(
            """SELECT r.id, r.started_at FROM pg_locks l
               LEFT JOIN crawl_runs r ON r.lock_pid = l.pid AND r.spider = %s
                                     AND r.finished_at IS NULL
               WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                 AND l.classid = %s AND l.objid = %s
                 AND l.database = (SELECT oid FROM pg_database
                                   WHERE datname = current_database())
               ORDER BY r.id DESC NULLS LAST LIMIT 1""",
            (self.outlet, *self.key)).fetchone()
        self.release()
        if row is None:  # the holder let go between the two queries: a rare race, still busy
            return Holder(self.outlet, None, None)
        return Holder(self.outlet, row[0], row[1])

    @property
    def pid(self) -> int:
        """The server process of the lock's connection: the `lock_pid` of the holder's run."""
        assert self.conn is not None
        return self.conn.info.backend_pid

    def holders(self) -> list[int]:
        """The server processes holding the lock now (several when it is held shared)."""
        assert self.conn is not None
        rows = self.conn.execute(
            """SELECT l.pid FROM pg_locks l
               WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                 AND l.classid = %s AND l.objid = %s
                 AND l.database = (SELECT oid FROM pg_database
                                   WHERE datname = current_database())""",
            self.key).fetchall()
        return [row[0] for row in rows]

    def claim(self, run_id: int) -> None:
        """Mark the run's row as the holder's, for `acquire` of a second run to name it."""
        assert self.conn is not None
        self.conn.execute("UPDATE crawl_runs SET lock_pid = pg_backend_pid() WHERE id = %s",
                          (run_id,))

    def release(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
