"""`jpnews export` and reading dumps back: the fields and their types, the three formats
against what Postgres holds, filters shared with search, Parquet read back by DuckDB (plain
and Hive-partitioned), round trips through `jpnews import` into an empty database, outputs
that appear only when complete, and the errors a user can make."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import itertools
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from conftest import ROOT, fresh_database, run_jpnews
from search_articles import articles as search_articles

from crawler.dumps import export as export_module
from crawler.dumps.export import ExportRequest, export
from crawler.dumps.fields import (
    ARROW_SCHEMA,
    ARTICLE_FIELDS,
    FIELDS,
    SCHEMA_VERSION_KEY,
)
from crawler.dumps.selection import Selection, batches, prefetched, statement
from crawler.dumps.writers import PartitionedParquetWriter
from crawler.items import Article

NOW = datetime.now(timezone.utc).replace(microsecond=0)

FULL = {  # every optional field of the schema set
    "url": "https://japantoday.com/category/politics/diet-passes-ferry-subsidy-bill",
    "source": "japantoday", "language": "en", "title": "Diet passes ferry subsidy bill",
    "body": "The Diet on Friday passed a bill that subsidises ferry routes to remote islands, "
            "with the government covering up to half of the operators' losses.\n\n"
            "Opposition lawmakers said the support should reach bus routes as well, and the "
            "transport ministry said it would review the scheme in three years.",
    "summary": "A subsidy for island ferries becomes law.",
    "published_at": (NOW - timedelta(hours=30)).isoformat(),
    "modified_at": (NOW - timedelta(hours=28)).isoformat(),
    "crawled_at": NOW.isoformat(), "credit": "© KYODO",
    "authors": ["Aiko Tanaka", "Ken Mori"], "section": "Politics", "tags": ["Diet", "ferries"],
    "image_url": "https://japantoday.com/images/ferry.jpg", "paywalled": True,
    "editor_note": "Editor: Story has been updated to add the opposition's view.",
    "provenance": {"title": "jsonld", "body": "selectors"},
}
UNDATED = {
    "url": "https://news.example.org/local/lantern-festival-returns",
    "language": "en", "title": "Lantern festival returns to the riverside",
    "body": "After a three-year pause the riverside lantern festival returned on Saturday, "
            "drawing families who floated paper lanterns at dusk.\n\nOrganisers said about "
            "4,000 lanterns were sold and that the festival would be held again next summer.",
    "crawled_at": NOW.isoformat(),
}


# ---- the database the dumps are made of ---------------------------------------------------------

def _import(url: str, path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    done = run_jpnews("import", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr
    assert " 0 rejected" in done.stdout, done.stdout


@pytest.fixture(scope="module")
def source_db(admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Invented articles in several languages and outlets, wire copies in stories, one with
    every optional field, one without a date from an outlet we do not know, one in its second
    version. Read-only for the tests."""
    folder = tmp_path_factory.mktemp("export-source")
    with fresh_database(admin_url) as url:
        _import(url, folder / "first.jsonl", [*search_articles(NOW), FULL, UNDATED])
        changed = {**FULL, "body": FULL["body"].replace("three years", "two years")}
        _import(url, folder / "second.jsonl", [changed])
        yield url


def db_rows(url: str, where: str = "true") -> dict[int, dict[str, Any]]:
    """Articles as Postgres holds them, by id, in the dump's fields."""
    with psycopg.connect(url) as conn:
        columns = ", ".join(f"a.{name}" for name in FIELDS)  # as stored, not as dumped
        cur = conn.execute(f"SELECT {columns} FROM articles a WHERE {where} ORDER BY a.id")
        return {row[0]: dict(zip(FIELDS, row, strict=True)) for row in cur}


def cli_export(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_jpnews("export", *args, "--database-url", url)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name
                  or ".old-" in p.name)


# ---- the fields ---------------------------------------------------------------------------------

def test_the_dump_has_every_article_field_and_the_bookkeeping() -> None:
    article_fields = [f.name for f in dataclasses.fields(Article)
                      if f.name not in ("minhash", "lsh_bands")]
    assert list(FIELDS) == ["id", *article_fields, "version", "first_seen_at", "updated_at"]
    assert list(ARTICLE_FIELDS) == article_fields


