"""Resumable crawls: Scrapy's JOBDIR, one per outlet under the data folder, trusted only after a
crawl that closed.

Scrapy keeps a job's pending requests (a disk queue) and the fingerprints of the requests it has
seen in JOBDIR, so that a crawl stopped with Ctrl-C or SIGTERM goes on where it stopped. Those
files are written through buffers and their counts when the crawl closes, so after a SIGKILL
they cannot be trusted: the queue may say it is empty while the seen-set lists pages whose
articles were still in the store's memory buffer, and a resumed crawl would then fetch nothing
and lose them. So a job directory whose crawl did not close is emptied, and the crawl starts
again from its feeds and listings: that is cheap and safe, because what was stored is known in
Postgres and not fetched again (crawler/incremental.py), while what was lost is not known and is
fetched. After a crawl that finished, its job directory is removed, so the next `--resume`
starts a new job.

A marker file, locked while a crawl uses the directory, says whether that crawl closed.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.storage.embedded import data_dir

log = logging.getLogger(__name__)

MARKER = "jpnews-crawl.json"
RESUMED = "jpnews/job/resumed"
"""How this crawl used its job directory: "continued" or "restarted after a kill"."""


def job_dir(outlet: str) -> Path:
    """Where `jpnews crawl --resume` keeps an outlet's job."""
    return data_dir() / "jobs" / outlet


class JobDirectory:
    """The extension that checks a JOBDIR before Scrapy opens its queue, and tidies it after."""

    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder
        self.marker: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobDirectory:
        folder = crawler.settings.get("JOBDIR")
        if not folder:
            raise NotConfigured  # no JOBDIR: nothing to look after (and nothing to say)
        extension = cls(crawler, Path(folder))
        extension.open()
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def open(self) -> None:
        """Runs as the crawler is built, before the scheduler reads the directory.

        The marker is held under an exclusive file lock for the crawl's life; the kernel
        releases it when the process dies, however it dies. A marker that can be locked but
        still has content was left by a crawl that did not close.
        """
        name = self.crawler.spidercls.name
        self.folder.mkdir(parents=True, exist_ok=True)
        marker = (self.folder / MARKER).open("a+", encoding="utf-8")
        try:
            fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a crawl of this outlet runs: the outlet lock makes this skip
            marker.close()
            return
        marker.seek(0)
        if marker.read().strip():
            log.warning("%s: the crawl that used %s was killed: its queue is not trusted; "
                        "starting again from the feeds (stored articles are not fetched again)",
                        name, self.folder)
            self._empty()
            self.crawler.stats.set_value(RESUMED, "restarted after a kill")
        elif any(p.name != MARKER for p in self.folder.iterdir()):
            log.info("%s: continuing the crawl stopped in %s", name, self.folder)
            self.crawler.stats.set_value(RESUMED, "continued")
        marker.seek(0)
        marker.truncate()
        marker.write(json.dumps({"pid": os.getpid(),
                                 "started_at": datetime.now(timezone.utc).isoformat()}))
        marker.flush()
        self.marker = marker

    def _empty(self) -> None:
        for path in self.folder.iterdir():
            if path.name == MARKER:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.marker is None:
            return
        if reason == "finished":  # done: the next --resume is a new job
            self._empty()
        self.marker.seek(0)
        self.marker.truncate()  # closed: Scrapy has written its files whole
        self.marker.close()
        self.marker = None
