"""`jpnews import` never loses data quietly: a file that breaks off stores and reports what
came before the break, then fails in one line; a file that is not a dump is one line, not
thousands; many rejections are summarised; the summary adds up; rejections exit non-zero unless
--allow-rejects. All through the real command and the real Postgres."""

from __future__ import annotations

import gzip
import json
import random
import re
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
from conftest import run_jpnews
from newsroom import STORIES

NOW = datetime.now(timezone.utc).replace(microsecond=0)
WORDS = ["ferry", "harbour", "council", "budget", "school", "rail", "typhoon", "festival",
         "museum", "station", "bridge", "farmers", "harvest", "library", "hospital", "police",
         "river", "mountain", "shrine", "market", "export", "election", "governor", "mayor",
         "tourists", "island", "earthquake", "drill", "lantern", "orchard"]
SUMMARY = re.compile(r": (\d+) records: (.*)$", re.M)


def record(slug: str, body: str, **fields: Any) -> dict[str, Any]:
    return {"url": f"https://news.example.org/local/{slug}", "language": "en",
            "title": f"{slug.replace('-', ' ').capitalize()}", "body": body,
            "published_at": (NOW - timedelta(hours=5)).isoformat(),
            "crawled_at": NOW.isoformat(), **fields}


def invented(number: int) -> dict[str, Any]:
    """An article of its own words, so that no two join one story."""
    rng = random.Random(number)
    body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(3))
    return record(f"invented-{number}", body)


def write_lines(path: Path, lines: list[str]) -> Path:
    data = "".join(line + "\n" for line in lines).encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def summary(stdout: str) -> tuple[int, dict[str, int]]:
    """The records and each count of the summary line, by the counter's first word."""
    found = SUMMARY.search(stdout)
    assert found, stdout
    counts = {name: int(count) for count, name in re.findall(r"(?:^|, )(\d+) (\w+)",
                                                              found.group(2))}
    return int(found.group(1)), counts


