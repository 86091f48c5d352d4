"""`scrapy crawl` that exits non-zero when no request of the crawl succeeded
(crawler/outcome.py): Scrapy's own exits 0 whatever the network did."""

from __future__ import annotations

import argparse

from scrapy import Spider
from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler

from crawler.outcome import EXIT_SKIPPED, SKIPPED, why_failed


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        # kept: the process forgets its crawlers as they finish, and their stats with them
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        stats = self.crawler.stats if self.crawler else None
        if stats is not None and stats.get_value(SKIPPED):  # the spider logged why
            self.exitcode = EXIT_SKIPPED
        elif stats is not None and why_failed(stats.get_stats()):
            self.exitcode = 1