def test_the_arrow_schema_is_the_documented_one() -> None:
    types = {f.name: f.type for f in ARROW_SCHEMA}
    utc = pa.timestamp("us", tz="UTC")
    for name in ("published_at", "modified_at", "crawled_at", "first_seen_at", "updated_at"):
        assert types[name] == utc, name
    assert types["authors"] == pa.list_(pa.string()) and types["tags"] == pa.list_(pa.string())
    assert types["id"] == pa.int64() and types["story_id"] == pa.int64()
    assert types["credit"] == pa.string() and types["credit_agency"] == pa.string()
    assert types["paywalled"] == pa.bool_() and types["version"] == pa.int32()
    assert ARROW_SCHEMA.metadata == {b"jpnews.schema_version": b"1"}


# ---- JSON lines and CSV -------------------------------------------------------------------------

def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def test_json_lines_hold_what_postgres_holds_and_are_quiet_off_a_terminal(
        source_db: str) -> None:
    done = cli_export(source_db, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress line when stderr is not a terminal
    records = [json.loads(line) for line in done.stdout.splitlines()]
    expected = db_rows(source_db)
    assert [r["id"] for r in records] == list(expected)
    for record in records:
        assert list(record) == list(FIELDS)
        assert record == {k: _json_value(v) for k, v in expected[record["id"]].items()}
    full = next(r for r in records if r["title"] == FULL["title"])
    assert full["version"] == 2 and full["authors"] == ["Aiko Tanaka", "Ken Mori"]
    assert full["credit_agency"] == "KYODO" and full["published_at"].endswith("+00:00")
    assert full["updated_at"] >= full["first_seen_at"]
    undated = next(r for r in records if r["title"] == UNDATED["title"])
    assert undated["published_at"] is None and undated["source"] == "news.example.org"


def test_csv_has_a_header_and_json_for_lists_and_objects(source_db: str, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    done = cli_export(source_db, "--format", "csv", "--output", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(FIELDS)
    expected = db_rows(source_db)
    assert len(rows) - 1 == len(expected)
    for row in rows[1:]:
        cells = dict(zip(FIELDS, row, strict=True))
        db = expected[int(cells["id"])]
        assert cells["body"] == db["body"]  # paragraphs (blank lines) survive the quoting
        assert json.loads(cells["authors"]) == db["authors"]
        assert json.loads(cells["tags"]) == db["tags"]
        assert json.loads(cells["provenance"]) == db["provenance"]
        assert cells["paywalled"] == ("true" if db["paywalled"] else "false")
        assert cells["summary"] == (db["summary"] or "")
        assert cells["published_at"] == (db["published_at"].isoformat()
                                          if db["published_at"] else "")
        assert cells["story_id"] == str(db["story_id"])


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_text_dumps_are_compressed_by_their_name(source_db: str, tmp_path: Path,
                                                 suffix: str) -> None:
    out = tmp_path / f"articles.jsonl{suffix}"
    done = cli_export(source_db, "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    packed = out.read_bytes()
    if suffix == ".gz":
        assert packed[:2] == b"\x1f\x8b"
        text = gzip.decompress(packed).decode()
        # the name gzip records is the dump's, not the temporary file's
        assert b"articles.jsonl\0" in packed[:64] and b"partial" not in packed[:64]
    else:
        assert packed[:4] == b"\x28\xb5\x2f\xfd"
        text = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(packed)).read().decode()
    plain = cli_export(source_db, "--format", "jsonl").stdout
    assert text == plain
    assert leftovers(tmp_path) == []


# ---- filters ------------------------------------------------------------------------------------

def _ids(url: str, *args: str) -> list[int]:
    done = cli_export(url, "--format", "jsonl", *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["id"] for line in done.stdout.splitlines()]


def test_filters_select_what_they_say(source_db: str) -> None:
    rows = db_rows(source_db)
    assert _ids(source_db, "--source", "kyodo", "--source", "yomiuri") == [
        i for i, r in rows.items() if r["source"] in ("kyodo", "yomiuri")]
    assert _ids(source_db, "--lang", "ja") == [i for i, r in rows.items() if r["language"] == "ja"]
    assert _ids(source_db, "--group", "media-jepang") == [
        i for i, r in rows.items() if r["source_group"] == "media-jepang"]
    day = (NOW - timedelta(days=1)).date()
    # --until includes its day; both bound the publication date, so the undated one is out
    since = _ids(source_db, "--since", day.isoformat())
    until = _ids(source_db, "--until", day.isoformat())
    assert since == [i for i, r in rows.items()
                     if r["published_at"] and r["published_at"].date() >= day]
    assert until == [i for i, r in rows.items()
                     if r["published_at"] and r["published_at"].date() <= day]
    assert sorted(since + until) != sorted(rows)  # the undated article is in neither
    assert _ids(source_db, "--since", day.isoformat(), "--until", day.isoformat()) == [
        i for i, r in rows.items() if r["published_at"] and r["published_at"].date() == day]


@pytest.mark.parametrize("query", ['"heavy rain"', "雨", "東京都", "rain -Kumamoto",
                                   "typhoon OR 地震", '"heavy rain" OR 東京都'])
def test_query_selects_what_search_matches(source_db: str, query: str) -> None:
    from crawler.search_request import build_request
    from crawler.storage.search import search

    with psycopg.connect(source_db) as conn:
        result = search(conn, build_request(conn, q=query, since="any", all_copies=True,
                                            limit=100))
    expected = sorted(hit.id for hit in result.hits)
    assert expected  # the query means something in these articles
    assert _ids(source_db, "--query", query) == expected


def test_query_and_filters_combine(source_db: str) -> None:
    rows = db_rows(source_db)
    found = _ids(source_db, "--query", '"heavy rain"', "--source", "kyodo")
    assert found and all(rows[i]["source"] == "kyodo" for i in found)


# ---- Parquet ------------------------------------------------------------------------------------

def _duckdb_rows(pattern: str) -> list[dict[str, Any]]:
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true) "
                          "ORDER BY id")
    names = relation.columns
    return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]


