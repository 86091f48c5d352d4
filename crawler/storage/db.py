"""Connections and migrations: where the database is, and that its schema is current.

`DATABASE_URL` points anywhere; without it the embedded server is used. Migrations are plain SQL
files applied in name order, once each, under an advisory lock so that several crawler processes
starting together do not race.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from urllib.parse import parse_qs, quote, urlsplit

import psycopg
from psycopg_pool import ConnectionPool

MIGRATION_LOCK = 7_301_905  # arbitrary, constant: the advisory lock key of migrations


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message is one line meant for the user."""


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
    try:
        return psycopg.connect(url, connect_timeout=timeout, autocommit=False)
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


def open_pool(url: str, *, min_size: int = 1, max_size: int = 4,
              timeout: float = 10.0) -> ConnectionPool:
    """A pool whose `connection()` gives up after `timeout` seconds rather than hang a crawl."""
    pool = ConnectionPool(url, min_size=min_size, max_size=max_size, open=False,
                          kwargs={"connect_timeout": max(1, int(timeout))}, timeout=timeout)
    pool.open(wait=True, timeout=timeout)
    return pool


@contextmanager
def session(url: str | None = None) -> Iterator[psycopg.Connection]:
    """One migrated connection for a CLI command."""
    resolved = prepare(url)
    with connect(resolved) as conn:
        yield conn
