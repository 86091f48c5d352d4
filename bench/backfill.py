"""Backfill throughput: pages/s of `jpnews backfill` over WARC files, with 1 and 2 processes.

Writes a generated site's article pages (default 2,000) into WARC files (default 4, gzipped,
as CC-NEWS ships them), then runs `jpnews backfill` as a user runs it, into a fresh database
each time, once per process count. Pages/s is pages read over the command's wall time, start
of the Python process to its summary (migrations checked, files read, everything stored).

    python bench/backfill.py [--articles 2000] [--files 4] [--processes 1,2] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.search import database  # noqa: E402
from crawler.demo.site import generate_site  # noqa: E402
from crawler.demo.warcs import article_paths, site_records, write_warc  # noqa: E402

SECTION = "backfill"
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)


@dataclass
class Run:
    processes: int
    pages: int
    stored: int
    seconds: float
    load: float
    """The machine's 1-minute load average as the run started (other sessions share it)."""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds


def write_files(folder: Path, articles: int, files: int) -> tuple[list[Path], int]:
    site = generate_site(articles, NOW, seed=7)
    pages = article_paths(site)
    paths = [write_warc(folder / f"part-{n}.warc.gz",
                        site_records(site, NOW + timedelta(hours=1), pages[n::files]))
             for n in range(files)]
    return paths, len(pages)


def run(paths: list[Path], processes: int, server: str) -> Run:
    url = database(server, "jpnews_bench_backfill", fresh=True)
    load = os.getloadavg()[0]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "backfill", *map(str, paths),
         "--processes", str(processes), "--database-url", url],
        cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"the backfill failed: {done.stderr[-2000:]}")
    pages = int(re.search(r"(\d+) pages read", done.stdout).group(1))
    with psycopg.connect(url) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return Run(processes, pages, stored, seconds, load)


def render(articles: int, files: int, size: int, runs: list[Run]) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    one = runs[0].rate
    lines = [f"`jpnews backfill` of {articles:,} generated article pages in {files} gzipped "
             f"WARC files ({size / 1e6:.1f} MB), each run into a fresh database; raw pages "
             f"kept, dedup on; measured {day} on this machine (2 cores shared with Postgres "
             "and other sessions).", "",
             "| processes | pages read | articles stored | wall s | pages/s | per process | "
             "vs 1 process | load before |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r.processes} | {r.pages:,} | {r.stored:,} | {r.seconds:.1f} | "
                     f"{r.rate:.0f} | {r.rate / r.processes:.0f} | {r.rate / one:.2f}× | "
                     f"{r.load:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jpnews-bench-warc-") as folder:
        paths, pages = write_files(Path(folder), args.articles, args.files)
        size = sum(p.stat().st_size for p in paths)
        runs = [run(paths, int(n), args.server) for n in args.processes.split(",")]
    report = render(args.articles, args.files, size, runs)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "WARC backfill (`bench/backfill.py`)", report)
    ok = all(r.pages == pages and r.stored == args.articles for r in runs)
    if not ok:
        print("backfill: pages read or articles stored differ from the files' pages",
              file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
