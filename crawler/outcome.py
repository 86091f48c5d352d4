"""How a crawl went, judged the same way by `jpnews crawl` and `scrapy crawl`.

A failed request is counted by a reason a user can act on ("DNS lookup failed", "HTTP 500") and
logged on one line; a crawl in which no request succeeded (no network, a dead mirror, a site
answering errors only) is a failed crawl, with a non-zero exit, never a quiet "finished".
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error
from twisted.python.failure import Failure

FETCHED = "jpnews/fetched"
"""Responses a callback of the spider accepted (an HTTP error never reaches one)."""
FAILED = "jpnews/failed/"
"""Prefix of the count of failed requests, by reason."""
NOT_MODIFIED = "jpnews/incremental/not_modified"
"""Conditional requests the server answered 304 Not Modified: an answer, not a failure."""
KNOWN_SKIPPED = "jpnews/incremental/known_skipped"
"""Article URLs listed again that are stored and not due for a re-check: not fetched."""
RECHECKS_DUE = "jpnews/incremental/rechecks_due"
"""Stored articles requested again (conditionally): due by age or listed as modified."""
ARTICLE_PAGES = "jpnews/incremental/article_pages"
"""Article pages that came with a body (200)."""
ARTICLE_REQUESTS = "jpnews/article_requests"
"""Article URLs this crawl asked for. Each ends in exactly one of: an article page
(ARTICLE_PAGES), a 304 (NOT_MODIFIED/article), a failure (FAILED, by reason) or a redirect into
an article this crawl requested anyway (REDIRECT_MERGED)."""
REDIRECT_MERGED = "jpnews/redirect_merged"
"""Article requests redirected to an article URL this crawl requested as well: fetched once."""
SPILLED = "jpnews/store/spilled"
"""Articles the database did not take, saved to the spill file (pipelines/store.py)."""
SPILL_FILE = "jpnews/store/spill_file"
"""Where they are: named by the crawl's last line, so that they can be loaded again."""
SKIPPED = "jpnews/skipped"
"""Why the outlet was not crawled (another run holds its lock, crawler/storage/lock.py)."""
FRONTIER_REFUSED = "jpnews/frontier/refused"
"""Why a process did not join the Redis frontier's running cycle (crawler/frontier.py): a
failed crawl, said in that one line."""
INTERRUPTED = "interrupted"
"""finish_reason of a run stopped by SIGTERM/SIGINT (Scrapy says "shutdown"): what it fetched
is stored, and it is no failure of the outlet (crawler/health.py)."""
WAS_INTERRUPTED = "jpnews/interrupted"
"""Set by the store pipeline when it records a run as interrupted."""
EXIT_SKIPPED = 3
"""Exit status of a crawl that had nothing to do but skipped outlets: not a failure (1), yet
distinct from 0 so that a scheduler can tell that a run still busy made it skip (README)."""

_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (scrapy_errors.CannotResolveHostError, "DNS lookup failed"),
    (scrapy_errors.DownloadConnectionRefusedError, "connection refused"),
    (scrapy_errors.DownloadTimeoutError, "timed out"),
    (scrapy_errors.ResponseDataLossError, "response cut short"),
    (scrapy_errors.DownloadFailedError, "download failed"),
    (error.DNSLookupError, "DNS lookup failed"),
    (error.ConnectionRefusedError, "connection refused"),
    (error.TimeoutError, "timed out"),
    (error.TCPTimedOutError, "timed out"),
    (error.ConnectionLost, "connection lost"),
    (error.ConnectError, "could not connect"),
)


class Unfollowed(IgnoreRequest):
    """A redirect the crawl does not follow (crawler/redirects.py): the request ends there, and
    its errback counts it by `reason`, as a failure unless it was `merged` into a request of
    the same crawl."""

    def __init__(self, reason: str, target: str, *, merged: bool = False) -> None:
        super().__init__(f"{reason}: {target}")
        self.reason = reason
        self.target = target
        self.merged = merged


def failure_reason(failure: Failure) -> str:
    """The reason a request failed, in words, for counting alike failures together."""
    value = failure.value
    if isinstance(value, Unfollowed):
        return value.reason
    if isinstance(value, HttpError):
        return f"HTTP {value.response.status}"
    for kind, words in _REASONS:
        if isinstance(value, kind):
            return words
    name = type(value).__name__
    if "Timeout" in name:  # Scrapy's and Twisted's many timeouts
        return "timed out"
    return name


def failures(stats: Mapping[str, Any]) -> dict[str, int]:
    return {k[len(FAILED):]: int(v) for k, v in stats.items() if k.startswith(FAILED)}


def describe_failures(counts: Mapping[str, int]) -> str:
    """"DNS lookup failed ×20, HTTP 500 ×3", most frequent first."""
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{reason} ×{count}" for reason, count in ordered)


def why_failed(stats: Mapping[str, Any]) -> str | None:
    """Why the crawl counts as failed, or None when at least one request succeeded (a 304 is an
    answer) or the crawl was stopped by a signal (it may have been stopped before its first
    answer)."""
    if refused := stats.get(FRONTIER_REFUSED):
        return refused
    if stats.get(FETCHED, 0) or stats.get(NOT_MODIFIED, 0) or stats.get(WAS_INTERRUPTED):
        return None
    failed = failures(stats)
    if failed:
        return f"every request failed ({describe_failures(failed)})"
    return "no page was fetched"


def summary(name: str, stats: Mapping[str, Any]) -> str:
    """One line per outlet: fetched, stored, failed and why."""
    stored = {key: stats.get(f"jpnews/articles/{key}", 0)
              for key in ("new", "updated", "refreshed", "unchanged")}
    failed = failures(stats)
    spared = (f" ({stats.get(NOT_MODIFIED, 0)} not modified, "
              f"{stats.get(KNOWN_SKIPPED, 0)} known articles not fetched)"
              if stats.get(NOT_MODIFIED) or stats.get(KNOWN_SKIPPED) else "")
    line = (f"{name}: fetched {stats.get(FETCHED, 0)} pages{spared}, stored "
            + ", ".join(f"{count} {key}" for key, count in stored.items())
            + f"; failed {sum(failed.values())} requests")
    line += f": {describe_failures(failed)}" if failed else ""
    return line + (f"; {spilled}" if (spilled := spill_note(stats)) else "")


def spill_note(stats: Mapping[str, Any]) -> str | None:
    """"12 articles not stored, saved to PATH (`jpnews import PATH` stores them)", or None."""
    if not stats.get(SPILLED):
        return None
    path = stats.get(SPILL_FILE)
    return (f"{stats[SPILLED]} articles not stored, saved to {path} "
            f"(`jpnews import {path}` stores them)")


class OneLine(logging.Filter):
    """Scrapy logs a robots.txt that cannot be fetched with its traceback, and every request it
    gives up retrying on a line of its own, before the spider's errback logs it again. A failed
    request is the network's doing, not a bug: one warning line, without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "scrapy.downloadermiddlewares.retry" and \
                str(record.msg).startswith("Gave up retrying"):
            return False  # the errback's line says it
        if record.exc_info and record.name == "scrapy.downloadermiddlewares.robotstxt":
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


ONE_LINE = OneLine()


def quiet_failed_requests() -> None:
    """Install the filter once, whatever the number of spiders in the process."""
    for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
        logging.getLogger(name).addFilter(ONE_LINE)
