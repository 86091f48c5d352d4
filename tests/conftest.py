"""Shared fixtures: a throwaway Postgres database per session, the corpus path, the sample site.

The database is the real thing: JPNEWS_TEST_DATABASE_URL if set, else the local server on
127.0.0.1:5432, else an embedded server started for the session (a fresh machine has none).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import pytest

from crawler.storage.db import scratch_database

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("JPNEWS_CORPUS", ROOT.parent / "shared" / "corpus"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The sample site is built for a fixed instant so that expected outputs are stable.
SAMPLE_NOW = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)


def corpus_path(*parts: str) -> Path:
    """A path inside the real-page corpus; skips the test when the corpus is not there."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-page corpus not found at {path} (set JPNEWS_CORPUS to its folder)")
    return path


@pytest.fixture(scope="session", autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Spill files and the demo's marker go to a folder of the session, not the user's; an
    embedded server a command started there is stopped with the session."""
    folder = tmp_path_factory.mktemp("jpnews-data")
    os.environ["JPNEWS_DATA_DIR"] = str(folder)
    yield folder
    from crawler.storage.embedded import stop

    os.environ["JPNEWS_DATA_DIR"] = str(folder)
    stop()


def _reachable(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("JPNEWS_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    if _reachable(local):
        yield local
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    yield server.get_uri("postgres")
    server.cleanup()


def fresh_database(admin_url: str) -> contextlib.AbstractContextManager[str]:
    """A new empty database on the test server, dropped afterwards."""
    return scratch_database(admin_url, "jpnews_test")


def schema_before(conn: psycopg.Connection, migration: str) -> None:
    """The schema as it was before `migration` (a name prefix such as "004"): the earlier
    migrations applied and recorded as `migrate` records them, so that a test can store rows
    of that time and then see what the migration does to them."""
    from crawler.storage.db import migrations

    conn.execute("CREATE TABLE schema_migrations (name text PRIMARY KEY, "
                 "applied_at timestamptz NOT NULL DEFAULT now())")
    for name, sql in migrations():
        if name < migration:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))


@pytest.fixture(scope="session")
def database_url(admin_url: str) -> Iterator[str]:
    """A database of its own for this test session, dropped at the end."""
    with fresh_database(admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def search_db(admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the invented articles of tests/search_articles.py, loaded through
    `jpnews import` (normalise, dedup, store) as a user would load them. Read-only for tests."""
    from search_articles import write

    with fresh_database(admin_url) as url:
        dump = write(tmp_path_factory.mktemp("search") / "articles.jsonl",
                     datetime.now(timezone.utc))
        done = run_jpnews("import", str(dump), "--database-url", url)
        assert done.returncode == 0, done.stderr
        assert "0 rejected" in done.stdout, done.stdout
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[str]:
    """The session database, migrated and emptied before the test."""
    from crawler.storage.db import prepare

    prepare(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("TRUNCATE articles, article_versions, crawl_runs, article_changes, "
                     "feed_consumers, forgotten, page_checks RESTART IDENTITY CASCADE")
    yield database_url


def run_jpnews(*args: str, env: dict[str, str] | None = None,
               timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """The installed command line, in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def run_scrapy(*args: str, env: dict[str, str] | None = None,
               timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy.cmdline", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def settle(url: str, timeout: float = 60.0) -> None:
    """Wait until every transaction open now, on the whole server, has ended: the change
    feed's horizon (crawler/storage/feed.py) is then past every change made so far. Another
    database's long transaction holds the horizon too, which is the feed's rule, not a flaw."""
    import time

    with psycopg.connect(url, autocommit=True) as conn:
        target = conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())").fetchone()[0]
        deadline = time.monotonic() + timeout
        while conn.execute("SELECT pg_snapshot_xmin(pg_current_snapshot()) < %s",
                           (target,)).fetchone()[0]:
            if time.monotonic() > deadline:
                raise TimeoutError("a transaction of the server stays open: the feed waits")
            time.sleep(0.05)


REDIS_URL = os.environ.get("JPNEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of the test's own on the real Redis server, deleted afterwards; skips
    when no server answers."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except (redis.RedisError, OSError) as exc:
        pytest.skip(f"no Redis server answers at {REDIS_URL} ({exc}); "
                    "start one (apt-get install redis-server) or set JPNEWS_TEST_REDIS_URL")
    prefix = f"jpnews-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)
    server.close()
