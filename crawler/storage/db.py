"""Connections and migrations: where the database is, and that its schema is current.

`DATABASE_URL` points anywhere; without it the embedded server is used. Migrations are plain SQL
files applied in name order, once each, under an advisory lock so that several crawler processes
starting together do not race.

Every connection carries the timeouts of `DbTimeouts`, so that a database that stops answering
(a dropped route, a stuck proxy) costs a crawl a bounded wait, never a hang: TCP keepalives and
`tcp_user_timeout` notice a dead peer, the server ends statements, lock waits and transactions
left idle (releasing the story-matching lock every crawler waits on), and a pooled connection
whose reply does not come is abandoned by the client itself, since a proxy that still answers
TCP but forwards nothing is invisible to keepalives.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from importlib import resources
from urllib.parse import parse_qs, quote, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

MIGRATION_LOCK = 7_301_905  # arbitrary, constant: the advisory lock key of migrations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message is one line meant for the user."""


class NoReply(psycopg.OperationalError):
    """A pooled connection got no reply in time and was abandoned: an outage like any lost
    connection (no SQLSTATE), retried or spilled by the store."""


@dataclass(frozen=True)
class DbTimeouts:
    """Seconds; 0 turns one off. Each is a setting and an environment variable of its own
    (JPNEWS_DB_ plus the field's name in capitals, e.g. JPNEWS_DB_STATEMENT_TIMEOUT). How long
    a connection may take to open is the caller's (`connect(timeout=)`, JPNEWS_STORE_TIMEOUT)."""

    network_timeout: float = 30
    """A peer silent this long is dead: TCP keepalives probe an idle connection and unacknowledged
    data gives up (tcp_user_timeout)."""
    statement_timeout: float = 60
    lock_timeout: float = 30
    """The longest wait for a lock, the story-matching advisory lock included."""
    idle_in_transaction_timeout: float = 60
    """A transaction whose client went silent is ended by the server, its locks released."""
    reply_timeout: float = 120
    """A pooled connection waiting longer for a reply is abandoned by the client."""

    @classmethod
    def from_settings(cls, get: Callable[[str], object] | None = None) -> DbTimeouts:
        """From Scrapy settings (`settings.get`) when given, else from the environment."""
        values: dict[str, float] = {}
        for field in fields(cls):
            name = f"JPNEWS_DB_{field.name.upper()}"
            value = get(name) if get is not None else None
            value = os.environ.get(name) if value is None else value
            if value is not None:
                try:
                    values[field.name] = float(value)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    raise DatabaseUnavailable(f"{name} must be a number of seconds, not "
                                              f"{value!r}") from None
        return cls(**values)

    def connect_kwargs(self, *, server_side: bool = True, url: str | None = None
                       ) -> dict[str, object]:
        """libpq parameters; the server-side ones go in `options`, set for the session, after
        the `options` of `url` if it has any (a keyword argument replaces the URL's value, and
        a search_path set there must not be lost). Without them (`server_side=False`) only a
        dead peer is noticed: for a command's own session, whose query or streamed cursor may
        rightly take longer than a crawl's write."""
        def ms(seconds: float) -> int:
            return int(seconds * 1000)

        network = self.network_timeout
        kwargs: dict[str, object] = {}
        if server_side:
            given = conninfo_to_dict(url).get("options") if url else None
            kwargs["options"] = " ".join([
                *([str(given)] if given else []),
                f"-c statement_timeout={ms(self.statement_timeout)}",
                f"-c lock_timeout={ms(self.lock_timeout)}",
                f"-c idle_in_transaction_session_timeout={ms(self.idle_in_transaction_timeout)}"])
        if network > 0:
            # an idle connection is probed after a third of the time, three probes at most
            kwargs.update(keepalives=1, keepalives_idle=max(1, int(network / 3)),
                          keepalives_interval=max(1, int(network / 9)), keepalives_count=3,
                          tcp_user_timeout=ms(network))
        return kwargs


@contextmanager
def abandon_after(conn: psycopg.Connection, seconds: float) -> Iterator[None]:
    """Shut the connection's socket down when the block has not ended after `seconds`: the
    wait for a reply then ends at once, in error, as it would on a dropped connection."""
    if seconds <= 0:
        yield
        return
    guard = threading.Lock()
    state = {"done": False, "fired": False}

    def abandon() -> None:
        with guard:
            if state["done"]:
                return
            state["fired"] = True
            # shutdown acts on the socket, not on the descriptor: a duplicate does it
            with suppress(OSError, psycopg.Error), \
                    socket.socket(fileno=os.dup(conn.pgconn.socket)) as sock:
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, abandon)
    timer.daemon = True
    timer.start()
    try:
        yield
    except psycopg.Error as exc:
        if state["fired"]:
            raise NoReply(f"no reply from Postgres in {seconds:g} s: connection abandoned"
                          ) from exc
        raise
    finally:
        with guard:
            state["done"] = True
        timer.cancel()


