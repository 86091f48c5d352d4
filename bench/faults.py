"""Where every URL of a crawl goes, at the scale of a real archive: a generated mirror of 2,000
articles whose listings also link 100 bad URLs (404s, 500s, redirect loops, redirect chains
longer than Scrapy follows, redirects off the outlet, half of them to a live server that serves
an article). One `scrapy crawl japantoday` into a fresh database, as a user runs it.

The crawl's own row must account for each discovered article URL exactly once (article page,
304, failure by reason, redirect merged), off-site targets must never be fetched, and nothing
but the outlet's own URLs may be stored. Complements tests/test_crawl_accounting.py, which
checks every kind on the small sample site.

    python bench/faults.py [--articles 2000] [--bad 100] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not bench/: its incremental.py would shadow the package
from bench import results as results_file  # noqa: E402
from bench.incremental import FAST, NOW  # noqa: E402
from bench.search import database  # noqa: E402
from crawler.demo.server import SiteServer  # noqa: E402
from crawler.demo.site import ORIGIN, Page, SampleSite, article_path, generate_site  # noqa: E402
from crawler.outcome import (  # noqa: E402
    ARTICLE_PAGES,
    ARTICLE_REQUESTS,
    FAILED,
    NOT_MODIFIED,
    REDIRECT_MERGED,
)

SECTION = "faults"
KINDS = ("HTTP 404", "HTTP 500", "redirect loop", "too many redirects", "off-site redirect")


def spoil(site: SampleSite, bad: int, foreign: str) -> dict[str, int]:
    """Replace `bad` listed article pages by failures of every kind, in turn; returns how many
    of each kind a crawl must count."""
    expected = dict.fromkeys(KINDS, 0)
    for i, article in enumerate(site.articles[1::len(site.articles) // bad][:bad]):
        path = article_path(article)
        kind = KINDS[i % len(KINDS)]
        expected[kind] += 1
        if kind == "HTTP 404":
            del site.pages[path]
        elif kind == "HTTP 500":
            site.pages[path] = Page(b"<html>down</html>", status=500)
        elif kind == "redirect loop":
            site.pages[path] = Page.redirect(f"/loop/{i}", status=302)
            site.pages[f"/loop/{i}"] = Page.redirect(path, status=302)
        elif kind == "too many redirects":  # Scrapy's REDIRECT_MAX_TIMES is 20
            site.pages[path] = Page.redirect(f"/hop/{i}/0", status=302)
            for hop in range(25):
                site.pages[f"/hop/{i}/{hop}"] = Page.redirect(f"/hop/{i}/{hop + 1}", status=302)
        else:  # half to a live server that would serve an article, half nowhere
            target = f"{foreign}{path}" if i % 2 else "https://example.org/news/1"
            site.pages[path] = Page.redirect(target)
    return expected


@dataclass
class Outcome:
    discovered: int
    article_pages: int
    failed: dict[str, int]
    expected: dict[str, int]
    merged: int
    not_modified: int
    stored: int
    dropped: dict[str, int]
    foreign_requests: int
    off_outlet_rows: int
    seconds: float

    @property
    def accounted(self) -> int:
        return (self.article_pages + self.not_modified + sum(self.failed.values())
                + self.merged)


def run(articles: int, bad: int, server_url: str) -> Outcome:
    url = database(server_url, "jpnews_bench_faults", fresh=True)
    with SiteServer(generate_site(articles, NOW, seed=11)) as foreign:
        site = generate_site(articles, NOW, seed=3)
        expected = spoil(site, bad, foreign.base_url.replace("127.0.0.1", "localhost"))
        with SiteServer(site) as mirror:
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday", *FAST,
                 "-s", f"DATABASE_URL={url}", "-s", f"JPNEWS_NOW={NOW.isoformat()}",
                 "-s", "JPNEWS_BASE_URLS=" + json.dumps({"japantoday": mirror.base_url})],
                cwd=ROOT, capture_output=True, text=True, check=False)
            seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SystemExit(f"the crawl failed: {done.stderr[-2000:]}")
        foreign_requests = foreign.requests
    with psycopg.connect(url) as conn:
        stats, dropped, stored = conn.execute(
            "SELECT stats, dropped, articles_new FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        off_outlet = conn.execute(
            "SELECT count(*) FROM articles WHERE url NOT LIKE %s OR canonical_url NOT LIKE %s",
            (ORIGIN + "/%", ORIGIN + "/%")).fetchone()[0]
    return Outcome(
        discovered=stats.get(ARTICLE_REQUESTS, 0), article_pages=stats.get(ARTICLE_PAGES, 0),
        failed={k.removeprefix(FAILED): v for k, v in stats.items() if k.startswith(FAILED)},
        expected=expected, merged=stats.get(REDIRECT_MERGED, 0),
        not_modified=stats.get(f"{NOT_MODIFIED}/article", 0), stored=stored,
        dropped=dropped or {}, foreign_requests=foreign_requests, off_outlet_rows=off_outlet,
        seconds=seconds)


def render(articles: int, bad: int, o: Outcome) -> str:
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    lines = [f"One `scrapy crawl japantoday` of a generated mirror of {articles:,} articles "
             f"whose listings also link {bad} bad URLs; measured {day}.", "",
             "| count | crawl's row | expected |", "|---|---:|---:|",
             f"| article URLs discovered | {o.discovered:,} | {articles:,} |",
             f"| article pages fetched | {o.article_pages:,} | {articles - bad:,} |"]
    for kind in KINDS:
        lines.append(f"| failed: {kind} | {o.failed.get(kind, 0):,} | {o.expected[kind]:,} |")
    other = {k: v for k, v in o.failed.items() if k not in KINDS}
    for kind, n in sorted(other.items()):
        lines.append(f"| failed: {kind} | {n:,} | 0 |")
    lines += [f"| redirects merged | {o.merged:,} | 0 |",
              f"| 304 Not Modified | {o.not_modified:,} | 0 |",
              f"| **accounted for** | **{o.accounted:,}** | **{o.discovered:,}** |",
              f"| articles stored | {o.stored:,} | {articles - bad - sum(o.dropped.values()):,} |",
              f"| dropped by pipelines | {sum(o.dropped.values()):,} | - |",
              f"| requests to the off-site server | {o.foreign_requests:,} | 0 |",
              f"| stored rows not of the outlet | {o.off_outlet_rows:,} | 0 |",
              f"| wall s | {o.seconds:.1f} | - |"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--bad", type=int, default=100)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    outcome = run(args.articles, args.bad, args.server)
    report = render(args.articles, args.bad, outcome)
    print(report)
    if not args.no_write:
        results_file.write_section(SECTION, "Every URL counted, at scale (`bench/faults.py`)",
                                   report)
    ok = (outcome.accounted == outcome.discovered == args.articles
          and outcome.failed == {k: v for k, v in outcome.expected.items() if v}
          and outcome.foreign_requests == 0 and outcome.off_outlet_rows == 0)
    if not ok:
        print("faults: the crawl's counts do not add up (see the table)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
