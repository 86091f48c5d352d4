"""What a second crawl fetches: requests, article pages and 304s of repeated crawls of one site.

Crawls the hand-written sample site and a generated one (default 2,000 articles), each into a
fresh database, four times with `scrapy crawl japantoday` as a user runs it, the crawl's clock
injected (JPNEWS_NOW) so that the figures do not depend on the hour:

1. the first crawl;
2. ten minutes later, the same site: nothing is new and nothing reached a re-check age;
3. seven hours later, the same site: the articles that reached a re-check age (1, 6, 24 or 72 h
   after publication) are asked for again, conditionally;
4. `--full` at the same instant: everything listed, unconditionally, as before incremental
   crawls existed.

The server counts what it answered; the crawl_runs row gives the crawl's own counts.

    python bench/incremental.py [--articles 2000] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import results as results_file  # noqa: E402
from bench.search import database  # noqa: E402
from crawler.demo.server import SiteServer  # noqa: E402
from crawler.demo.site import SampleSite, build_sample_site, generate_site  # noqa: E402

SECTION = "incremental"
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS=32",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "JPNEWS_MAX_LISTING_PAGES=100000",
        "-s", "LOG_LEVEL=WARNING"]


@dataclass
class Crawl:
    label: str
    requests: int
    article_pages: int
    not_modified: int
    known_skipped: int
    rechecks_due: int
    new: int
    updated: int
    seconds: float


def crawl(site: SampleSite, server: SiteServer, url: str, label: str, now: datetime,
          *extra: str) -> Crawl:
    before = len(server.log)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday", *FAST,
         "-s", f"DATABASE_URL={url}", "-s", f"JPNEWS_NOW={now.isoformat()}",
         "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": server.base_url}), *extra],
        cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"{label}: crawl failed: {done.stderr[-2000:]}")
    with psycopg.connect(url) as conn:
        row = conn.execute(
            """SELECT article_pages, not_modified, known_skipped, rechecks_due, articles_new,
                      articles_updated FROM crawl_runs ORDER BY id DESC LIMIT 1""").fetchone()
    result = Crawl(label, len(server.log) - before, *row, seconds)
    print(f"  {label}: {result}", file=sys.stderr)
    return result


def crawls_of(name: str, site: SampleSite, server_url: str) -> list[Crawl]:
    url = database(server_url, "jpnews_bench_incremental", fresh=True)
    with SiteServer(site) as server:
        return [
            crawl(site, server, url, "first crawl", NOW),
            crawl(site, server, url, "10 min later", NOW + timedelta(minutes=10)),
            crawl(site, server, url, "7 h later", NOW + timedelta(hours=7)),
            crawl(site, server, url, "7 h later, --full", NOW + timedelta(hours=7),
                  "-s", "JPNEWS_FULL_CRAWL=1"),
        ]


def render(results: dict[str, list[Crawl]]) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [f"Repeated `scrapy crawl japantoday` of one site, the crawl's clock injected; "
             f"measured {day}.", "",
             "| site | crawl | requests | article pages fetched | 304 Not Modified | "
             "known articles not fetched | re-checks due | new | updated | wall s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for site, crawls in results.items():
        for c in crawls:
            lines.append(f"| {site} | {c.label} | {c.requests:,} | {c.article_pages:,} | "
                         f"{c.not_modified:,} | {c.known_skipped:,} | {c.rechecks_due:,} | "
                         f"{c.new:,} | {c.updated:,} | {c.seconds:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    sites = {
        "sample site (27 pages)": build_sample_site(NOW),
        f"generated site ({args.articles:,} articles)": generate_site(args.articles, NOW,
                                                                      seed=7),
    }
    results = {}
    for name, site in sites.items():
        print(name, file=sys.stderr)
        results[name] = crawls_of(name, site, args.server)
    report = render(results)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "Incremental crawls (`bench/incremental.py`)",
                                   report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
