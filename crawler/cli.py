"""The `jpnews` command: demo, crawl, extract, search, export, import, backfill, feed, forget,
sources, db.

Failures the user can act on are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg

from crawler.normalize import Rejected
from crawler.present import card
from crawler.storage.db import DatabaseUnavailable

EXIT_ERROR = 1
EXIT_USAGE = 2


class UserError(Exception):
    """A problem the user can fix; shown as one line."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    # these log via Scrapy
    if args.handler not in (cmd_demo, cmd_crawl, cmd_reparse, cmd_import, cmd_backfill):
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args) or 0)
    except (UserError, DatabaseUnavailable) as exc:
        print(f"jpnews: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (psycopg.OperationalError, psycopg.errors.InsufficientPrivilege,
            psycopg.errors.ReadOnlySqlTransaction) as exc:
        # The server went away mid-command, timed out, ran out of room or refused a statement
        # to this user. Any other database error is a bug of jpnews: its traceback stays.
        print(f"jpnews: error: database: {_first_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("jpnews: interrupted", file=sys.stderr)
        return 130


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jpnews", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(metavar="COMMAND")

    demo = commands.add_parser("demo", help="crawl a sample Japan Today site served on loopback "
                               "into Postgres and show what landed")
    demo.add_argument("--database-url", help="default: DATABASE_URL, else the embedded Postgres")
    demo.set_defaults(handler=cmd_demo)

    crawl = commands.add_parser(
        "crawl", help="crawl outlets (all, a group, or a list of ids), once or --every so often",
        description="Without --every: one crawl of each outlet, then exit (0; 1 when an outlet "
                    "fetched nothing; 3 when every outlet was skipped, already being crawled). "
                    "With --every: crawl each outlet whenever its interval has passed since its "
                    "last run started (runs of any process count, so a restart crawls only what "
                    "is due), until SIGTERM or Ctrl-C; then the crawls in flight store their "
                    "batch, their runs are recorded as 'interrupted', and the command exits 0.")
    crawl.add_argument("outlets", nargs="*", help="outlet ids or group names; default: all")
    crawl.add_argument("--base-url", action="append", default=[], metavar="ID=URL",
                       help="fetch an outlet from a mirror at URL (repeatable)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="a Scrapy setting for this run (repeatable)")
    crawl.add_argument("--every", action="append", default=[],
                       metavar="INTERVAL|OUTLET=INTERVAL|default",
                       help="run until stopped: 'default' crawls each outlet at its own interval "
                            "(`jpnews sources` lists them: 15m for dailies and wires, longer for "
                            "slower outlets); an INTERVAL (90s, 15m, 2h, 1d, 1h30m; m is "
                            "minutes) sets one for every outlet; OUTLET=INTERVAL one outlet's or "
                            "group's, over the others (repeatable: --every 30m "
                            "--every japantoday=10m)")
    crawl.add_argument("--parallel", type=int, metavar="N",
                       help="with --every: crawls running at once, each a process of its own "
                            "(default 4)")
    crawl.add_argument("--grace", metavar="INTERVAL",
                       help="with --every: how long a stop waits for downloads in flight before "
                            "the crawls stop at once, still storing what they fetched "
                            "(default 5s)")
    crawl.add_argument("--database-url")
    crawl.add_argument("--resume", action="store_true",
                       help="keep each outlet's pending requests in a job directory under the "
                       "data folder (Scrapy's JOBDIR), and go on with a crawl that was stopped "
                       "or killed; stored articles are never fetched again")
    crawl.add_argument("--full", action="store_true",
                       help="fetch every listed article again, unconditionally; by default a "
                       "crawl fetches new articles and those due for a re-check only")
    crawl.add_argument("--redis", metavar="URL",
                       help="share each outlet's request queue and seen-set with every crawler "
                       "process given the same Redis (redis://HOST:6379/0), on this host or "
                       "others; default: JPNEWS_REDIS_URL, else none")
    crawl.add_argument("--workers", type=int, metavar="N",
                       help="with --redis: start N crawler processes here on the one frontier")
    crawl.set_defaults(handler=cmd_crawl)

    extract = commands.add_parser("extract", help="print the article of saved pages as JSON",
                                  usage="%(prog)s --url URL FILE | --list PAGES.tsv")
    extract.add_argument("file", nargs="?", type=Path, help="a saved page (.html or .html.gz)")
    extract.add_argument("--url", help="the page's URL, required with FILE (it chooses the "
                         "outlet's parser)")
    extract.add_argument("--list", type=Path, metavar="PAGES.tsv",
                         help="lines of URL<TAB>PATH: one JSON line per page")
    extract.add_argument("--crawled-at", help="ISO time the page was fetched (default: now); "
                         "relative dates are read against it")
    extract.set_defaults(handler=cmd_extract)

    search = commands.add_parser(
        "search", help='full-text search, English and Japanese; "quoted words" match exactly',
        description='Words are ANDed; "a phrase" matches exactly; OR joins alternatives; '
                    '-word and -"a phrase" exclude. Japanese words match as substrings '
                    '(東京都 finds 東京都庁). Quote the whole query for the shell: '
                    "jpnews search '\"heavy rain\" Kyushu'.")
    search.add_argument("query", nargs="+", help="the query; a leading -word needs `--` first")
    search.add_argument("--since", help="not older than: 24h, 3d, 2w, 6m, 1y (the default), "
                        "an ISO date, or 'any'")
    search.add_argument("--from", dest="date_from", metavar="DATE", help="from this ISO date")
    search.add_argument("--to", dest="date_to", metavar="DATE",
                        help="up to and including this ISO date")
    search.add_argument("--source", action="append", default=[], help="outlet id (repeatable)")
    search.add_argument("--group", help="source group, e.g. media-jepang")
    search.add_argument("--lang", help="article language: en, ja")
    search.add_argument("--agency", action="append", default=[],
                        help="credited agency: KYODO, JIJI, AFP, REUTERS, AP, ... (repeatable)")
    search.add_argument("--sort", choices=("relevance", "newest"), default="relevance",
                        help="relevance with a recency boost (default), or newest first")
    search.add_argument("--all-copies", action="store_true",
                        help="every matching article, not one per story")
    search.add_argument("--limit", default="10", help="results per page (1-100, default 10)")
    search.add_argument("--offset", default="0", help="results to skip (paging)")
    search.add_argument("--facets", action="store_true",
                        help="also count the matches per outlet and per day")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.add_argument("--database-url")
    search.set_defaults(handler=cmd_search)

    web = commands.add_parser("web", help="serve the search page and its JSON API")
    web.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1: this machine only)")
    web.add_argument("--port", type=int, default=8080, help="default 8080")
    web.add_argument("--database-url")
    web.set_defaults(handler=cmd_web)

    reparse = commands.add_parser("reparse", help="rebuild articles from stored raw pages with "
                                  "the current parsers, and report what changed")
    reparse.add_argument("--source", help="only this outlet's pages")
    reparse.add_argument("--since", help="only pages fetched since: 3d, 2w, 6m, 1y or an ISO date")
    reparse.add_argument("--database-url")
    reparse.set_defaults(handler=cmd_reparse)

    dump = commands.add_parser(
        "export", help="write stored articles as JSON lines, CSV or Parquet",
        description="Every field of the article schema, plus id, story_id, version, "
                    "first_seen_at and updated_at. The output appears under its name only "
                    "when complete.")
    dump.add_argument("--format", required=True, choices=("jsonl", "csv", "parquet"))
    dump.add_argument("-o", "--output", default="-", metavar="PATH",
                      help="a file (.gz or .zst compresses JSON lines and CSV), a folder with "
                           "--partition-by, or - for standard output (the default; not for "
                           "Parquet)")
    dump.add_argument("--source", action="append", default=[], help="outlet id (repeatable)")
    dump.add_argument("--group", help="source group, e.g. media-jepang")
    dump.add_argument("--lang", help="article language: en, ja")
    dump.add_argument("--since", metavar="DATE",
                      help="published on or after: an ISO date, or 3d, 2w, 6m, 1y")
    dump.add_argument("--until", metavar="DATE",
                      help="published up to and including this ISO date")
    dump.add_argument("--query", help="only articles matching a query of `jpnews search`")
    dump.add_argument("--partition-by", choices=("day", "month"),
                      help="Parquet only: Hive-style folders by publication date (UTC)")
    dump.add_argument("--database-url")
    dump.set_defaults(handler=cmd_export)

    load = commands.add_parser("import", help="load articles in the schema's JSON form "
                               "(JSON lines, gzipped, zstd or not) or a Parquet dump (a file or "
                               "a folder) through normalise, dedup and store")
    load.add_argument("file", type=Path, help="a dump of `jpnews export`")
    load.add_argument("--allow-rejects", action="store_true",
                      help="exit 0 even when records were rejected (by default any rejected "
                           "record exits 1); a file that is unreadable or breaks off exits 1 "
                           "either way, after storing the records before the break")
    load.add_argument("--database-url")
    load.set_defaults(handler=cmd_import)

    backfill = commands.add_parser(
        "backfill", help="read pages of web archives (WARC files, e.g. Common Crawl's "
                         "CC-NEWS) through the crawl's parsers, dedup and store",
        description="Each response record of a registered outlet's article URL (or, with "
                    "--any-outlet, every HTML page) is parsed, kept as a raw page and stored "
                    "as an article dated by its WARC-Date; an older capture never replaces a "
                    "newer one. Other records are counted and skipped with their reason.")
    backfill.add_argument("files", nargs="+", type=Path, metavar="FILE",
                          help="WARC files (.warc or .warc.gz)")
    chosen = backfill.add_mutually_exclusive_group()
    chosen.add_argument("--outlets", help="only these outlets: ids or groups, comma-separated "
                                          "(default: every registered outlet)")
    chosen.add_argument("--any-outlet", action="store_true",
                        help="every HTML page, by the generic extractor where no outlet's "
                             "parser applies")
    backfill.add_argument("--processes", type=int, default=1,
                          help="files read in parallel by this many processes (default 1)")
    backfill.add_argument("--database-url")
    backfill.add_argument("--tally", type=Path, help=argparse.SUPPRESS)
    backfill.set_defaults(handler=cmd_backfill)

    feed = commands.add_parser(
        "feed", help="write every article change since a consumer's last run into a folder "
                     "(Parquet or JSON lines, with a manifest per batch)",
        description="Changes: new, updated (a new text), refreshed (other fields), story (a "
                    "new story cluster), removed. Each consumer (a warehouse, a loader) has a "
                    "position kept in Postgres; it moves only once a batch is completely "
                    "written, so a run that fails is written again by the next run.")
    feed.add_argument("--consumer", metavar="NAME", help="whose changes: letters, digits, "
                      "'.', '_', '-'")
    feed.add_argument("-o", "--output", type=Path, metavar="DIR",
                      help="the folder the batches go to (created if missing)")
    feed.add_argument("--format", choices=("parquet", "jsonl"), default="parquet",
                      help="default parquet")
    feed.add_argument("--create", action="store_true",
                      help="start the consumer if it does not exist yet (from the first change)")
    feed.add_argument("--from-start", action="store_true",
                      help="give every change again, from the first")
    feed.add_argument("--reset", action="store_true",
                      help="move the consumer past every change there is now, writing nothing")
    feed.add_argument("--list", action="store_true",
                      help="the consumers, their positions and how far behind they are")
    feed.add_argument("--batch-size", type=int, default=100_000, metavar="CHANGES",
                      help="changes per batch file (default 100,000)")
    feed.add_argument("--database-url")
    feed.set_defaults(handler=cmd_feed)

    forget = commands.add_parser(
        "forget", help="take an article down (takedown or legal request): delete its text, "
                       "versions and raw pages, keep a tombstone that keeps its URL out",
        description="The article leaves search, exports and the database; the feed gives a "
                    "'removed' change; crawls and imports skip the URL until --undo.")
    forget.add_argument("url", nargs="?", help="the article's URL (any spelling of it)")
    forget.add_argument("--reason", help="why (kept with the tombstone); required")
    forget.add_argument("--undo", action="store_true",
                        help="lift the tombstone: the URL may be stored again (nothing comes "
                             "back by itself)")
    forget.add_argument("--list", action="store_true", help="the tombstones, newest first")
    forget.add_argument("--database-url")
    forget.set_defaults(handler=cmd_forget)

    clusters = commands.add_parser("clusters", help="story clusters of two or more articles")
    clusters.add_argument("--source", help="clusters with a member from this outlet")
    clusters.add_argument("--since", help="clusters with a member published since: 3d, 2w, 6m, "
                          "1y or an ISO date")
    clusters.add_argument("--limit", type=int, default=50, help="default 50")
    clusters.add_argument("--json", action="store_true", help="one JSON array")
    clusters.add_argument("--database-url")
    clusters.set_defaults(handler=cmd_clusters)

    health = commands.add_parser(
        "health", help="per outlet, ok / warning / broken from the crawl history; exit status "
        "0 / 1 / 2 is the worst verdict (outlets never crawled do not count)")
    health.add_argument("--json", action="store_true", help="one JSON object per outlet")
    health.add_argument("--prometheus", action="store_true",
                        help="the Prometheus text exposition format")
    health.add_argument("--database-url")
    health.set_defaults(handler=cmd_health)

    sources = commands.add_parser("sources", help="list the outlets jpnews knows")
    sources.set_defaults(handler=cmd_sources)

    db = commands.add_parser("db", help="database commands")
    db_commands = db.add_subparsers(metavar="ACTION")
    status = db_commands.add_parser("status", help="where the database is and what it holds")
    status.add_argument("--database-url")
    status.set_defaults(handler=cmd_db_status)
    url = db_commands.add_parser("url", help="the database's URL, for psql and other clients "
                                 "(starts the embedded server if it is used and stopped)")
    url.add_argument("--database-url")
    url.set_defaults(handler=cmd_db_url)
    stop = db_commands.add_parser("stop", help="stop the embedded server (it keeps running "
                                  "between commands; the next command starts it again)")
    stop.add_argument("--database-url", help="if given (or DATABASE_URL is set), there is no "
                      "embedded server to stop")
    stop.set_defaults(handler=cmd_db_stop)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jpnews")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


# ---- demo and crawl ------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.server import SiteServer
    from crawler.demo.site import build_sample_site
    from crawler.runner import run_crawl
    from crawler.storage.db import describe, prepare

    url = prepare(args.database_url)
    print(f"database: {describe(url)}")
    site = build_sample_site(_demo_epoch())
    with SiteServer(site) as server:
        print(f"sample Japan Today site ({len(site.articles)} articles) at {server.base_url}")
        stats = run_crawl(["japantoday"], {
            "DATABASE_URL": url,
            "JPNEWS_BASE_URLS": {"japantoday": server.base_url},
            "JPNEWS_MAX_LISTING_PAGES": 10,
            # A loopback server needs no pauses; robots.txt and AutoThrottle stay on.
            "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_TIMEOUT": 10,
            "JPNEWS_PROGRESS": True, "LOG_LEVEL": "WARNING",
            "EXTENSIONS": {"crawler.progress.ProgressReporter": 500},
        })["japantoday"].stats.get_stats()
    show_run(url, stats)
    return 0


def _demo_epoch() -> datetime:
    """The sample site's "now", fixed at the first demo run: a re-run then serves the very same
    site (and stores nothing new), while its articles age as real ones do."""
    from crawler.storage.embedded import data_dir

    marker = data_dir() / "demo-site-epoch"
    try:
        return datetime.fromisoformat(marker.read_text().strip())
    except (OSError, ValueError):
        epoch = datetime.now(timezone.utc).replace(microsecond=0)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(epoch.isoformat())
        return epoch


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.outcome import EXIT_SKIPPED, SKIPPED, spill_note, why_failed
    from crawler.runner import run_crawl
    from crawler.sources import sources_in
    from crawler.storage.db import prepare

    try:
        chosen = sources_in(args.outlets)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    mirrors = dict(_pairs(args.base_url, "--base-url"))
    overrides: dict[str, Any] = dict(_pairs(args.set, "-s"))
    redis_url = _redis_url(args, overrides)
    if args.every:
        if args.workers is not None:
            raise UserError("--workers goes with one crawl, not --every (start --every on "
                            "several hosts with the same --redis instead)")
        return _crawl_every(args, chosen, mirrors, overrides)
    if args.parallel is not None or args.grace is not None:
        raise UserError("--parallel and --grace go with --every")
    url = prepare(args.database_url or overrides.get("DATABASE_URL"))
    if args.workers is not None:
        from crawler.workers import run_workers

        return run_workers(_crawl_line(args, [s.id for s in chosen], mirrors, url),
                           args.workers)
    if redis_url:
        from crawler.frontier import redis_settings

        overrides.update(redis_settings(redis_url))
    overrides.update({"DATABASE_URL": url, "JPNEWS_PROGRESS": True,
                      "EXTENSIONS": {"crawler.progress.ProgressReporter": 500}})
    if mirrors:
        overrides["JPNEWS_BASE_URLS"] = mirrors
    if args.full:
        overrides["JPNEWS_FULL_CRAWL"] = True
    overrides.setdefault("LOG_LEVEL", "WARNING")
    per_spider = {}
    if args.resume:
        from crawler.jobs import job_dir

        per_spider = {s.id: {"JOBDIR": str(job_dir(s.id))} for s in chosen}
    failed, spilled, skipped = [], [], 0
    crawlers = run_crawl([s.id for s in chosen], overrides, per_spider)
    for name, crawler in crawlers.items():
        stats = crawler.stats.get_stats()
        if stats.get(SKIPPED):  # another run holds the outlet's lock (crawler/storage/lock.py)
            print(stats[SKIPPED])
            skipped += 1
            continue
        if note := spill_note(stats):  # the database is likely still down: say so last
            spilled.append(f"{name}: {note}")
        try:
            show_run(url, stats, articles=3)
        except (DatabaseUnavailable, psycopg.OperationalError) as exc:
            if not note:
                raise
            print(f"jpnews: error: {name}: cannot show the run: database: {_first_line(exc)}",
                  file=sys.stderr)
        if why := why_failed(stats):
            failed.append(f"{name}: {why}")
    for line in failed:  # an outlet that fetched nothing is a failed crawl (README, Crawling)
        print(f"jpnews: error: crawl failed: {line}", file=sys.stderr)
    for line in spilled:  # articles left outside the database: where they are, last
        print(f"jpnews: error: {line}", file=sys.stderr)
    if failed or spilled:
        return EXIT_ERROR
    return EXIT_SKIPPED if skipped == len(crawlers) else 0


def _crawl_every(args: argparse.Namespace, chosen: list[Any], mirrors: dict[str, str],
                 overrides: dict[str, Any]) -> int:
    """The scheduler (crawler/scheduler.py): each crawl a `jpnews crawl OUTLET` of its own,
    given the same database, mirror and settings."""
    from crawler.schedule import Plan, ScheduleError, intervals
    from crawler.scheduler import GRACE, Scheduler
    from crawler.storage.db import prepare
    from crawler.window import WindowError, parse_every

    try:
        minimum = parse_every(os.environ.get("JPNEWS_MIN_CRAWL_EVERY", "1m"))
    except WindowError as exc:
        raise UserError(f"JPNEWS_MIN_CRAWL_EVERY: {exc}") from None
    try:
        grace = parse_every(args.grace) if args.grace else GRACE
    except WindowError as exc:
        raise UserError(f"--grace: {exc}") from None
    try:
        plan = Plan.of(chosen, intervals(chosen, args.every, minimum),
                       4 if args.parallel is None else args.parallel)
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    url = prepare(args.database_url or overrides.get("DATABASE_URL"))
    return Scheduler(plan, url, lambda outlet: _crawl_line(args, [outlet], mirrors, url),
                     grace=grace).run()


def _redis_url(args: argparse.Namespace, overrides: dict[str, Any]) -> str | None:
    """--redis, else JPNEWS_REDIS_URL (-s or the environment): checked to answer now, so that
    a crawl never starts on a frontier that is not there."""
    from crawler.frontier import FrontierUnavailable, connect

    url = args.redis or overrides.get("JPNEWS_REDIS_URL") or os.environ.get("JPNEWS_REDIS_URL")
    if args.workers is not None and (args.workers < 1 or not url):
        raise UserError("--workers N needs N >= 1 and --redis URL (or JPNEWS_REDIS_URL)")
    if not url:
        return None
    if args.resume:
        raise UserError("--resume and --redis: the Redis frontier keeps the pending requests "
                        "itself")
    try:
        connect(url).close()
    except FrontierUnavailable as exc:
        raise UserError(str(exc)) from None
    args.redis = url
    return url


def _crawl_line(args: argparse.Namespace, outlets: list[str], mirrors: dict[str, str],
                url: str) -> list[str]:
    """The command of one crawl of `outlets` in a process of its own, with this command's
    database, mirrors, settings and flags (the --every scheduler's runs, --workers' workers)."""
    line = [sys.executable, "-m", "crawler.cli", "crawl", *outlets, "--database-url", url]
    for outlet in outlets:
        if outlet in mirrors:
            line += ["--base-url", f"{outlet}={mirrors[outlet]}"]
    for item in args.set:
        line += ["-s", item]
    line += [flag for flag, given in (("--resume", args.resume), ("--full", args.full))
             if given]
    if args.redis:
        line += ["--redis", args.redis]
    return line


def cmd_reparse(args: argparse.Namespace) -> int:
    from crawler.reparse import ReparseSpider
    from crawler.runner import run_crawl
    from crawler.sources import SOURCES
    from crawler.storage.db import connect, prepare

    if args.source and args.source not in SOURCES:
        raise UserError(f"unknown outlet: {args.source!r} (see `jpnews sources`)")
    since = _since(args.since)
    url = prepare(args.database_url)
    stats = run_crawl([ReparseSpider], {
        "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "JPNEWS_PROGRESS": True,
        "EXTENSIONS": {"crawler.progress.ProgressReporter": 500}},
        database_url=url, source=args.source, since=since)["reparse"].stats.get_stats()
    print(f"re-parsed {stats.get('jpnews/reparse/pages', 0)} stored pages")
    show_run(url, stats, articles=0)
    with connect(url) as conn:
        changed = conn.execute(
            """SELECT a.version, a.canonical_url, a.title FROM articles a
               JOIN crawl_runs r ON r.id = a.crawl_run_id
               WHERE r.id = %s ORDER BY a.id LIMIT 20""",
            (stats.get("jpnews/crawl_run_id"),)).fetchall()
    for version, canonical_url, title in changed:
        print(f"  changed: v{version} {title} <{canonical_url}>")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from crawler.dumps.reader import DumpError, check
    from crawler.importer import ImportSpider
    from crawler.runner import project_settings, run_crawl
    from crawler.storage.db import prepare

    max_line = project_settings().getint("JPNEWS_IMPORT_MAX_LINE")
    try:
        check(args.file, max_line=max_line)
    except DumpError as exc:
        raise UserError(str(exc)) from None
    url = prepare(args.database_url)
    crawler = run_crawl([ImportSpider], {
        "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "JPNEWS_PROGRESS": True,
        "EXTENSIONS": {"crawler.progress.ProgressReporter": 500}}, path=args.file)["import"]
    stats = crawler.stats.get_stats()
    spider = crawler.spider
    assert isinstance(spider, ImportSpider)
    new_duplicates = stats.get("jpnews/articles/new_duplicates", 0)
    duplicates = stats.get("jpnews/articles/duplicates", 0)
    # One partition of the records, so that the counts add up: a new article that joined
    # another's story counts as a duplicate, not as new; likewise a new text of a stored one.
    counts = {
        "new": stats.get("jpnews/articles/new", 0) - new_duplicates,
        "updated": stats.get("jpnews/articles/updated", 0) - (duplicates - new_duplicates),
        "refreshed": stats.get("jpnews/articles/refreshed", 0),
        "unchanged": stats.get("jpnews/articles/unchanged", 0),
        "duplicate (joined a story)": duplicates,
        "repeated (URL already in this file)": spider.repeated,
        "forgotten (taken down, not stored)": stats.get("jpnews/articles/forgotten", 0),
        "rejected": len(spider.rejected)}
    spilled = stats.get("jpnews/store/spilled", 0)
    if spilled:
        counts["not stored (saved to the spill file)"] = spilled
    records = stats.get("jpnews/import/records", 0)
    print(f"{args.file}: {records} records: "
          + ", ".join(f"{count} {name}" for name, count in counts.items()))
    for line in spider.rejected.lines():
        print(line)
    if sum(counts.values()) != records:  # a record the summary does not account for
        raise UserError(f"{args.file}: {records} records read but "
                        f"{sum(counts.values())} accounted for")
    if spider.failure:
        raise UserError(f"{spider.failure} ({records} records read before it, counted above)")
    if spider.rejected and not args.allow_rejects:
        raise UserError(f"{args.file}: {len(spider.rejected)} records rejected "
                        "(--allow-rejects to accept)")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from crawler.backfill import BackfillSpider, run_parallel, summary, tally
    from crawler.runner import run_crawl
    from crawler.sources import sources_in
    from crawler.storage.db import prepare
    from crawler.warc import WarcError, check

    if args.processes < 1:
        raise UserError("--processes must be 1 or more")
    try:
        outlets = [s.id for s in sources_in(args.outlets.split(","))] if args.outlets else []
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    for path in args.files:  # refused before anything is stored, not half way through
        try:
            check(path)
        except WarcError as exc:
            raise UserError(str(exc)) from None
    url = prepare(args.database_url)
    if args.processes > 1 and len(args.files) > 1:
        child = ["--database-url", url, *(["--outlets", ",".join(outlets)] if outlets else []),
                 *(["--any-outlet"] if args.any_outlet else [])]
        try:
            counts = run_parallel(args.files, args.processes, child)
        except RuntimeError as exc:
            raise UserError(str(exc)) from None
    else:
        crawler = run_crawl([BackfillSpider], {
            "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "JPNEWS_PROGRESS": True,
            "EXTENSIONS": {"crawler.progress.ProgressReporter": 500}},
            paths=args.files, outlets=outlets, any_outlet=args.any_outlet)["backfill"]
        counts = tally(crawler.stats.get_stats())
        if args.tally:  # a process of a parallel backfill: its parent prints the summary
            args.tally.write_text(json.dumps(counts))
            return 0
    for line in summary(counts, len(args.files)):
        print(line)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from crawler.dumps.export import ExportRequest, check, export
    from crawler.dumps.output import OutputError
    from crawler.dumps.selection import Selection, SelectionError
    from crawler.storage.db import session

    until = _instant(args.until, end_of_day=True) if args.until else None
    selection = Selection(
        sources=tuple(s.strip().lower() for s in args.source if s.strip()),
        group=(args.group or "").strip().lower() or None,
        language=(args.lang or "").strip().lower() or None,
        since=_since(args.since), until=until, query=args.query)
    output = None if args.output == "-" else Path(args.output)
    request = ExportRequest(format=args.format, output=output, selection=selection,
                            partition_by=args.partition_by)
    # Progress goes to a terminal only, and not when the dump itself is printed on it.
    progress = sys.stderr.isatty() and not (output is None and sys.stdout.isatty())
    previous = signal.signal(signal.SIGTERM, _terminated)  # unwind: the partial file goes
    try:
        check(request)
        with session(args.database_url) as conn:
            result = export(conn, request, progress=progress)
    except (OutputError, SelectionError) as exc:
        raise UserError(str(exc)) from None
    except BrokenPipeError:
        # The reader went away (`jpnews export ... | head`): nothing to say, and Python must
        # not complain at exit about flushing a stdout nobody reads.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    finally:
        signal.signal(signal.SIGTERM, previous)
    for note in result.notes:
        print(f"jpnews: note: {note}", file=sys.stderr)
    return 0


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def cmd_feed(args: argparse.Namespace) -> int:
    from crawler.dumps.output import OutputError
    from crawler.storage.feed import FeedError

    try:
        return _feed(args)
    except (FeedError, OutputError) as exc:
        raise UserError(str(exc)) from None


def _feed(args: argparse.Namespace) -> int:
    from crawler.dumps.feed import FeedRequest, run
    from crawler.storage import feed as state
    from crawler.storage.db import session

    if args.list:
        if args.reset or args.from_start or args.create or args.output:
            raise UserError("--list only lists (with --consumer: that consumer)")
        with session(args.database_url) as conn:
            if args.consumer:
                state.require_consumer(conn, args.consumer)
            _print_consumers(state.statuses(conn), state.blocker(conn), args.consumer)
        return 0
    if not args.consumer:
        raise UserError("feed needs --consumer NAME (see `jpnews feed --list`)")
    if args.reset:
        if args.from_start or args.output:
            raise UserError("--reset moves the position and writes nothing: no --output, "
                            "no --from-start")
        with session(args.database_url) as conn:
            consumer = state.require_consumer(conn, args.consumer)
            position, skipped = state.skip_to_head(conn, consumer.name)
        print(f"{consumer.name}: position {state.label(consumer.position)} -> "
              f"{state.label(position)} ({_plural(skipped, 'change')} skipped)")
        return 0
    if args.output is None:
        raise UserError("feed needs --output DIR (or --list, or --reset)")
    request = FeedRequest(consumer=args.consumer, output=args.output, format=args.format,
                          create=args.create, from_start=args.from_start,
                          batch_changes=args.batch_size)
    previous = signal.signal(signal.SIGTERM, _terminated)  # unwind: temporary files go
    try:
        with session(args.database_url) as conn:
            result = run(conn, request)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if result.created:
        print(f"{result.consumer}: new consumer, from the first change")
    for batch in result.batches:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in batch.changes.items() if n)
        print(f"{result.consumer}: {batch.data.name}: {_plural(batch.rows, 'change')} "
              f"({kinds})")
    if not result.batches:
        print(f"{result.consumer}: no new changes")
    note = f", {_plural(result.waiting, 'change')} waiting for older transactions to end" \
        if result.waiting else ""
    print(f"{result.consumer}: position {state.label(result.position)}{note}")
    return 0


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _print_consumers(statuses: list[Any], blocker: Any, only: str | None) -> None:
    from crawler.present import relative_time
    from crawler.storage.feed import label

    shown = [s for s in statuses if only is None or s.consumer.name == only]
    if not shown:
        print("no feed consumers yet: `jpnews feed --consumer NAME --output DIR --create` "
              "starts one", file=sys.stderr)
        return
    now = datetime.now(timezone.utc)
    rows = [("consumer", "position", "behind", "ready", "lag", "moved", "created")]
    for status in shown:
        consumer = status.consumer
        pending = f" (batch to {label(consumer.pending)} unfinished)" \
            if consumer.pending is not None else ""
        rows.append((consumer.name, label(consumer.position) + pending,
                     f"{status.behind:,}", f"{status.ready:,}", _duration(status.lag),
                     relative_time(consumer.updated_at, now)
                     if consumer.updated_at > consumer.created_at else "never",
                     f"{consumer.created_at:%Y-%m-%d %H:%M}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
              .rstrip())
    if blocker is not None and any(s.behind > s.ready for s in shown):
        facts = [f"pid {blocker.pid}" if blocker.pid else "prepared",
                 f"database {blocker.database}"]
        if blocker.since:
            facts.append(f"open since {blocker.since:%Y-%m-%d %H:%M:%S %Z}")
        print(f"changes not ready wait for transaction {blocker.xid} ({', '.join(facts)}) "
              "to end")


def _duration(value: Any) -> str:
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h {seconds % 3600 // 60}m"
    return f"{seconds // 86400}d {seconds % 86400 // 3600}h"


def cmd_forget(args: argparse.Namespace) -> int:
    from crawler.storage.db import session
    from crawler.storage.forget import forget, tombstones, undo

    if args.list:
        with session(args.database_url) as conn:
            found = tombstones(conn)
        if not found:
            print("nothing has been forgotten", file=sys.stderr)
        for stone in found:
            former = f" (article {stone.article_id})" if stone.article_id else ""
            print(f"{stone.forgotten_at:%Y-%m-%d %H:%M} {stone.canonical_url}{former}: "
                  f"{stone.reason}")
        return 0
    if not args.url:
        raise UserError("forget needs a URL (or --list)")
    if args.undo:
        with session(args.database_url) as conn:
            lifted = undo(conn, args.url)
        if not lifted:
            raise UserError(f"nothing forgotten under {args.url} (see `jpnews forget --list`)")
        for canonical in lifted:
            print(f"{canonical}: tombstone lifted; the next crawl or import may store it again")
        return 0
    reason = (args.reason or "").strip()
    if not reason:
        raise UserError("forget needs --reason TEXT (kept with the tombstone)")
    if not args.url.startswith(("http://", "https://")):
        raise UserError(f"not a web address: {args.url!r}")
    with session(args.database_url) as conn:
        done = forget(conn, args.url, reason)
    if done.article_id is None:
        print(f"{done.canonical_url}: no article stored under it; tombstone kept, so none "
              f"will be ({_plural(done.raw_pages, 'raw page')} deleted)")
    else:
        print(f"{done.canonical_url}: article {done.article_id} forgotten: "
              f"{_plural(done.versions, 'version')}, {_plural(done.raw_pages, 'raw page')} "
              "deleted; tombstone kept")
    return 0


def cmd_clusters(args: argparse.Namespace) -> int:
    from crawler.fingerprint import similarity
    from crawler.storage.db import session
    from crawler.storage.search import unknown_values

    if args.limit < 1:
        raise UserError(f"--limit must be 1 or more, not {args.limit}")
    since = _since(args.since)
    with session(args.database_url) as conn:
        if args.source and unknown_values(conn, "source", [args.source]):
            raise UserError(f"unknown outlet: {args.source!r} (see `jpnews sources`)")
        stories = conn.execute(
            """SELECT s.id, s.representative_id FROM stories s
               WHERE s.members > 1
                 AND (%(source)s::text IS NULL OR EXISTS (SELECT 1 FROM articles a
                      WHERE a.story_id = s.id AND a.source = %(source)s))
                 AND (%(since)s::timestamptz IS NULL OR EXISTS (SELECT 1 FROM articles a
                      WHERE a.story_id = s.id AND a.published_at >= %(since)s))
               ORDER BY s.updated_at DESC, s.id DESC LIMIT %(limit)s""",
            {"source": args.source, "since": since, "limit": args.limit}).fetchall()
        members = conn.execute(
            """SELECT a.story_id, a.id, a.source, a.url, a.canonical_url, a.published_at,
                      a.minhash, a.title, m.match
               FROM articles a JOIN story_members m ON m.article_id = a.id
               WHERE a.story_id = ANY(%s)
               ORDER BY a.published_at NULLS LAST, a.id""",
            ([story_id for story_id, _ in stories],)).fetchall()
    by_story: dict[int, list[tuple[Any, ...]]] = {}
    for row in members:
        by_story.setdefault(row[0], []).append(row)
    out = []
    for story_id, representative in stories:
        rows = by_story.get(story_id, [])
        head = next((r for r in rows if r[1] == representative), rows[0] if rows else None)
        if head is None:
            continue
        out.append({"story_id": story_id, "representative": head[1], "members": [
            {"article_id": r[1], "source": r[2], "url": r[3], "canonical_url": r[4],
             "published_at": r[5].isoformat() if r[5] else None, "title": r[7], "match": r[8],
             "similarity": round(similarity(bytes(head[6]), bytes(r[6])), 3)
             if head[6] and r[6] else None}
            for r in rows]})
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not out:
        print("no story has two or more articles", file=sys.stderr)
    for story in out:
        print(f"story {story['story_id']}: {len(story['members'])} articles, "
              f"representative {story['representative']}")
        for m in story["members"]:
            mark = "*" if m["article_id"] == story["representative"] else " "
            print(f"  {mark} {m['article_id']:>7} {m['source']:<12} {m['similarity']!s:<5} "
                  f"{(m['published_at'] or '')[:16]:<16} {m['title'][:60]}  <{m['url']}>")
    return 0


def _pairs(items: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        if "=" not in item:
            raise UserError(f"{flag} expects NAME=VALUE, got {item!r}")
        name, value = item.split("=", 1)
        pairs.append((name.strip(), value.strip()))
    return pairs


def show_run(url: str, stats: dict[str, Any], articles: int = 6) -> None:
    """What a crawl stored: its run's counts, why requests failed, the database totals and the
    newest of the articles this run added (never older runs')."""
    from crawler.outcome import FETCHED, describe_failures, failures
    from crawler.storage.articles import counts
    from crawler.storage.db import connect

    run_id = stats.get("jpnews/crawl_run_id")
    with connect(url) as conn:
        run = conn.execute(
            """SELECT spider, pages, articles_new, articles_updated, articles_refreshed,
                      articles_unchanged, dropped, errors, finish_reason,
                      coalesce((stats->>'jpnews/articles/duplicates')::int, 0),
                      article_pages, not_modified, known_skipped, rechecks_due
               FROM crawl_runs WHERE id = %s""", (run_id,)).fetchone()
        if run is None:
            raise UserError("the crawl stored nothing: see the log above")
        (spider, pages, new, updated, refreshed, unchanged, dropped, errors, reason, copies,
         article_pages, not_modified, known_skipped, rechecks) = run
        drops = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"
        print(f"\ncrawl run {run_id} ({spider}, {reason}): {stats.get(FETCHED, 0)} pages "
              f"fetched, {article_pages} of them articles; {not_modified} not modified (304); "
              f"{known_skipped} known articles not fetched, {rechecks} due for a re-check")
        print("articles: "
              f"{new} new, {updated} updated, {refreshed} refreshed, {unchanged} unchanged "
              f"({copies} copies of another article's story); dropped: {drops}; "
              f"failed requests: {errors}"
              + (f" ({describe_failures(failures(stats))})" if failures(stats) else ""))
        totals = counts(conn)
        print(f"database now holds {totals['articles']} articles, "
              f"{totals['article_versions']} versions, {totals['raw_pages']} raw pages, "
              f"{totals['crawl_runs']} crawl runs")
        rows = conn.execute(
            """SELECT a.title, a.source_name, a.published_at, a.credit, a.editor_note
               FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = 1
               WHERE v.crawl_run_id = %s
               ORDER BY a.published_at DESC NULLS LAST LIMIT %s""",
            (run_id, articles)).fetchall()
    if rows:
        print()
    for title, source_name, published_at, credit, editor_note in rows:
        print("  " + card(title, source_name, published_at, credit))
        if editor_note:
            print(f"      {editor_note}")


# ---- extract --------------------------------------------------------------------------------

def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.extract import PageTooLarge, extract_article, read_saved_page
    from crawler.html import UndecodablePage

    crawled_at = _instant(args.crawled_at) if args.crawled_at else None
    if args.list:
        return _extract_list(args.list, crawled_at)
    if not args.file or not args.url:
        raise UserError("extract needs --url URL FILE, or --list PAGES.tsv")
    try:
        body = read_saved_page(args.file)
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    except PageTooLarge as exc:
        raise UserError(str(exc)) from None
    try:
        article = extract_article(args.url, body, crawled_at)
    except Rejected as rejected:
        print(f"jpnews: {args.file} is not an article: {rejected}", file=sys.stderr)
        return EXIT_ERROR
    except UndecodablePage as exc:
        print(f"jpnews: {args.file} cannot be decoded: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a page that breaks the parser is one line too
        print(f"jpnews: {args.file} could not be extracted: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return EXIT_ERROR
    print(json.dumps(article.to_json(), ensure_ascii=False, indent=2))
    return 0


def _extract_list(listing: Path, crawled_at: datetime | None) -> int:
    from crawler.extract import extract_article, read_saved_page

    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read {listing}: {exc.strerror or exc}") from None
    for number, row in enumerate(csv.reader(lines, delimiter="\t"), start=1):
        if not row or not row[0].strip() or row[0].startswith("#"):
            continue
        if len(row) < 2:
            print(json.dumps({"url": row[0], "error": f"line {number}: expected URL<TAB>PATH"}))
            continue
        url, path = row[0].strip(), Path(row[1].strip())
        if not path.is_absolute():
            path = listing.parent / path
        try:
            article = extract_article(url, read_saved_page(path), crawled_at)
            out: dict[str, Any] = article.to_json()
        except Exception as exc:  # noqa: BLE001 - one bad page gives an error line, not a stop
            out = {"url": url, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _since(text: str | None) -> datetime | None:
    """A --since value in the one window grammar (crawler.window)."""
    from crawler.window import WindowError, parse_since

    if not text:
        return None
    try:
        return parse_since(text)
    except WindowError as exc:
        raise UserError(str(exc)) from None


def _instant(text: str, *, end_of_day: bool = False) -> datetime:
    """An ISO date or date-time in the one window grammar (crawler.window)."""
    from crawler.window import WindowError, parse_instant

    try:
        return parse_instant(text, end_of_day=end_of_day)
    except WindowError as exc:
        raise UserError(str(exc)) from None


# ---- search, sources, status ------------------------------------------------------------------

def cmd_search(args: argparse.Namespace) -> int:
    from crawler.query import QueryError
    from crawler.search_request import build_request, facets_json, hit_json
    from crawler.storage.db import session
    from crawler.storage.search import search

    with session(args.database_url) as conn:
        try:
            request = build_request(
                conn, q=" ".join(args.query), since=args.since, date_from=args.date_from,
                date_to=args.date_to, sources=args.source, group=args.group,
                language=args.lang, agencies=args.agency, sort=args.sort,
                all_copies=args.all_copies, limit=args.limit, offset=args.offset,
                facets=args.facets)
            result = search(conn, request)
        except QueryError as exc:
            raise UserError(str(exc)) from None
    for note in result.notes:
        print(f"jpnews: note: {note}", file=sys.stderr)
    if args.json:
        for hit in result.hits:
            print(json.dumps(hit_json(hit, request.now), ensure_ascii=False))
        if args.facets:
            print(json.dumps({"total": result.total, "total_articles": result.total_articles,
                              "facets": facets_json(result)}, ensure_ascii=False))
        return 0
    _print_results(result, bold=sys.stdout.isatty())
    return 0


def _print_results(result: Any, *, bold: bool) -> None:
    from crawler.present import relative_time

    request = result.request
    def counted(n: int, one: str, many: str) -> str:
        return f"{n:,} {one if n == 1 else many}"

    shown = f"{request.offset + 1}-{request.offset + len(result.hits)} of " if result.hits else ""
    if request.collapse:
        total = (f"{counted(result.total, 'story', 'stories')} "
                 f"({counted(result.total_articles, 'article', 'articles')})")
    else:
        total = counted(result.total, "article", "articles")
    print(f"{shown}{total} in {result.elapsed_ms:.0f} ms", file=sys.stderr)
    for hit in result.hits:
        title = hit.title_marked.ansi() if bold else hit.title
        parts = [title, hit.source_name, relative_time(hit.dated_at, request.now)]
        if hit.credit:
            parts.append(hit.credit)
        print("\n" + " · ".join(parts))
        print(f"    {hit.url}")
        print(f"    {hit.snippet.ansi() if bold else hit.snippet.plain()}")
        if hit.editor_note:
            print(f"    {hit.editor_note}")
        if hit.copies:
            others = ", ".join(dict.fromkeys(c.source_name for c in hit.copies))
            print(f"    + {len(hit.copies)} more in this story: {others}")
    if request.facets:
        print("\nper outlet: " + ", ".join(f"{name} {n}" for _, name, n in result.by_source))
        print("per day: " + ", ".join(f"{d:%m-%d} {n}" for d, n in result.by_day[-14:]))


def cmd_web(args: argparse.Namespace) -> int:
    from crawler.web.app import ServeError, serve

    try:
        return serve(args.host, args.port, args.database_url)
    except ServeError as exc:
        raise UserError(str(exc)) from None


def cmd_health(args: argparse.Namespace) -> int:
    from crawler.health import exit_status, judge, prometheus_text
    from crawler.sources import SOURCES
    from crawler.storage.db import session
    from crawler.storage.health_rows import fetch

    if args.json and args.prometheus:
        raise UserError("--json and --prometheus are exclusive: choose one")
    now = _fixed_now() or datetime.now(timezone.utc)
    with session(args.database_url) as conn:
        runs, articles, last_seen = fetch(conn, now)
    report = judge(list(SOURCES), runs, articles, last_seen, now)
    if args.prometheus:
        sys.stdout.write(prometheus_text(report))
    elif args.json:
        for health in report:
            print(json.dumps(health.as_json(), ensure_ascii=False))
    else:
        for health in report:
            if health.last_run is None:
                print(f"{health.outlet}: {health.verdict}")
                continue
            print(f"{health.outlet}: {health.verdict} (last run {health.last_run:%Y-%m-%d %H:%M},"
                  f" {health.new_24h} new in 24 h; {'; '.join(health.reasons)})")
    return exit_status(report)


def _fixed_now() -> datetime | None:
    """JPNEWS_NOW, the instant a crawl takes as now, is health's now too: a history crawled by
    an injected clock (replays, the tests of sites that change) is judged by that clock."""
    from crawler.window import WindowError, parse_instant

    if not (text := os.environ.get("JPNEWS_NOW")):
        return None
    try:
        return parse_instant(text)
    except WindowError as exc:
        raise UserError(f"JPNEWS_NOW: {exc}") from None


def cmd_sources(args: argparse.Namespace) -> int:
    from crawler.parsers import JSON_PARSERS, PARSERS
    from crawler.sources import SOURCES
    from crawler.window import format_every

    rows = [("id", "name", "lang", "group", "every", "discovery", "parsers (since)")]
    for s in SOURCES.values():
        found = [f"{len(items)} {kind}" for kind, items in
                 (("feeds", s.feeds), ("sitemaps", s.sitemaps), ("listings", s.listings)) if items]
        parsers = ", ".join(f"{cls.__name__} ({day:%Y-%m})" for day, cls in PARSERS.get(s.id, []))
        if s.id in JSON_PARSERS:
            parsers = "its JSON API"
        rows.append((s.id, s.name, s.language, s.group, format_every(s.crawl_every),
                     ", ".join(found), parsers or "generic"))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell + " " * (width - _width(cell))
                        for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _width(text: str) -> int:
    """Columns a string takes on a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cmd_db_status(args: argparse.Namespace) -> int:
    from crawler.storage.articles import counts
    from crawler.storage.db import database_url, describe, session

    url = database_url(args.database_url)
    with session(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        applied = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
        totals = counts(conn)
        runs = conn.execute(
            """SELECT id, spider, started_at, finish_reason, pages, articles_new,
                      articles_updated FROM crawl_runs ORDER BY id DESC LIMIT 5""").fetchall()
    print(f"database: {describe(url)} (PostgreSQL {version})")
    print(f"migrations: {', '.join(applied)}")
    print(", ".join(f"{k}: {v}" for k, v in totals.items()))
    for id_, spider, started, reason, pages, new, updated in runs:
        print(f"  run {id_} {spider} {started:%Y-%m-%d %H:%M} {reason or 'running'}: "
              f"{pages} pages, {new} new, {updated} updated")
    return 0


def cmd_db_url(args: argparse.Namespace) -> int:
    from crawler.storage.db import prepare

    # print only a URL that works, to a database with the schema in it (a first command on a
    # new machine may be this one, before any crawl has made the tables)
    print(prepare(args.database_url))
    return 0


def cmd_db_stop(args: argparse.Namespace) -> int:
    from crawler.storage.db import describe
    from crawler.storage.embedded import data_dir, stop

    configured = args.database_url or os.environ.get("DATABASE_URL")
    if configured:
        raise UserError(f"the database is {describe(configured)} (--database-url or "
                        "DATABASE_URL), not the embedded server: jpnews does not stop it")
    try:
        pid = stop()
    except RuntimeError as exc:
        raise UserError(f"could not stop the embedded Postgres: {exc}") from None
    if pid is None:
        print(f"no embedded server runs for {data_dir() / 'pgdata'}")
    else:
        print(f"stopped the embedded server (pid {pid}) of {data_dir() / 'pgdata'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
