"""A progress line for crawls run by the `jpnews` command (Scrapy's own log is per minute)."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.status import StatusLine


class ProgressReporter:
    """Prints pages, articles and drops to stderr: in place on a terminal, every 10 s otherwise."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.status = StatusLine()
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        if not crawler.settings.getbool("JPNEWS_PROGRESS"):
            raise NotConfigured
        reporter = cls(crawler, 1.0 if sys.stderr.isatty() else 10.0)
        crawler.signals.connect(reporter.opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.closed, signal=signals.spider_closed)
        return reporter

    def opened(self, spider: object) -> None:
        self.loop.start(self.interval, now=False)

    def line(self) -> str:
        # a copy (taken whole, under the GIL): the store's writer thread adds keys meanwhile
        stats = dict(self.crawler.stats.get_stats())
        dropped = sum(v for k, v in stats.items() if k.startswith("jpnews/dropped/"))
        errors = sum(v for k, v in stats.items() if k.startswith("jpnews/errors/"))
        elapsed = f", {time.monotonic() - self.started:.0f}s"
        own = getattr(self.crawler.spider, "progress", None)
        if callable(own):  # a spider that reads no responses (a backfill) says what it reads
            return own(stats) + elapsed
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        return (f"{name}: {stats.get('response_received_count', 0)} pages, "
                f"{stats.get('jpnews/articles/normalized', 0)} articles, {dropped} dropped, "
                f"{errors} failed{elapsed}")

    def report(self) -> None:
        self.status.show(self.line())

    def closed(self, spider: object) -> None:
        if self.loop.running:
            self.loop.stop()
        self.status.finish(self.line())
