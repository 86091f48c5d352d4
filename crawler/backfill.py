"""`jpnews backfill`: pages of web archives (WARC files) through a crawl's parsers and pipelines.

A spider with no requests, as for re-parsing and importing: its `start` reads the files'
records (crawler/warc.py), keeps those of the chosen outlets' article URLs (or, with
`any_outlet`, every HTML page, read by the outlet's parser where there is one and by the
generic one elsewhere), and hands each page to the very code a crawl runs on a fetched page
(spiders/base.py read_and_keep): its raw page is kept, its article normalised, deduplicated
and stored. Each article is dated by the record's WARC-Date, and the spider asks the store to
keep the newest copy (`keeps_newest`), so files may be read in any order: an older capture
never replaces a newer one, whether it comes from another file, another process or a crawl.

Every record is counted once: as a page read, or as skipped with its reason.
Parallelism is over files, one Scrapy process per share of them (`run_parallel`): the
processes share nothing but Postgres, where the store's merge and the story lock already
serialise what must be, and the outlet crawl lock (crawler/storage/lock.py) is taken by
outlet crawls only, so backfills run beside them and beside each other.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from scrapy import Spider

from crawler.extract import not_html_reason
from crawler.items import RawArticle, RawPage
from crawler.pacing import room_in_pipelines
from crawler.parsers import JSON_PARSERS
from crawler.sources import SOURCES, Source, public_of, source_for_url
from crawler.warc import Capture, Skipped, captures
from spiders.base import read_and_keep

log = logging.getLogger(__name__)

RECORDS = "jpnews/backfill/records"
PAGES = "jpnews/backfill/pages"
SKIPPED = "jpnews/backfill/skipped/"
TALLIED = ("jpnews/backfill/", "jpnews/dropped/", "jpnews/articles/", "jpnews/store/spilled")
"""The stats a backfill reports, summed over its processes."""


class Selection:
    """Which records are pages to read: the outlet (and its public URL) a record's URL belongs
    to, mirrors (JPNEWS_BASE_URLS) mapped back to the outlet as a crawl maps them."""

    def __init__(self, outlets: Sequence[Source] | None, any_outlet: bool,
                 mirrors: dict[str, str]) -> None:
        self.chosen = {s.id for s in (outlets or SOURCES.values())}
        self.any_outlet = any_outlet
        self.mirrors = [(SOURCES[sid], base.rstrip("/")) for sid, base in mirrors.items()
                        if sid in SOURCES]

    def page(self, capture: Capture) -> tuple[str, Source | None] | str:
        """(public URL, outlet or None for the generic path), or the reason to skip it."""
        url = next((public for source, base in self.mirrors
                    if (public := public_of(capture.url, source, base)) is not None),
                   capture.url)
        source = source_for_url(url)
        # an outlet's JSON API answer (NHK's) is read by its own parser, as in a crawl
        json_api = source is not None and source.id in JSON_PARSERS and \
            capture.body.lstrip()[:1] == b"{"
        if not json_api and not_html_reason(capture.body, capture.content_type) is not None:
            return "not_html"  # an image, a PDF, a feed, a script: no page of any outlet
        if self.any_outlet:
            return url, source if source is not None and source.is_article_url(url) else None
        if source is None:
            return "unknown_host"
        if source.id not in self.chosen:
            return "other_outlet"
        if not source.is_article_url(url):
            return "not_article_url"  # a listing, the home page: a crawl reads no article there
        return url, source


class BackfillSpider(Spider):
    name = "backfill"
    keeps_newest = True
    """The store keeps the newest copy of each article (ArticleStore.keep_newest)."""
    custom_settings = {
        # Pages of the generic path hold what they hold; the coverage rules are for outlets.
        "SPIDERMON_FIELD_COVERAGE_RULES": {},
    }

    def __init__(self, *args: Any, paths: Sequence[Path], outlets: Sequence[str] = (),
                 any_outlet: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = list(paths)
        self.outlets = [SOURCES[name] for name in outlets] or None
        self.any_outlet = any_outlet

    async def start(self) -> AsyncIterator[RawArticle]:
        stats = self.crawler.stats
        selection = Selection(self.outlets, self.any_outlet,
                              self.settings.getdict("JPNEWS_BASE_URLS"))
        max_size = self.settings.getint("DOWNLOAD_MAXSIZE")
        for path in self.paths:
            for record in captures(path, max_size):
                stats.inc_value(RECORDS)
                chosen = record.reason if isinstance(record, Skipped) else \
                    selection.page(record)
                if isinstance(chosen, str):
                    stats.inc_value(SKIPPED + chosen)
                    log.debug("skipped %s (%s): %s", getattr(record, "url", None),
                              record.origin, chosen)
                    continue
                assert isinstance(record, Capture)
                url, source = chosen
                stats.inc_value(PAGES)
                raw = read_and_keep(self.crawler, RawPage(
                    url=url, source=source.id if source else None, body=record.body,
                    status=record.status, headers=record.headers,
                    fetched_at=record.fetched_at), record.content_type, source)
                if raw is not None:
                    yield raw
                    await room_in_pipelines(self.crawler)

    def progress(self, stats: dict[str, Any]) -> str:
        """The progress line (crawler/progress.py): records and pages, not responses."""
        skipped = sum(v for k, v in stats.items() if k.startswith(SKIPPED))
        dropped = sum(v for k, v in stats.items() if k.startswith("jpnews/dropped/"))
        files = ", ".join(p.name for p in self.paths[:2]) + \
            (f" +{len(self.paths) - 2}" if len(self.paths) > 2 else "")
        return (f"backfill {files}: {stats.get(RECORDS, 0)} records, {skipped} skipped, "
                f"{stats.get(PAGES, 0)} pages, "
                f"{stats.get('jpnews/articles/normalized', 0)} articles, {dropped} dropped")


def tally(stats: dict[str, Any]) -> Counter[str]:
    """The counts of one backfill process, to add to the others'."""
    return Counter({k: int(v) for k, v in stats.items()
                    if k.startswith(TALLIED) and isinstance(v, (int, float))})


