"""Pacing for spiders that yield items from `start` (import, re-parse, backfill).

Scrapy reads `start` as fast as it yields and sends each item to the pipelines without waiting
for it (its back-out checks hold requests back, not start items), so a dump read faster than
the store writes would pile up in memory. Such spiders wait here until the items in the
pipelines are down to Scrapy's own CONCURRENT_ITEMS: the store holds an item back while its
writer is busy, and the reading then follows the database's pace.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

PAUSE = 0.01
"""Seconds between looks at the pipelines while they are full."""


async def room_in_pipelines(crawler: Crawler) -> None:
    """Return once fewer than CONCURRENT_ITEMS items are in the item pipelines."""
    from twisted.internet import reactor  # the one Scrapy installed: import it only now

    limit = crawler.settings.getint("CONCURRENT_ITEMS", 100)
    engine = crawler.engine
    while engine is not None and engine.scraper.slot is not None \
            and engine.scraper.slot.itemproc_size >= limit:
        await maybe_deferred_to_future(task.deferLater(reactor, PAUSE, lambda: None))