def stored(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def assert_one_error_line(done: Any, *says: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    # Besides the progress line (stderr, "import: N pages, ..."), one line: the error.
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith("import: ")]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("jpnews: error: ")
    for text in says:
        assert text in lines[0], lines[0]


def test_summary_adds_up_on_every_kind_and_reimport_is_idempotent(db: str,
                                                                  tmp_path: Path) -> None:
    ferry, orchard, library, bridge = ("\n\n".join(STORIES[s]) for s in
                                       ("ferry", "orchard", "library", "bridge"))
    first = write_lines(tmp_path / "first.jsonl", [json.dumps(record(s, b)) for s, b in (
        ("ferry-sailings", ferry), ("orchard-harvest", orchard), ("library-hours", library))])
    done = run_jpnews("import", str(first), "--database-url", db)
    assert done.returncode == 0, done.stderr[-2000:]

    mix = write_lines(tmp_path / "mix.jsonl", [
        json.dumps(record("ferry-sailings", ferry)),                               # unchanged
        json.dumps(record("orchard-harvest", orchard + "\n\nA third paragraph on prices.")),
        json.dumps(record("library-hours", library, summary="Longer hours in Sendai.")),
        json.dumps(record("bridge-repairs", bridge)),                              # new
        json.dumps(record("ferry-sailings-copy", ferry)),                 # joins ferry's story
        json.dumps(record("bridge-repairs", bridge, section="Local")),           # repeated URL
        "{not json",                                                               # rejected
        json.dumps({"url": "https://news.example.org/local/nothing"}),            # rejected
    ])
    done = run_jpnews("import", str(mix), "--database-url", db)
    records, counts = summary(done.stdout)
    assert records == 8 == sum(counts.values()), done.stdout
    assert counts == {"new": 1, "updated": 1, "refreshed": 1, "unchanged": 1, "duplicate": 1,
                      "repeated": 1, "forgotten": 0, "rejected": 2}, done.stdout
    assert "1 repeated (URL already in this file)" in done.stdout
    assert "rejected mix.jsonl:7: not JSON" in done.stdout
    assert "rejected mix.jsonl:8: missing title, body" in done.stdout
    assert_one_error_line(done, "2 records rejected", "--allow-rejects")
    assert stored(db) == 5

    again = run_jpnews("import", str(mix), "--database-url", db, "--allow-rejects")
    assert again.returncode == 0, again.stderr[-2000:]
    records, counts = summary(again.stdout)
    assert records == 8 == sum(counts.values())
    assert counts["unchanged"] == 5 and counts["repeated"] == 1 and counts["rejected"] == 2
    assert counts["new"] == counts["updated"] == counts["refreshed"] == 0
    assert stored(db) == 5


def test_truncated_gzip_stores_what_came_before_and_fails_in_one_line(db: str,
                                                                      tmp_path: Path) -> None:
    lines = [json.dumps(invented(n)) for n in range(11)]
    packed = gzip.compress("".join(line + "\n" for line in lines).encode())
    cut = packed[: len(packed) * 6 // 10]
    dump = tmp_path / "cut.jsonl.gz"
    dump.write_bytes(cut)
    # The complete lines the broken stream holds, read by zlib on its own.
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    complete = readable.count(b"\n")
    assert 0 < complete < 11

    done = run_jpnews("import", str(dump), "--database-url", db)
    records, counts = summary(done.stdout)
    assert records == complete and counts["new"] == complete and counts["rejected"] == 0
    assert_one_error_line(done, str(dump), f"after line {complete}", "ended before")
    assert stored(db) == complete


def test_files_that_are_not_dumps_are_one_line(tmp_path: Path) -> None:
    unused = "postgresql://unused@127.0.0.1:1/x"  # refused before the database is asked
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(random.Random(1).randrange(256) for _ in range(20000)))
    shift_jis = tmp_path / "sjis.jsonl"
    shift_jis.write_bytes("\n".join(json.dumps(record("kyushu", "九州で大雨の警報" * 30),
                                               ensure_ascii=False)
                                    for _ in range(3)).encode("shift_jis"))
    html = write_lines(tmp_path / "page.html", ["<!doctype html>", "<html><body>",
                                                *(f"<p>line {n}</p>" for n in range(4000)),
                                                "</body></html>"])
    zipped_html = write_lines(tmp_path / "page.jsonl.gz", ["<html>", "<p>hello</p>"])
    csv = write_lines(tmp_path / "articles.csv", ["url,title,body", "https://x,a,b"])
    for path in (binary, shift_jis, html, zipped_html, csv):
        done = run_jpnews("import", str(path), "--database-url", unused)
        assert_one_error_line(done, str(path))
        assert done.stdout.count("\n") <= 1, done.stdout[:2000]


def test_corrupt_parquet_stores_what_came_before_and_fails_in_one_line(db: str,
                                                                       tmp_path: Path) -> None:
    rows = [invented(n) for n in range(40)]
    table = pa.table({name: [r[name] for r in rows] for name in ("url", "title", "body")})
    good = tmp_path / "good.parquet"
    pq.write_table(table, good, row_group_size=10, compression="snappy")
    data = bytearray(good.read_bytes())
    footer = int.from_bytes(data[-8:-4], "little")
    end = len(data) - 8 - footer
    # Garble the second half of the data pages, the footer left whole: the file opens and
    # its first row groups read, then a page fails to decompress.
    start = end // 2
    data[start:end] = bytes(random.Random(2).randrange(256) for _ in range(end - start))
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(bytes(data))

    done = run_jpnews("import", str(broken), "--database-url", db)
    records, counts = summary(done.stdout)
    assert 0 < records < 40 and counts["new"] == records, done.stdout
    assert_one_error_line(done, str(broken), f"after row {records}")
    assert stored(db) == records


def test_many_rejections_are_summarised_and_exit_non_zero(db: str, tmp_path: Path) -> None:
    lines = [json.dumps(invented(0))]
    lines += [json.dumps({"url": f"https://news.example.org/local/{n}"}) for n in range(3000)]
    lines += ["{broken" for _ in range(1000)]
    lines += [json.dumps(record(f"short-{n}", "Too short.")) for n in range(500)]  # normalise
    dump = write_lines(tmp_path / "bad.jsonl", lines)
    done = run_jpnews("import", str(dump), "--database-url", db)
    records, counts = summary(done.stdout)
    assert records == 4501 and counts["new"] == 1 and counts["rejected"] == 4500
    out = done.stdout.strip().splitlines()
    assert len(out) < 20, done.stdout[:3000]
    assert "  rejected bad.jsonl:2: missing title, body" in out
    assert "  3000 × missing title, body" in out and "  1000 × not JSON" in out
    assert "  500 × body_too_short" in out
    assert_one_error_line(done, "4500 records rejected")

    allowed = run_jpnews("import", str(dump), "--database-url", db, "--allow-rejects")
    assert allowed.returncode == 0 and "error" not in allowed.stderr, allowed.stderr[-2000:]
    assert summary(allowed.stdout)[1]["unchanged"] == 1
