"""Errors of the `jpnews` command as a user meets them: one line on stderr, no traceback, a
non-zero exit, through the real command in a child process. And the embedded database as
other clients (psql) reach it."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from conftest import run_jpnews

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/x"
# Every command that opens the database, in its cheapest form.
DATABASE_COMMANDS = [["db", "status"], ["db", "url"], ["search", "rain"], ["clusters"],
                     ["export", "--format", "jsonl"], ["forget", "--list"], ["feed", "--list"],
                     ["reparse"]]


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode not in (0, None), (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("jpnews: error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_malformed_database_url_is_one_line(command: list[str]) -> None:
    line = one_error_line(run_jpnews(*command, env={"DATABASE_URL": "garbage"}))
    assert "not a database URL" in line and '"garbage"' in line


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_an_unreachable_server_keeps_its_cause(command: list[str]) -> None:
    line = one_error_line(run_jpnews(*command, "--database-url", UNREACHABLE))
    # libpq's cause and its hint, which come on two lines, both make the one line.
    assert "Connection refused" in line and "Is the server running" in line, line


@pytest.mark.parametrize(("args", "message"), [
    (["search", "rain", "--since", "10000y"], "reaches back before 1900"),
    (["search", "rain", "--since", "0001-01-01"], "is before 1900"),
    (["search", "rain", "--to", "9999-12-31"], "past the year 9999"),
    (["search", "rain", "--limit", "-1"], "limit must be between 1 and 100"),
    (["search", "rain", "--source", "nosuchoutlet"], "unknown outlet: 'nosuchoutlet'"),
    (["search", "rain", "--group", "nosuchgroup"], "unknown source group: 'nosuchgroup'"),
    (["clusters", "--since", "10000y"], "reaches back before 1900"),
    (["clusters", "--since", "yesterday"], "not a time window"),
    (["clusters", "--limit", "-1"], "--limit must be 1 or more"),
    (["clusters", "--source", "nosuchoutlet"], "unknown outlet: 'nosuchoutlet'"),
    (["export", "--format", "jsonl", "--since", "10000y"], "reaches back before 1900"),
    (["export", "--format", "jsonl", "--until", "9999-12-31"], "past the year 9999"),
    (["export", "--format", "jsonl", "--source", "nosuchoutlet"], "nosuchoutlet"),
    (["export", "--format", "jsonl", "--group", "nosuchgroup"], "nosuchgroup"),
    (["reparse", "--since", "0001-01-01"], "is before 1900"),
    (["reparse", "--source", "nosuchoutlet"], "unknown outlet: 'nosuchoutlet'"),
    (["backfill", "a.warc.gz", "--outlets", "kyodo,nosuchoutlet"],
     "unknown outlet or group: 'nosuchoutlet'"),
    (["backfill", "a.warc.gz", "--processes", "0"], "--processes must be 1 or more"),
])
def test_bad_values_are_one_line(database_url: str, args: list[str], message: str) -> None:
    assert message in one_error_line(run_jpnews(*args, "--database-url", database_url))


def test_extract_reads_its_time_in_the_window_grammar(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>x</p></body></html>")
    line = one_error_line(run_jpnews("extract", "--url", "https://example.org/a", str(page),
                                     "--crawled-at", "1899-12-31"))
    assert "is before 1900" in line


def test_version() -> None:
    done = run_jpnews("--version")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"jpnews \d+\.\d+\.\d+\S*", done.stdout.strip()), done.stdout


def test_extract_help_says_url_is_required() -> None:
    done = run_jpnews("extract", "--help")
    assert done.returncode == 0
    assert "--url URL FILE" in done.stdout and "required with FILE" in done.stdout


@pytest.mark.skipif(importlib.util.find_spec("pgserver") is None, reason="pgserver not installed")
def test_embedded_database_url_works_from_outside_and_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A data folder of this test's own, and no DATABASE_URL: the embedded server is the one used.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    env = {"JPNEWS_DATA_DIR": str(tmp_path / "data")}

    def jpnews(*args: str) -> subprocess.CompletedProcess[str]:
        return run_jpnews(*args, env=env)

    none = jpnews("db", "stop")
    assert none.returncode == 0 and "no embedded server runs" in none.stdout, none
    try:
        done = jpnews("db", "url")
        assert done.returncode == 0, done.stderr
        url = done.stdout.strip()
        assert "?host=" in url and str(tmp_path) in url, url
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("jpnews",)
        if shutil.which("psql"):
            psql = subprocess.run(["psql", url, "-Atc", "select count(*) from articles"],
                                  capture_output=True, text=True, timeout=60)
            assert (psql.returncode, psql.stdout.strip()) == (0, "0"), psql.stderr
    finally:
        stopped = jpnews("db", "stop")
    assert stopped.returncode == 0 and "stopped the embedded server" in stopped.stdout, stopped
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5)
    again = jpnews("db", "stop")
    assert again.returncode == 0 and "no embedded server runs" in again.stdout, again
    elsewhere = run_jpnews("db", "stop", env={**env, "DATABASE_URL": UNREACHABLE})
    assert "not the embedded server" in one_error_line(elsewhere)



@pytest.mark.skipif(importlib.util.find_spec("pgserver") is None, reason="pgserver not installed")
def test_an_embedded_server_that_cannot_start_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A data folder that claims to be initialised but has no configuration: pg_ctl fails, and
    # pgserver logs a dozen lines about it.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "pgdata").mkdir()
    (tmp_path / "pgdata" / "PG_VERSION").write_text("16\n")
    line = one_error_line(run_jpnews("db", "status", env={"JPNEWS_DATA_DIR": str(tmp_path)}))
    assert "could not start the embedded Postgres: pg_ctl exited with status 1" in line
    assert str(tmp_path / "pgdata" / "log") in line


def test_an_unexpected_database_error_keeps_its_traceback(admin_url: str) -> None:
    """Only known failures become one line: a database that claims every migration but has
    no tables is not one of them, and hiding it would hide a bug."""
    from conftest import fresh_database

    from crawler.storage.db import migrations

    with fresh_database(admin_url) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE schema_migrations (name text PRIMARY KEY, "
                         "applied_at timestamptz NOT NULL DEFAULT now())")
            for name, _ in migrations():
                conn.execute("INSERT INTO schema_migrations (name) VALUES (%s)", (name,))
        done = run_jpnews("clusters", "--database-url", url)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "UndefinedTable" in done.stderr, done.stderr
