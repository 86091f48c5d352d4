"""In-run monitors: Spidermon's checks of one crawl, kept in the run's `crawl_runs` row.

`jpnews health` judges an outlet over days of history; these judge one run from the inside, at
its close: the articles against the schema (pipelines/validate.py), the share of articles that
have each field users rely on (None counted as missing), Scrapy's finish reason and the errors
logged. Thresholds are settings (crawler/settings.py). A monitor whose setting is absent is
"skipped: not checked", never an exception: Spidermon's own monitors raise NotConfigured then,
which would take the close of the crawl down with them.

Results are not logged Spidermon's way (a banner per suite and a traceback per failure): the
store asks `RunMonitors.report` for them when it writes the run's row, and a failed run logs
one warning line naming what failed.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from scrapy import Spider
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.monitors.monitors import (
    ErrorCountMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
    ItemValidationMonitor,
)
from spidermon.exceptions import NotConfigured
from spidermon.results.monitor import MonitorResult
from spidermon.runners import MonitorRunner

log = logging.getLogger(__name__)

COVERAGE = "spidermon_field_coverage/"
"""Prefix of Spidermon's field coverage stats: the share of items with the field set."""
VALIDATION_ERRORS = "spidermon/validation/fields/errors/"
"""Prefix of Spidermon's validation error counts, by message and then field."""
PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"
_STATUS = {"OK": PASSED, "FAIL": FAILED, "SKIPPED": SKIPPED, "ERROR": ERROR}


class NotCheckedWhenUnset:
    """Mixin: a monitor missing its setting (or what it reads) reports itself skipped, "not
    checked", instead of raising."""

    def require(self) -> None:
        """Raise NotConfigured when something the monitor needs is absent."""

    def run(self, result: MonitorResult) -> Any:
        try:
            self.require()
            return super().run(result)  # type: ignore[misc]
        except NotConfigured as exc:
            result.startTest(self)
            result.addSkip(self, f"not checked: {exc}")
            result.stopTest(self)
            return None


class CountedFromZero:
    """Mixin for a monitor of a count: a count never incremented is zero, not unknown (for
    which Spidermon skips the check, and a clean run would read "skipped")."""

    stat_name: str

    @property
    def stats(self) -> dict[str, Any]:
        return {self.stat_name: 0, **super().stats}  # type: ignore[misc]


@monitors.name("item validation")
class ItemValidation(NotCheckedWhenUnset, CountedFromZero, ItemValidationMonitor):
    """Schema errors in the run's articles, at most SPIDERMON_MAX_ITEM_VALIDATION_ERRORS."""

    def require(self) -> None:
        if not self.data.stats.get("spidermon/validation/validators"):
            raise NotConfigured("no item validation pipeline in ITEM_PIPELINES")


@monitors.name("field coverage")
class FieldCoverage(NotCheckedWhenUnset, FieldCoverageMonitor):
    """Share of articles with each field, at least SPIDERMON_FIELD_COVERAGE_RULES says."""

    def require(self) -> None:
        if not self.crawler.settings.getdict("SPIDERMON_FIELD_COVERAGE_RULES"):
            # Spidermon passes an empty rule set, which would read as "coverage is fine"
            raise NotConfigured("no SPIDERMON_FIELD_COVERAGE_RULES")


@monitors.name("finish reason")
class FinishReason(NotCheckedWhenUnset, FinishReasonMonitor):
    """Scrapy's finish reason is one of SPIDERMON_EXPECTED_FINISH_REASONS."""


RUN_ERRORS = "jpnews/run_errors"
"""The errors of this crawl alone, which the error count monitor checks."""
_OWN_ERRORS = ("spider_exceptions/", "jpnews/dropped/parse_error", "jpnews/store/failed_batches",
               "jpnews/store/refused_rows", "jpnews/store/raw_pages_lost")


@monitors.name("error count")
class ErrorCount(NotCheckedWhenUnset, CountedFromZero, ErrorCountMonitor):
    """This crawl's errors, at most SPIDERMON_MAX_ERRORS: callbacks that raised, parsers that
    crashed, batches the database failed or refused, raw pages lost. Not Scrapy's
    `log_count/ERROR`: its log handler counts every ERROR line of the process in every
    crawler's stats, so in a crawl of several outlets one outlet's trouble failed them all.
    (A failed request is not an error here: health judges those, by rate.)"""

    stat_name = RUN_ERRORS

    @property
    def stats(self) -> dict[str, Any]:
        stats = super().stats
        return {**stats, RUN_ERRORS: sum(int(value) for key, value in stats.items()
                                         if key.startswith(_OWN_ERRORS))}


class CloseMonitors(MonitorSuite):
    """The suite named in SPIDERMON_SPIDER_CLOSE_MONITORS."""

    monitors: ClassVar[list[type]] = [ItemValidation, FieldCoverage, FinishReason, ErrorCount]


class RunMonitors(Spidermon):
    """Spidermon's extension (field coverage counting, the suites named in its settings), with
    the close suites run once, quietly, and their results kept for the run's row."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results: dict[str, Any] | None = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        report = self.report(spider, reason)
        failed = [f"{name} ({result['reason']})" for name, result in report["monitors"].items()
                  if result["status"] in (FAILED, ERROR)]
        if failed:
            log.warning("%s: monitors failed: %s", spider.name, "; ".join(failed))
        for task in self.periodic_tasks.get(spider, []):
            task.stop()

    def report(self, spider: Spider, reason: str) -> dict[str, Any]:
        """The close suites' results, run on the first call: the store's and the signal's
        calls see one and the same run, whichever comes first."""
        if self.results is None:
            stats = self.crawler.stats
            if stats.get_value("finish_reason") is None:  # Scrapy's CoreStats sets it too
                stats.set_value("finish_reason", reason)
            self._add_field_coverage_to_stats()
            data = self._generate_data_for_spider(spider)
            outcomes: dict[str, dict[str, str]] = {}
            for suite in self.spider_closed_suites:
                result = MonitorRunner().run(suite, **data)
                outcomes.update(_outcomes(result))
            values = stats.get_stats()
            self.results = {
                "monitors": outcomes,
                "coverage": {k[len(COVERAGE):]: round(float(v), 4)
                             for k, v in sorted(values.items()) if k.startswith(COVERAGE)},
                "validation_errors": {k[len(VALIDATION_ERRORS):]: v
                                      for k, v in sorted(values.items())
                                      if k.startswith(VALIDATION_ERRORS)
                                      and k.count("/") > VALIDATION_ERRORS.count("/")},
            }
        return self.results


def _outcomes(result: MonitorResult) -> dict[str, dict[str, str]]:
    """Monitor name → status and, unless it passed, why, on one line."""
    return {item.monitor.monitor_name: {"status": _STATUS.get(item.status, ERROR),
                                        "reason": "" if item.status == "OK" else _why(item)}
            for item in result.monitor_results}


def _why(item: Any) -> str:
    """A failure's or skip's message; for an error (a monitor that crashed), the traceback's
    last line."""
    text = str(item.reason or "") or (item.error or "").strip().rsplit("\n", 1)[-1]
    return " ".join(text.split())
