"""Export speed and memory: `jpnews export` of 100,000 articles as Parquet, JSON lines and CSV,
and of 1,000,000 articles as Parquet, each in a process of its own.

The articles are bench/search.py's (half English, half Japanese, 10 % wire copies, dates over
two years), normalised as a crawl stores them, but loaded with COPY straight into `articles`
of a database of their own (`jpnews_bench_export`): an export reads `articles` only, so the
store's merge, story matching and search document would only make the load slower (the
search trigger and the change feed's triggers are off during the load; each text's story is
its exact-copy group, set by one UPDATE). The million is the 100,000 ten times over, each
copy under new URLs.

Each export runs as a user runs it, `python -m crawler.cli export ...` with its output on a
file, stderr not a terminal (no progress line); its wall time and its peak RSS (the child's
own, from wait4) are measured from outside. Wall time includes the interpreter's start and
the connection; the fixed cost is measured apart, with an export that selects nothing.

    python bench/export.py [--server URL] [--articles 100000] [--no-million] [--reuse]
                           [--no-write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.search import article, database  # noqa: E402
from crawler.storage.articles import COLUMNS  # noqa: E402

SECTION = "export"
DATABASE = "jpnews_bench_export"
CHUNK = 2000
SEED = 7
MILLION = 1_000_000
TARGET_RATE = 20_000
TARGET_RSS_MB = 300
FEED_TRIGGERS = ("articles_changes_insert", "articles_changes_update")
"""Migration 008's change log: an export does not read it, and the load would fill it."""


# ---- the articles ------------------------------------------------------------------------------

def _make(chunk: tuple[int, int, str]) -> list[tuple[object, ...]]:
    """Articles start..stop as COPY rows (in a worker process: generating is the slow part)."""
    start, stop, now = chunk
    when = datetime.fromisoformat(now)
    rows = []
    for i in range(start, stop):
        made = article(SEED, i, when)
        if made is not None:
            values = [getattr(made, c) for c in COLUMNS]
            values[COLUMNS.index("provenance")] = Jsonb(made.provenance)
            rows.append(tuple(values))
    return rows


def _chunks(n: int, now: datetime) -> Iterator[tuple[int, int, str]]:
    for start in range(0, n, CHUNK):
        yield start, min(n, start + CHUNK), now.isoformat()