class WatchedPool(ConnectionPool):
    """A pool whose connections are abandoned when a reply takes over `reply_timeout`."""

    reply_timeout: float = 0

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[psycopg.Connection]:
        # as ConnectionPool.connection, with the commit (or rollback) at the end of the block
        # watched too: a write whose COMMIT goes unanswered is abandoned like any other
        conn = self.getconn(timeout)
        try:
            with abandon_after(conn, self.reply_timeout), conn:
                yield conn
        finally:
            self.putconn(conn)


def database_url(explicit: str | None = None) -> str:
    """The configured database: explicit, else DATABASE_URL, else the embedded server."""
    url = explicit or os.environ.get("DATABASE_URL")
    if url:
        return url
    from crawler.storage.embedded import embedded_url

    try:
        return embedded_url()
    except Exception as exc:  # noqa: BLE001 - any failure to start it is one message to the user
        raise DatabaseUnavailable(f"could not start the embedded Postgres: {exc}") from exc


def describe(url: str) -> str:
    """The URL without its password, for messages; a socket folder stays in the query string,
    so that the URL still works with psql."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    if parts.hostname is None:
        socket = parse_qs(parts.query).get("host")
        query = f"?host={quote(socket[0], safe='/')}" if socket else ""
        return f"{parts.scheme}://{user}{parts.path}{query}"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{parts.hostname}{port}{parts.path}"


def connect(url: str, *, timeout: int = 5) -> psycopg.Connection:
    """A command's own session: keepalives notice a dead server, no statement time limit."""
    kwargs = DbTimeouts.from_settings().connect_kwargs(server_side=False)
    kwargs["connect_timeout"] = timeout
    try:
        return psycopg.connect(url, autocommit=False, **kwargs)
    except psycopg.ProgrammingError as exc:  # libpq could not parse the URL
        raise DatabaseUnavailable(f"not a database URL (postgresql://USER@HOST:PORT/NAME): "
                                  f"{_one_line(exc)}") from exc
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(f"cannot reach Postgres at {describe(url)}: "
                                  f"{_one_line(exc)}") from exc


def _one_line(exc: Exception) -> str:
    """libpq's message on one line: its cause ("Connection refused") is on the first line and
    its hint ("Is the server running ...?") on the next, and the user needs both."""
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()) \
        or type(exc).__name__


def migrations() -> list[tuple[str, str]]:
    """The SQL files in name order, read as package resources: in a Scrapyd egg they are members
    of a zip, whose paths (zipfile.Path) do not sort, so the order is by name."""
    folder = resources.files("crawler.storage") / "migrations"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply the migrations not yet applied; returns their names."""
    applied: list[str] = []
    with conn.transaction():
        # a migration may rewrite a big table, and the others wait for it: no time limit
        conn.execute("SET LOCAL statement_timeout = 0")
        conn.execute("SET LOCAL lock_timeout = 0")
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                            name text PRIMARY KEY,
                            applied_at timestamptz NOT NULL DEFAULT now())""")
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        for name, sql in migrations():
            if name in done:
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
            applied.append(name)
    return applied


def prepare(url: str | None = None) -> str:
    """Resolve, reach and migrate the database; returns its URL. Raises DatabaseUnavailable."""
    resolved = database_url(url)
    with connect(resolved) as conn:
        migrate(conn)
    return resolved


def open_pool(url: str, *, min_size: int = 1, max_size: int = 4, timeout: float = 10.0,
              timeouts: DbTimeouts | None = None) -> WatchedPool:
    """A pool whose `connection()` gives up after `timeout` seconds rather than hang a crawl."""
    timeouts = timeouts or DbTimeouts.from_settings()
    kwargs = timeouts.connect_kwargs(url=url)
    kwargs["connect_timeout"] = max(1, int(timeout))
    pool = WatchedPool(url, min_size=min_size, max_size=max_size, open=False,
                       kwargs=kwargs, timeout=timeout)
    pool.reply_timeout = timeouts.reply_timeout
    pool.open(wait=True, timeout=timeout)
    return pool


@contextmanager
def session(url: str | None = None) -> Iterator[psycopg.Connection]:
    """One migrated connection for a CLI command."""
    resolved = prepare(url)
    with connect(resolved) as conn:
        yield conn


@contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new empty database named `prefix` and a random suffix on the server of `admin_url`,
    dropped afterwards (tests and benchmarks: a run never shares a database it may reset)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = admin_url.partition("?")
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