def shares(paths: Sequence[Path], processes: int) -> list[list[Path]]:
    """The files split into at most `processes` shares of about equal bytes (largest first,
    each to the lightest share), so that the processes finish at about the same time."""
    loads: list[tuple[int, list[Path]]] = [(0, []) for _ in range(min(processes, len(paths)))]
    for path in sorted(paths, key=lambda p: p.stat().st_size, reverse=True):
        size, share = min(loads, key=lambda load: load[0])
        loads[loads.index((size, share))] = (size + path.stat().st_size, [*share, path])
    return [share for _, share in loads if share]


def run_parallel(paths: Sequence[Path], processes: int, child_args: list[str]) -> Counter[str]:
    """Backfill the files with up to `processes` processes of `jpnews backfill`, each a
    Scrapy process of its own over its share; their counts summed. Raises RuntimeError when
    one of them fails (its own error line is on stderr already)."""
    with tempfile.TemporaryDirectory(prefix="jpnews-backfill-") as folder:
        running = []
        for number, share in enumerate(shares(paths, processes)):
            report = Path(folder) / f"{number}.json"
            running.append((report, subprocess.Popen(
                [sys.executable, "-m", "crawler.cli", "backfill", *map(str, share),
                 "--processes", "1", "--tally", str(report), *child_args])))
        total: Counter[str] = Counter()
        failed = 0
        for report, child in running:
            if child.wait() != 0 or not report.exists():
                failed += 1
                continue
            total.update(json.loads(report.read_text()))
    if failed:
        raise RuntimeError(f"{failed} of {len(running)} backfill processes failed "
                           "(see their errors above)")
    return total


def summary(counts: Counter[str], files: int) -> list[str]:
    """The closing lines: every record counted once, as a page (and what became of it) or as
    skipped with its reason."""
    def part(prefix: str) -> str:
        found = sorted(((k[len(prefix):], v) for k, v in counts.items()
                        if k.startswith(prefix) and v), key=lambda kv: (-kv[1], kv[0]))
        return ", ".join(f"{name} {n}" for name, n in found) or "none"

    def article(name: str) -> int:
        return counts.get(f"jpnews/articles/{name}", 0)

    # one partition, as `jpnews import` reports it: a new or updated text that joined another
    # article's story counts as a duplicate only
    duplicates, new_duplicates = article("duplicates"), article("new_duplicates")
    stored = (f"{article('new') - new_duplicates} new, "
              f"{article('updated') - (duplicates - new_duplicates)} updated, "
              f"{article('refreshed')} refreshed, {article('unchanged')} unchanged, "
              f"{duplicates} duplicate (joined a story), {article('forgotten')} forgotten")
    lines = [f"backfill: {files} file{'s' if files != 1 else ''}, {counts.get(RECORDS, 0)} "
             f"records: {counts.get(PAGES, 0)} pages read, "
             f"{sum(v for k, v in counts.items() if k.startswith(SKIPPED))} skipped",
             f"  articles: {stored}",
             f"  skipped: {part(SKIPPED)}",
             f"  dropped: {part('jpnews/dropped/')}"]
    if spilled := counts.get("jpnews/store/spilled", 0):
        lines.append(f"  not stored (saved to the spill file): {spilled}")
    return lines