def load(url: str, n: int) -> tuple[int, float]:
    """COPY n generated articles into `articles`; returns (stored, seconds)."""
    started = time.monotonic()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    stored = 0
    with psycopg.connect(url) as conn, ProcessPoolExecutor(os.cpu_count() or 2) as pool:
        conn.execute("ALTER TABLE articles DISABLE TRIGGER articles_search_insert")
        for trigger in FEED_TRIGGERS:
            conn.execute(f"ALTER TABLE articles DISABLE TRIGGER {trigger}")
        with conn.cursor() as cur, cur.copy(
                f"COPY articles ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for rows in pool.map(_make, _chunks(n, now)):
                for row in rows:
                    copy.write_row(row)
                stored += len(rows)
                if stored % 20_000 < len(rows):
                    print(f"  loaded {stored:,} articles, {time.monotonic() - started:,.0f} s",
                          file=sys.stderr)
        conn.execute("ALTER TABLE articles ENABLE TRIGGER articles_search_insert")
        _stories(conn)
        for trigger in FEED_TRIGGERS:
            conn.execute(f"ALTER TABLE articles ENABLE TRIGGER {trigger}")
    return stored, time.monotonic() - started


def _stories(conn: psycopg.Connection) -> None:
    """One story per exact text, as the store's exact-copy matching would make them."""
    conn.execute("""
        WITH groups AS (SELECT text_fingerprint, min(id) AS first, count(*) AS members
                        FROM articles WHERE story_id IS NULL GROUP BY text_fingerprint),
             made AS (INSERT INTO stories (representative_id, members)
                      SELECT first, members FROM groups RETURNING id, representative_id)
        UPDATE articles a SET story_id = m.id
        FROM made m JOIN articles r ON r.id = m.representative_id
        WHERE a.text_fingerprint = r.text_fingerprint AND a.story_id IS NULL""")
    conn.execute("ANALYZE articles")


def grow(url: str, target: int) -> float:
    """Copies of the stored articles under new URLs until there are `target`."""
    started = time.monotonic()
    with psycopg.connect(url, autocommit=True) as conn:
        base = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        have = base
        conn.execute("ALTER TABLE articles DISABLE TRIGGER articles_search_insert")
        conn.execute("ALTER TABLE articles DISABLE TRIGGER articles_changes_insert")
        copy_no = 1
        while have < target:
            take = min(base, target - have)
            columns = ", ".join(c for c in COLUMNS if c not in ("canonical_url", "url"))
            conn.execute(
                f"""INSERT INTO articles (canonical_url, url, story_id, {columns})
                    SELECT canonical_url || '?copy={copy_no}', url || '?copy={copy_no}',
                           story_id, {columns}
                    FROM articles WHERE id <= (SELECT min(id) FROM articles) + %s - 1
                      AND canonical_url NOT LIKE '%%?copy=%%'
                    ORDER BY id""", (take,))
            have += take
            copy_no += 1
            print(f"  {have:,} articles, {time.monotonic() - started:,.0f} s", file=sys.stderr)
        conn.execute("ALTER TABLE articles ENABLE TRIGGER articles_search_insert")
        conn.execute("ALTER TABLE articles ENABLE TRIGGER articles_changes_insert")
        conn.execute("VACUUM ANALYZE articles")
    return time.monotonic() - started


# ---- the exports ------------------------------------------------------------------------------

@dataclass
class Run:
    label: str
    articles: int
    seconds: float
    rss_mb: float
    size_mb: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def run_export(url: str, label: str, articles: int, out: Path, *args: str) -> Run:
    """One `jpnews export` in a child process: wall time and the child's peak RSS."""
    command = [sys.executable, "-m", "crawler.cli", "export", *args, "-o", str(out),
               "--database-url", url]
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{label}: export failed: {errors.decode(errors='replace')}")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.is_dir() \
        else out.stat().st_size if out.exists() else 0
    run = Run(label, articles, seconds, usage.ru_maxrss / 1024, size / 1024 / 1024)
    print(f"  {label}: {run.per_second:,.0f} articles/s, {seconds:.1f} s, "
          f"{run.rss_mb:.0f} MB peak RSS, {run.size_mb:.0f} MB", file=sys.stderr)
    return run


def _remove(path: Path) -> None:
    """An export's output, once measured: the next one should not share the disk cache."""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def count(url: str) -> tuple[int, float]:
    with psycopg.connect(url) as conn:
        n, body = conn.execute("SELECT count(*), avg(length(body)) FROM articles").fetchone()
    return int(n), float(body or 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--no-million", dest="million", action="store_false",
                        help="skip the 1,000,000-article Parquet export")
    parser.add_argument("--reuse", action="store_true",
                        help="keep jpnews_bench_export if it holds the articles already")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    url = database(args.server, DATABASE, fresh=not args.reuse)
    loaded = None
    # The normaliser refuses a few generated copies (trimmed too short): "about" n articles.
    # A database grown to the million is loaded again rather than cut back: deleting 900,000
    # rows is slower (before migration 009 each one read the whole of stories to find its
    # representative_id; now each also leaves a 'removed' change in the feed's log).
    if not args.articles * 0.99 <= count(url)[0] <= args.articles:
        url = database(args.server, DATABASE, fresh=True)
        print(f"loading {args.articles:,} articles into {DATABASE}", file=sys.stderr)
        loaded = load(url, args.articles)
    articles, body = count(url)
    folder = Path(tempfile.mkdtemp(prefix="jpnews-bench-export-"))
    runs: list[Run] = []
    million: list[Run] = []
    try:
        runs.append(run_export(url, "nothing selected (fixed cost)", 0, folder / "none.jsonl",
                               "--format", "jsonl", "--since", "2100-01-01"))
        for label, name, extra in (
                ("Parquet", "a.parquet", ["--format", "parquet"]),
                ("Parquet, partitioned by day", "by-day",
                 ["--format", "parquet", "--partition-by", "day"]),
                ("JSON lines", "a.jsonl", ["--format", "jsonl"]),
                ("JSON lines, gzip", "a.jsonl.gz", ["--format", "jsonl"]),
                ("JSON lines, zstd", "a.jsonl.zst", ["--format", "jsonl"]),
                ("CSV", "a.csv", ["--format", "csv"])):
            runs.append(run_export(url, label, articles, folder / name, *extra))
            _remove(folder / name)
        grown = 0.0
        if args.million:
            grown = grow(url, MILLION)
            total = count(url)[0]
            for label, name, extra in (
                    ("Parquet", "m.parquet", ["--format", "parquet"]),
                    ("Parquet, partitioned by month", "by-month",
                     ["--format", "parquet", "--partition-by", "month"]),
                    ("JSON lines", "m.jsonl", ["--format", "jsonl"])):
                million.append(run_export(url, label, total, folder / name, *extra))
                _remove(folder / name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report = render(articles, body, loaded, runs, million, grown)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "Article dumps (`bench/export.py`)", report)
    return 0


def render(articles: int, body: float, loaded: tuple[int, float] | None, runs: list[Run],
           million: list[Run], grown: float) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [
        f"{articles:,} generated articles (bench/search.py's: half English, half Japanese, "
        f"bodies of {body:,.0f} characters on average); measured {day} on 2 cores, Postgres 15 "
        "on the same machine. Each export is `python -m crawler.cli export` in a process of "
        "its own, writing a file; wall time from outside, interpreter start and connection "
        "included; peak RSS is the child's own (wait4). "
        f"Targets: Parquet at least {TARGET_RATE:,} articles/s, peak RSS at most "
        f"{TARGET_RSS_MB} MB.",
        "",
        "| export | articles | wall s | articles/s | peak RSS MB | output MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(run) for run in runs]
    if million:
        lines += ["", f"The same articles copied to {million[0].articles:,} (under new URLs; "
                      f"{grown:,.0f} s to copy them in SQL):", "",
                  "| export | articles | wall s | articles/s | peak RSS MB | output MB |",
                  "|---|---:|---:|---:|---:|---:|"]
        lines += [_row(run) for run in million]
        lines += ["", "The partitioned dump is smaller only because of how the million was "
                      "made: ordered by date, the ten copies of an article sit side by side "
                      "and zstd stores them once; in id order they are 100,000 rows apart."]
    if loaded:
        lines += ["", f"Load: {loaded[0]:,} articles generated, normalised and copied in "
                      f"{loaded[1]:,.0f} s (two generator processes)."]
    return "\n".join(lines)


def _row(run: Run) -> str:
    rate = f"{run.per_second:,.0f}" if run.articles else "-"
    return (f"| {run.label} | {run.articles:,} | {run.seconds:.1f} | {rate} | "
            f"{run.rss_mb:.0f} | {run.size_mb:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
