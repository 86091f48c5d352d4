"""The change feed: what recording changes costs the store, and `jpnews feed` after 10,000
changes, as Parquet and as JSON lines, each run a process of its own.

The articles are bench/search.py's (half English, half Japanese, 10 % wire copies), stored
through ArticleStore.write in batches of 100, one transaction each, as a crawl stores them:
10,000 new articles are 10,000 'new' changes (story matching in the same transaction is
folded into them). A second round makes a mix: texts changed (new versions), metadata
changed, articles deleted, 2,500 changes.

The cost of recording is measured on the store itself: 2,000 more articles stored in
batches that alternate between the change triggers on and off, so that both halves see the
same table size.

Each feed run is `python -m crawler.cli feed ...` as a user runs it; wall time and peak RSS
(the child's own, from wait4) from outside, interpreter start and connection included.

    python bench/feed.py [--server URL] [--changes 10000] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.search import article, database  # noqa: E402
from crawler.items import Article  # noqa: E402
from crawler.normalize import content_hash, meta_hash  # noqa: E402
from crawler.storage.articles import ArticleStore  # noqa: E402
from crawler.storage.db import open_pool  # noqa: E402

SECTION = "feed"
DATABASE = "jpnews_bench_feed"
SEED = 11
BATCH = 100
TRIGGERS = ("articles_changes_insert", "articles_changes_update", "articles_changes_delete")


def _make(chunk: tuple[int, int, str]) -> list[Article]:
    start, stop, now = chunk
    made = (article(SEED, i, datetime.fromisoformat(now)) for i in range(start, stop))
    return [a for a in made if a is not None]


def generate(start: int, n: int) -> list[Article]:
    """n articles from number `start` on (generating and normalising in worker processes)."""
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    chunks = [(i, min(start + n, i + 1000), now) for i in range(start, start + n, 1000)]
    with ProcessPoolExecutor(os.cpu_count() or 2) as pool:
        return [a for made in pool.map(_make, chunks) for a in made][:n]


def store_all(store: ArticleStore, articles: list[Article]) -> float:
    started = time.monotonic()
    for i in range(0, len(articles), BATCH):
        store.write(articles[i:i + BATCH])
    return time.monotonic() - started


def recording_cost(url: str, store: ArticleStore, articles: list[Article]) -> tuple[float, float]:
    """Articles/s of the store with the change triggers on, and off: alternate batches."""
    spent = {True: 0.0, False: 0.0}
    stored = {True: 0, False: 0}
    with psycopg.connect(url, autocommit=True) as conn:
        for n, i in enumerate(range(0, len(articles), BATCH)):
            on = n % 2 == 0
            for trigger in TRIGGERS:
                conn.execute(f"ALTER TABLE articles {'ENABLE' if on else 'DISABLE'} "
                             f"TRIGGER {trigger}")
            batch = articles[i:i + BATCH]
            started = time.monotonic()
            store.write(batch)
            spent[on] += time.monotonic() - started
            stored[on] += len(batch)
        for trigger in TRIGGERS:
            conn.execute(f"ALTER TABLE articles ENABLE TRIGGER {trigger}")
    return stored[True] / spent[True], stored[False] / spent[False]


def update_cost(url: str, rounds: int = 3) -> tuple[int, float, float]:
    """One UPDATE of every article's tags (a metadata refresh of each row), rolled back, with
    the change triggers on and off in turn: (rows, best seconds on, best seconds off). The
    store's own rate is too noisy (story matching) to show a cost this small."""
    best = {True: float("inf"), False: float("inf")}
    rows = 0
    with psycopg.connect(url) as conn:
        for _ in range(rounds):
            for on in (True, False):
                for trigger in TRIGGERS:
                    conn.execute(f"ALTER TABLE articles {'ENABLE' if on else 'DISABLE'} "
                                 f"TRIGGER {trigger}")
                started = time.monotonic()
                rows = conn.execute("UPDATE articles SET tags = tags || '{bench}'::text[]"
                                    ).rowcount
                best[on] = min(best[on], time.monotonic() - started)
                conn.rollback()
    return rows, best[True], best[False]


def mixed_changes(url: str, store: ArticleStore, articles: list[Article], n: int) -> int:
    """About n changes of the other kinds: new texts, new metadata, deletions."""
    third = n // 3
    edited = [_edited(a, i) for i, a in enumerate(articles[:third])]
    refreshed = [replace(a, section="Bench") for a in articles[third:2 * third]]
    for a in refreshed:
        a.meta_hash = meta_hash(a)
    store_all(store, edited)
    store_all(store, refreshed)
    gone = [a.canonical_url for a in articles[2 * third:n]]
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM articles WHERE canonical_url = ANY(%s)", (gone,))
    return len(edited) + len(refreshed) + len(gone)