def _same_as_postgres(found: list[dict[str, Any]], expected: dict[int, dict[str, Any]]) -> None:
    assert [r["id"] for r in found] == list(expected)
    for row in found:
        db = expected[row["id"]]
        for name in FIELDS:
            value = json.loads(row[name]) if name == "provenance" else row[name]
            assert value == db[name], (row["id"], name)


def test_parquet_reads_back_in_duckdb_as_postgres_holds_it(source_db: str,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "articles.parquet"
    done = cli_export(source_db, "--format", "parquet", "-o", str(out))
    assert done.returncode == 0, done.stderr
    _same_as_postgres(_duckdb_rows(str(out)), db_rows(source_db))
    metadata = duckdb.sql(f"SELECT value FROM parquet_kv_metadata('{out}') "
                          f"WHERE key = '{SCHEMA_VERSION_KEY}'").fetchall()
    assert metadata == [(b"1",)]
    parquet = pq.ParquetFile(out)
    assert parquet.schema_arrow.equals(ARROW_SCHEMA)
    assert {parquet.metadata.row_group(0).column(i).compression
            for i in range(len(FIELDS))} == {"ZSTD"}


@pytest.mark.parametrize("by, column", [("day", "published_date"), ("month", "published_month")])
def test_partitioned_parquet_reads_back_in_duckdb(source_db: str, tmp_path: Path, by: str,
                                                  column: str) -> None:
    out = tmp_path / "articles"
    done = cli_export(source_db, "--format", "parquet", "--partition-by", by, "-o", str(out))
    assert done.returncode == 0, done.stderr
    expected = db_rows(source_db)
    found = _duckdb_rows(f"{out}/**/*.parquet")
    _same_as_postgres(found, expected)
    for row in found:
        published = expected[row["id"]]["published_at"]
        if published is None:
            assert row[column] is None  # __HIVE_DEFAULT_PARTITION__ reads as null
        elif by == "day":
            assert row[column] == published.astimezone(timezone.utc).date()
        else:
            assert row[column] == published.astimezone(timezone.utc).strftime("%Y-%m")
    files = sorted(out.rglob("*.parquet"))
    assert all(f.name == "part-0.parquet" for f in files)
    assert (out / f"{column}=__HIVE_DEFAULT_PARTITION__" / "part-0.parquet") in files
    for file in files:
        assert pq.ParquetFile(file).schema_arrow.metadata[b"jpnews.schema_version"] == b"1"
    assert leftovers(tmp_path) == []


def test_parquet_is_written_a_row_group_at_a_time(source_db: str, tmp_path: Path) -> None:
    out = tmp_path / "groups.parquet"
    with psycopg.connect(source_db) as conn:
        result = export(conn, ExportRequest("parquet", out, row_group_rows=4))
    parquet = pq.ParquetFile(out)
    assert parquet.metadata.num_rows == result.articles == len(db_rows(source_db))
    assert parquet.num_row_groups == -(-result.articles // 4)
    assert {parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups - 1)} \
        == {4}


def test_rows_come_from_a_cursor_in_batches(source_db: str) -> None:
    with psycopg.connect(source_db) as conn:
        sizes = [len(rows) for rows in batches(conn, statement(conn, Selection()), 7)]
    assert sizes[:-1] == [7] * (len(sizes) - 1) and sum(sizes) == len(db_rows(source_db))


def _row(published_at: datetime | None) -> tuple[Any, ...]:
    """A dump row with a value of its type in every required field."""
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    values = {"id": 1, "authors": [], "tags": [], "crawled_at": now, "paywalled": False,
              "provenance": "{}", "version": 1, "first_seen_at": now, "updated_at": now,
              "published_at": published_at}
    return tuple(values.get(name, "x" if ARROW_SCHEMA.field(name).type == pa.string() else None)
                 for name in FIELDS)


def test_prefetching_hands_on_errors_and_closes_its_source_in_its_thread() -> None:
    closed: list[str] = []

    def source(fail: bool) -> Iterator[int]:
        try:
            yield from range(5)
            if fail:
                raise Boom("the server went away")
            yield from itertools.count(5)  # endless: only a stop can end it
        finally:
            closed.append(threading.current_thread().name)

    with pytest.raises(Boom):
        assert list(prefetched(source(fail=True))) == []
    assert closed == ["jpnews-dump-reader"]
    taken = []
    for item in prefetched(source(fail=False)):  # the consumer leaves early
        taken.append(item)
        if item == 7:
            break
    assert taken == list(range(8))
    assert closed == ["jpnews-dump-reader"] * 2
    assert not [t for t in threading.enumerate() if t.name == "jpnews-dump-reader"]


def test_a_partition_rolls_over_to_the_next_part(tmp_path: Path) -> None:
    day = datetime(2026, 11, 29, 3, tzinfo=timezone.utc)
    writer = PartitionedParquetWriter(tmp_path, "day", file_rows=2)
    with writer:
        writer.write([_row(day)] * 3)
        writer.write([_row(day + timedelta(days=1))])
        writer.write([_row(day)])  # the first day again, out of order: a part of its own
    assert [p.relative_to(tmp_path).as_posix() for p in writer.files] == [
        "published_date=2026-11-29/part-0.parquet", "published_date=2026-11-29/part-1.parquet",
        "published_date=2026-11-30/part-0.parquet", "published_date=2026-11-29/part-2.parquet"]
    assert [pq.ParquetFile(p).metadata.num_rows for p in writer.files] == [2, 1, 1, 1]


# ---- round trips through jpnews import ----------------------------------------------------------

def _comparable(url: str) -> tuple[dict[str, dict[str, Any]], set[frozenset[str]]]:
    """Articles by canonical URL in the schema's fields (story ids, which a new database
    numbers its own way, aside; the import's own provenance marker too) and the stories as a
    partition of the canonical URLs."""
    articles: dict[str, dict[str, Any]] = {}
    stories: dict[int, set[str]] = {}
    for row in db_rows(url).values():
        fields = {name: row[name] for name in ARTICLE_FIELDS if name != "story_id"}
        fields["provenance"] = {k: v for k, v in row["provenance"].items() if k != "imported"}
        articles[row["canonical_url"]] = fields
        stories.setdefault(row["story_id"], set()).add(row["canonical_url"])
    return articles, {frozenset(members) for members in stories.values()}


@pytest.mark.parametrize("args, name", [
    (["--format", "jsonl"], "dump.jsonl"),
    (["--format", "jsonl"], "dump.jsonl.gz"),
    (["--format", "jsonl"], "dump.jsonl.zst"),
    (["--format", "parquet"], "dump.parquet"),
    (["--format", "parquet", "--partition-by", "day"], "dump"),
])
def test_a_dump_imports_into_an_empty_database_as_it_was(source_db: str, admin_url: str,
                                                         tmp_path: Path, args: list[str],
                                                         name: str) -> None:
    out = tmp_path / name
    done = cli_export(source_db, *args, "-o", str(out))
    assert done.returncode == 0, done.stderr
    articles, stories = _comparable(source_db)
    assert any(len(s) == 3 for s in stories)  # the wire story on three outlets
    with fresh_database(admin_url) as target:
        loaded = run_jpnews("import", str(out), "--database-url", target)
        assert loaded.returncode == 0, loaded.stderr
        assert f"{len(articles)} records: " in loaded.stdout
        assert _stored_new(loaded.stdout) == len(articles), loaded.stdout
        assert " 0 rejected" in loaded.stdout
        again, again_stories = _comparable(target)
    assert again.keys() == articles.keys()
    for key, fields in articles.items():
        assert again[key] == fields, key
    assert again_stories == stories


def test_import_reads_a_parquet_folder_and_skips_unfinished_files(source_db: str,
                                                                 admin_url: str,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "by-month"
    assert cli_export(source_db, "--format", "parquet", "--partition-by", "month",
                      "-o", str(out)).returncode == 0
    # what an interrupted export into this folder would have left: not part of the dump
    first = sorted(out.rglob("*.parquet"))[0]
    stray = out / ".later.partial-999" / first.parent.name / "part-0.parquet"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(first.read_bytes())
    with fresh_database(admin_url) as target:
        loaded = run_jpnews("import", str(out), "--database-url", target)
        assert loaded.returncode == 0, loaded.stderr
        n = len(db_rows(source_db))
        assert f"{n} records: " in loaded.stdout and _stored_new(loaded.stdout) == n, \
            loaded.stdout


def test_import_refuses_an_unreadable_parquet_file_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\0" * 64)
    empty = tmp_path / "empty"
    empty.mkdir()
    for path, says in ((broken, "cannot read"), (empty, "holds no Parquet files"),
                       (tmp_path / "missing.jsonl", "no such file")):
        done = run_jpnews("import", str(path), "--database-url", "postgresql://unused@127.0.0.1:1/x")
        assert done.returncode == 1, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and says in done.stderr
        assert "Traceback" not in done.stderr


def test_parquet_of_other_tools_imports_row_by_row(db: str, tmp_path: Path) -> None:
    """A Parquet file need not come from jpnews: the columns it has are read, and a row
    without what an article needs is refused with its row number, not the whole file."""
    table = pa.table({
        "url": [FULL["url"], "https://japantoday.com/category/national/empty"],
        "title": [FULL["title"], ""],
        "body": [FULL["body"], "Nothing."],
        "published_at": pa.array([NOW - timedelta(hours=3), None],
                                 type=pa.timestamp("us", tz="UTC")),
        "crawled_at": pa.array([NOW, NOW], type=pa.timestamp("us", tz="UTC")),
    })
    pq.write_table(table, tmp_path / "other.parquet")
    done = run_jpnews("import", str(tmp_path / "other.parquet"), "--database-url", db,
                      "--allow-rejects")
    assert done.returncode == 0, done.stderr
    assert "2 records: 1 new" in done.stdout
    assert "rejected other.parquet:2: missing title" in done.stdout
    (published, crawled), = db_rows_values(db, "published_at, crawled_at")
    assert published == NOW - timedelta(hours=3) and crawled == NOW


def _stored_new(summary: str) -> int:
    """Articles an import inserted: new ones, and new ones that joined a story (the summary
    counts those as duplicates, so that its counts add up to the records)."""
    new = re.search(r"records: (\d+) new", summary)
    joined = re.search(r", (\d+) duplicate", summary)
    assert new and joined, summary
    return int(new.group(1)) + int(joined.group(1))


def db_rows_values(url: str, columns: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT {columns} FROM articles ORDER BY id").fetchall()


# ---- outputs appear whole or not at all ---------------------------------------------------------

class Boom(RuntimeError):
    pass


def _failing_batches(after: int, error: BaseException) -> Any:
    """batches() that gives `after` batches, then fails."""
    real = export_module.batches

    def failing(conn: psycopg.Connection, stmt: Any, batch_rows: int = 2,
                **options: Any) -> Iterator[Any]:
        for n, rows in enumerate(real(conn, stmt, 2, **options)):
            if n == after:
                raise error
            yield rows
    return failing


@pytest.mark.parametrize("error", [Boom("disk on fire"), KeyboardInterrupt()])
@pytest.mark.parametrize("fmt, name, partition", [
    ("jsonl", "dump.jsonl.gz", None), ("csv", "dump.csv", None),
    ("parquet", "dump.parquet", None), ("parquet", "dump", "day")])
def test_a_failed_export_leaves_nothing_and_keeps_the_old_dump(
        source_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error: BaseException, fmt: str, name: str, partition: str | None) -> None:
    out = tmp_path / name
    monkeypatch.setattr(export_module, "batches", _failing_batches(2, error))
    request = ExportRequest(fmt, out, partition_by=partition)  # type: ignore[arg-type]
    with psycopg.connect(source_db) as conn, pytest.raises(type(error)):
        export(conn, request)
    assert not out.exists() and leftovers(tmp_path) == []

    monkeypatch.undo()  # a complete dump, then a failed one over it: the old one stays
    with psycopg.connect(source_db) as conn:
        export(conn, request)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) if out.is_dir() \
        else out.read_bytes()
    monkeypatch.setattr(export_module, "batches", _failing_batches(1, error))
    with psycopg.connect(source_db) as conn, pytest.raises(type(error)):
        export(conn, request)
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) if out.is_dir() \
        else out.read_bytes()
    assert after == before and leftovers(tmp_path) == []


def test_a_partitioned_dump_replaces_an_earlier_one_but_not_a_stranger(
        source_db: str, tmp_path: Path) -> None:
    out = tmp_path / "dump"
    for _ in range(2):  # the second run replaces the first
        done = cli_export(source_db, "--format", "parquet", "--partition-by", "month",
                          "-o", str(out))
        assert done.returncode == 0, done.stderr
    assert leftovers(tmp_path) == []
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    done = cli_export(source_db, "--format", "parquet", "--partition-by", "day", "-o", str(mine))
    assert done.returncode == 1 and "will not replace" in done.stderr
    assert (mine / "notes.txt").read_text() == "keep me"


def test_an_interrupted_cli_export_leaves_nothing(source_db: str, tmp_path: Path) -> None:
    """SIGTERM (a service stopped, a timeout) unwinds like Ctrl-C: the partial file goes."""
    out = tmp_path / "slow.jsonl"
    script = (
        "import sys, time\n"
        "from crawler.dumps import export as e\n"
        "real = e.batches\n"
        "def slow(conn, stmt, batch_rows=1000, **options):\n"
        "    for rows in real(conn, stmt, 1, **options):\n"
        "        print('batch', flush=True, file=sys.stderr); time.sleep(0.5); yield rows\n"
        "e.batches = slow\n"
        "from crawler.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    child = subprocess.Popen(
        [sys.executable, "-c", script, "export", "--format", "jsonl", "-o", str(out),
         "--database-url", source_db], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    assert child.stderr.readline().strip() == "batch"
    assert any(".partial-" in p.name for p in tmp_path.iterdir())
    child.terminate()
    assert child.wait(timeout=30) == 143
    assert "Traceback" not in child.stderr.read()
    assert not out.exists() and leftovers(tmp_path) == []


# ---- errors -------------------------------------------------------------------------------------

def test_errors_are_one_line_and_a_nonzero_exit(source_db: str, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cases = [
        (["--format", "parquet"], "standard output"),
        (["--format", "jsonl", "-o", str(tmp_path / "no" / "such" / "dir.jsonl")],
         "cannot write"),
        (["--format", "csv", "-o", str(blocker / "under-a-file.csv")], "cannot write"),
        (["--format", "jsonl", "-o", str(tmp_path)], "is a folder"),
        (["--format", "jsonl", "--partition-by", "day", "-o", str(tmp_path / "x")],
         "--format parquet"),
        (["--format", "parquet", "-o", str(tmp_path / "x.parquet.gz")], "compressed inside"),
        (["--format", "jsonl", "--source", "nosuchoutlet"], "unknown outlet"),
        (["--format", "jsonl", "--lang", "english"], "two-letter"),
        (["--format", "jsonl", "--since", "yesterday"], "not a time window"),
        (["--format", "jsonl", "--until", "2026-13-01"], "not an ISO date"),
        (["--format", "jsonl", "--since", "2026-12-01", "--until", "2026-11-01"], "not before"),
        (["--format", "jsonl", "--query", "the"], "common words"),
    ]
    for args, says in cases:
        done = cli_export(source_db, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
        assert says in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stdout == ""
    assert leftovers(tmp_path) == []
    unknown = cli_export(source_db, "--format", "xml")
    assert unknown.returncode == 2 and "invalid choice: 'xml'" in unknown.stderr


def test_database_down_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "dump.jsonl"
    done = run_jpnews("export", "--format", "jsonl", "-o", str(out),
                      "--database-url", "postgresql://postgres@127.0.0.1:1/nothing")
    assert done.returncode == 1
    assert done.stderr.startswith("jpnews: error: cannot reach Postgres at")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_database_error_mid_export_is_one_line(source_db: str, tmp_path: Path) -> None:
    """The server ends the session while rows are read: one line, no partial file."""
    out = tmp_path / "dump.jsonl"
    script = (
        "import sys, psycopg\n"
        "from crawler.dumps import export as e\n"
        "real = e.batches\n"
        "def cut(conn, stmt, batch_rows=1000, **options):\n"
        "    for n, rows in enumerate(real(conn, stmt, 2, **options)):\n"
        "        if n == 1:\n"
        "            with psycopg.connect(sys.argv[-1], autocommit=True) as other:\n"
        "                other.execute('SELECT pg_terminate_backend(%s)', (conn.info.backend_pid,))\n"
        "        yield rows\n"
        "e.batches = cut\n"
        "from crawler.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    done = subprocess.run(
        [sys.executable, "-c", script, "export", "--format", "jsonl", "-o", str(out),
         "--database-url", source_db], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("jpnews: error: database:"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_closed_pipe_ends_the_export_quietly(source_db: str) -> None:
    done = subprocess.run(
        f"{sys.executable} -m crawler.cli export --format jsonl --database-url {source_db} "
        "| head -n 1", shell=True, cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ})
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr == ""


# ---- progress -----------------------------------------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_in_place_on_a_terminal(source_db: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with psycopg.connect(source_db) as conn:
        result = export(conn, ExportRequest("jsonl", tmp_path / "a.jsonl"), progress=True)
    shown = terminal.getvalue()
    assert shown.startswith("\r") and shown.endswith("\033[K\n")
    assert f"export: {result.articles:,} articles" in shown and "/s" in shown


def test_days_of_partitions_are_utc_days() -> None:
    # 07:00 in Tokyo on the 30th is 22:00 UTC on the 29th
    tokyo = datetime(2026, 11, 30, 7, tzinfo=timezone(timedelta(hours=9)))
    writer = PartitionedParquetWriter(Path("/nonexistent"), "day")
    assert writer.partition(_row(tokyo)) == date(2026, 11, 29).isoformat()
    assert writer.partition(_row(None)) == "__HIVE_DEFAULT_PARTITION__"
