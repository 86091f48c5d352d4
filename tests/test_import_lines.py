"""`jpnews import` reads every line: a record with a field of the wrong type, a line with a
byte that is not UTF-8 and a line over the length limit are each refused alone, with their
line number and reason, and every other record of the file is imported. A line over the limit
is skipped in bounded memory, however long it is. Through the real command and the real
Postgres, and the reader itself for its memory."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import run_jpnews
from test_import_trust import assert_one_error_line, invented, stored, summary

from crawler.dumps.reader import check, entries


def write_bytes(path: Path, lines: list[bytes], newline_at_end: bool = True) -> Path:
    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def test_wrong_types_are_refused_alone_and_the_rest_imported(db: str, tmp_path: Path) -> None:
    good = {**invented(0), "authors": ["John Smith"], "paywalled": False}
    dump = write_bytes(tmp_path / "types.jsonl", [json.dumps(r).encode() for r in (
        good,
        {**invented(1), "tags": 5},
        invented(2),
        {**invented(3), "provenance": "x"},
        {**invented(4), "authors": "John Smith"},     # not stored as J, o, h, n, ...
        {**invented(5), "paywalled": "no"},           # not stored as true
        {**invented(6), "tags": ["rail", 7]},
        {**invented(7), "published_at": 1764400000},
        invented(8),
    )])
    done = run_jpnews("import", str(dump), "--database-url", db)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    records, counts = summary(done.stdout)
    assert records == 9 == sum(counts.values()), done.stdout
    assert counts["new"] == 3 and counts["rejected"] == 6, done.stdout
    for line, field in ((2, "tags"), (4, "provenance"), (5, "authors"), (6, "paywalled"),
                        (7, "tags"), (8, "published_at")):
        assert f"  rejected types.jsonl:{line}: wrong type of {field}: " in done.stdout, \
            done.stdout
    assert "authors is a string, not an array" in done.stdout
    assert "paywalled is a string, not a boolean" in done.stdout
    assert "tags[1] is an integer, not a string" in done.stdout
    assert_one_error_line(done, "6 records rejected")
    assert stored(db) == 3
    with psycopg.connect(db) as conn:
        row = conn.execute("SELECT authors, paywalled FROM articles WHERE url = %s",
                           (good["url"],)).fetchone()
    assert row == (["John Smith"], False)


def test_parquet_rows_of_the_wrong_type_are_refused_alone(db: str, tmp_path: Path) -> None:
    rows = [invented(n) for n in range(4)]
    table = pa.table({**{name: [r[name] for r in rows] for name in ("url", "title", "body")},
                      "paywalled": ["no", None, "yes", None]})
    pq.write_table(table, tmp_path / "typed.parquet")
    done = run_jpnews("import", str(tmp_path / "typed.parquet"), "--database-url", db)
    records, counts = summary(done.stdout)
    assert records == 4 and counts["new"] == 2 and counts["rejected"] == 2, done.stdout
    for row in (1, 3):
        assert f"  rejected typed.parquet:{row}: wrong type of paywalled: " in done.stdout
    assert_one_error_line(done, "2 records rejected")
    assert stored(db) == 2


@pytest.mark.parametrize("name", ["bytes.jsonl", "bytes.jsonl.gz"])
def test_a_byte_that_is_not_utf8_rejects_its_line_only(db: str, tmp_path: Path,
                                                       name: str) -> None:
    lines = [json.dumps(invented(n)).encode() for n in range(5)]
    for broken in (0, 3):  # the first line too: it must not make the file look like no dump
        lines[broken] = lines[broken].replace(b"invented", b"invent\xffed", 1)
    done = run_jpnews("import", str(write_bytes(tmp_path / name, lines)), "--database-url", db)
    records, counts = summary(done.stdout)
    assert records == 5 and counts["new"] == 3 and counts["rejected"] == 2, \
        (done.stdout, done.stderr[-2000:])
    assert f"  rejected {name}:1: not UTF-8: byte " in done.stdout
    assert f"  rejected {name}:4: not UTF-8: byte " in done.stdout
    assert_one_error_line(done, "2 records rejected")
    assert stored(db) == 3


def test_a_file_of_no_utf8_line_is_still_one_line(tmp_path: Path) -> None:
    latin = write_bytes(tmp_path / "latin1.jsonl", [
        json.dumps({**invented(n), "title": "Café"}, ensure_ascii=False).encode("latin-1")
        for n in range(300)])
    done = run_jpnews("import", str(latin), "--database-url", "postgresql://unused@127.0.0.1:1/x")
    assert_one_error_line(done, str(latin), "not UTF-8")


def test_a_line_over_the_limit_is_refused_alone(db: str, tmp_path: Path) -> None:
    limit = 4096
    at_limit, over = {**invented(3), "note": ""}, {**invented(4), "note": ""}
    at_limit["note"] = "x" * (limit - len(json.dumps(at_limit)))
    over["note"] = "y" * (limit + 1 - len(json.dumps(over)))
    assert len(json.dumps(at_limit)) == limit == len(json.dumps(over)) - 1
    dump = write_bytes(tmp_path / "long.jsonl", [json.dumps(r).encode() for r in (
        invented(0),
        {**invented(1), "body": "A long story. " * 1000},
        invented(2),
        at_limit,                                      # exactly the limit: imported
        over,                                          # one byte over
        {**invented(5), "body": "The last line, long and unended. " * 500},
    )], newline_at_end=False)
    done = run_jpnews("import", str(dump), "--database-url", db,
                      env={"JPNEWS_IMPORT_MAX_LINE": str(limit)})
    records, counts = summary(done.stdout)
    assert records == 6 and counts["new"] == 3 and counts["rejected"] == 3, \
        (done.stdout, done.stderr[-2000:])
    for line in (2, 5, 6):
        assert f"  rejected long.jsonl:{line}: line too long: over 4096 bytes" in done.stdout
    assert_one_error_line(done, "3 records rejected")
    assert stored(db) == 3


def test_a_huge_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    """A 64 MB line (64 KB of gzip) with a 1 MB limit: the reader never holds it whole."""
    limit, huge = 1 << 20, 64 << 20
    data = bytearray(b'{"url": "https://news.example.org/huge", "body": "')
    data += b"a" * huge + b'"}\n'
    data += json.dumps(invented(1)).encode() + b"\n" + data  # huge, good, huge again
    dump = tmp_path / "huge.jsonl.gz"
    dump.write_bytes(gzip.compress(bytes(data), compresslevel=1))
    del data

    tracemalloc.start()
    try:
        check(dump, max_line=limit)  # a huge first line: neither refused nor read whole
        found = list(entries(dump, max_line=limit))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * limit, peak
    assert [(e.origin, e.record) for e in found] == [
        ("huge.jsonl.gz:1", None), ("huge.jsonl.gz:2", invented(1)), ("huge.jsonl.gz:3", None)]
    assert all((e.error or "").startswith("line too long: over 1048576 bytes")
               for e in (found[0], found[2]))


def test_a_line_nested_too_deep_is_refused_alone(db: str, tmp_path: Path) -> None:
    """json.loads gives up on deep nesting with RecursionError, not ValueError: still one
    refused line, and the lines after it are read."""
    deep = b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    dump = write_bytes(tmp_path / "deep.jsonl",
                       [json.dumps(invented(0)).encode(), deep, json.dumps(invented(1)).encode()])
    done = run_jpnews("import", str(dump), "--database-url", db)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "  rejected deep.jsonl:2: not JSON: nested too deeply" in done.stdout, done.stdout
    assert_one_error_line(done, "1 records rejected")
    assert stored(db) == 2


def test_an_import_faster_than_the_database_waits_for_it(db: str, tmp_path: Path) -> None:
    """Records are read faster than the store writes them: the reading waits for the writer
    (crawler/pacing.py, StorePipeline.accept) instead of filling the outage buffer, which a
    healthy database must never see spilled."""
    dump = write_bytes(tmp_path / "many.jsonl",
                       [json.dumps(invented(n)).encode() for n in range(1000)])
    done = run_jpnews("import", str(dump), "--database-url", db,
                      env={"JPNEWS_STORE_MAX_BUFFER": "10", "JPNEWS_STORE_BATCH_SIZE": "5",
                           "JPNEWS_DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr[-3000:]
    records, counts = summary(done.stdout)
    assert records == 1000 and counts["new"] == 1000, done.stdout
    assert "saved to" not in done.stderr and not (tmp_path / "data" / "spill").exists()
    assert stored(db) == 1000
    with psycopg.connect(db) as conn:
        stats = conn.execute("SELECT stats FROM crawl_runs WHERE spider = 'import'").fetchone()[0]
    # a batch, and the items Scrapy processes at once (CONCURRENT_ITEMS, 100), at most
    assert stats["jpnews/store/peak_buffered"] <= 5 + 100, stats