def _edited(a: Article, i: int) -> Article:
    body = a.body + f"\n\nCorrection {i}: an earlier version of this article misstated a date."
    changed = replace(a, body=body, content_hash=content_hash(a.title, body, a.editor_note))
    changed.meta_hash = meta_hash(changed)
    return changed


@dataclass
class Run:
    label: str
    changes: int
    seconds: float
    rss_mb: float
    size_mb: float

    @property
    def per_second(self) -> float:
        return self.changes / self.seconds if self.seconds else 0.0


def run_cli(url: str, label: str, changes: int, out: Path | None, *args: str) -> Run:
    """One `jpnews feed` in a child process: wall time and the child's peak RSS."""
    command = [sys.executable, "-m", "crawler.cli", "feed", *args, "--database-url", url]
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    output, errors = child.stdout.read(), child.stderr.read()  # a few lines each
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{label}: feed failed: {errors.decode(errors='replace')}")
    size = sum(p.stat().st_size for p in out.iterdir()) if out and out.exists() else 0
    run = Run(label, changes, seconds, usage.ru_maxrss / 1024, size / 1024 / 1024)
    print(f"  {label}: {seconds:.2f} s, {run.rss_mb:.0f} MB peak RSS\n"
          f"    {output.decode().strip()}", file=sys.stderr)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    url = database(args.server, DATABASE, fresh=True)
    print(f"generating {args.changes + 2000:,} articles", file=sys.stderr)
    articles = generate(0, args.changes + 2000)
    first, more = articles[:args.changes], articles[args.changes:]
    pool = open_pool(url)
    store = ArticleStore(pool)
    folder = Path(tempfile.mkdtemp(prefix="jpnews-bench-feed-"))
    runs: list[Run] = []
    try:
        print(f"storing {len(first):,} articles", file=sys.stderr)
        stored_s = store_all(store, first)
        with psycopg.connect(url) as conn:
            recorded = conn.execute("SELECT count(*) FROM article_changes").fetchone()[0]
        runs.append(run_cli(url, "Parquet", recorded, folder / "p", "--consumer", "p",
                            "--output", str(folder / "p"), "--create"))
        runs.append(run_cli(url, "JSON lines", recorded, folder / "j", "--consumer", "j",
                            "--output", str(folder / "j"), "--create", "--format", "jsonl"))
        runs.append(run_cli(url, "nothing new (fixed cost)", 0, None, "--consumer", "p",
                            "--output", str(folder / "p")))
        mixed = mixed_changes(url, store, first, args.changes // 4)
        runs.append(run_cli(url, "Parquet, a mix of updated, refreshed, removed", mixed,
                            folder / "p2", "--consumer", "p", "--output", str(folder / "p2")))
        runs.append(run_cli(url, f"--list ({mixed:,} changes behind for j)", 0, None,
                            "--list"))
        print("store rate with and without the change triggers", file=sys.stderr)
        on, off = recording_cost(url, store, more)
        updated = update_cost(url)
    finally:
        pool.close()
        shutil.rmtree(folder, ignore_errors=True)
    report = render(len(first), stored_s, runs, on, off, len(more), updated)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "Change feed (`bench/feed.py`)", report)
    return 0


def render(stored: int, stored_s: float, runs: list[Run], on: float, off: float,
           compared: int, updated: tuple[int, float, float]) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [
        f"{stored:,} generated articles (bench/search.py's) stored through ArticleStore.write "
        f"in batches of {BATCH} ({stored / stored_s:,.0f} articles/s, search document and "
        f"story matching included), then fed; measured {day} on 2 cores, Postgres 15 on the "
        "same machine. Each feed run is `python -m crawler.cli feed` in a process of its own; "
        "wall time from outside, interpreter start and connection included; peak RSS is the "
        "child's own (wait4).",
        "",
        "| feed run | changes | wall s | changes/s | peak RSS MB | output MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        rate = f"{run.per_second:,.0f}" if run.changes else "-"
        size = f"{run.size_mb:.1f}" if run.size_mb else "-"
        lines.append(f"| {run.label} | {run.changes:,} | {run.seconds:.2f} | {rate} | "
                     f"{run.rss_mb:.0f} | {size} |")
    rows, with_s, without_s = updated
    lines += ["", f"Recording the changes, measured on the store: {compared:,} more articles "
                  f"in alternate batches of {BATCH}, {on:,.0f} articles/s with the change "
                  f"triggers and {off:,.0f} without. Measured on SQL alone: one UPDATE of the "
                  f"tags of all {rows:,} articles (each row a 'refreshed' change), best of "
                  f"three, {with_s:.2f} s with the triggers and {without_s:.2f} s without, "
                  f"{(with_s - without_s) / rows * 1e6:,.0f} µs a changed row."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
