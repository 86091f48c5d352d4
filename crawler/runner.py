"""Running Scrapy crawls in this process, for the `jpnews` command and the demo."""

from __future__ import annotations

import os
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.project import get_project_settings


def project_settings(overrides: dict[str, Any] | None = None) -> Any:
    """crawler/settings.py plus overrides, wherever the command is run from. Extensions in
    the overrides come in addition to the project's (the in-run monitors stay on)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if not (overrides or {}).get("SCHEDULER"):
        # JPNEWS_REDIS_URL in the environment puts `scrapy crawl OUTLET` on the shared frontier
        # (crawler/settings.py); `jpnews crawl` reads it itself and passes the frontier's
        # settings. A backfill, a re-parse, an import or the demo is no cycle of an outlet's
        # crawl: it keeps Scrapy's own scheduler, whatever the environment says.
        settings.set("SCHEDULER", "scrapy.core.scheduler.Scheduler", priority="cmdline")
        settings.set("JPNEWS_REDIS_URL", None, priority="cmdline")
    if overrides:
        if "EXTENSIONS" in overrides:
            overrides = {**overrides, "EXTENSIONS": {**settings.getdict("EXTENSIONS"),
                                                     **overrides["EXTENSIONS"]}}
        settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(spiders: list[str | type[Spider]], overrides: dict[str, Any] | None = None,
              per_spider: dict[str, dict[str, Any]] | None = None,
              **spider_args: Any) -> dict[str, Crawler]:
    """Run the spiders together in one Scrapy process; returns their crawlers, by spider name,
    for their final stats (`crawler.stats`) and spiders. `per_spider` gives settings of one
    spider only (its JOBDIR, for instance), by spider name."""
    process = CrawlerProcess(project_settings(overrides))
    crawlers = []
    for spider in spiders:
        crawler = process.create_crawler(spider)
        own = (per_spider or {}).get(crawler.spidercls.name)
        if own:  # a crawler's settings are its own copy until it starts
            crawler.settings.setdict(own, priority="cmdline")
        crawlers.append(crawler)
        process.crawl(crawler, **spider_args)
    process.start()
    return {c.spidercls.name: c for c in crawlers}
