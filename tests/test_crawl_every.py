"""`jpnews crawl --every`: the scheduler as a real process, its crawls real child processes,
against the sample site on loopback and real Postgres; stopped by real signals."""

from __future__ import annotations

import dataclasses
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import REDIS_URL, ROOT, SAMPLE_NOW, run_jpnews

from crawler.demo.server import SiteServer
from crawler.demo.site import SampleSite, article_path, build_sample_site
from crawler.jobs import MARKER

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", "RETRY_TIMES=0")
HANG = 120
"""Seconds after which a wait is a hang, never an expectation: every wait below ends on an
event (a line printed, a page requested, a process exiting) long before."""


class Scheduler:
    """`jpnews crawl --every ...` running, its output read line by line."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", *args], cwd=ROOT, text=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "JPNEWS_MIN_CRAWL_EVERY": "1s", **(env or {})})
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, done: callable) -> list[str]:
        """Read lines until `done(lines so far)`; the lines, each without its clock."""
        while not done(self.seen):
            line = self.lines.get(timeout=HANG)
            assert line is not None, f"exited early: {self.seen}\n{self.proc.stderr.read()}"
            self.seen.append(line.split(" ", 1)[1])
        return self.seen

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, list[str], str]:
        self.proc.send_signal(signum)
        status = self.proc.wait(timeout=HANG)
        self.wait_for(lambda seen: seen and seen[-1] == "stopped")
        return status, self.seen, self.proc.stderr.read()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def schedulers() -> Iterator[list[Scheduler]]:
    started: list[Scheduler] = []
    yield started
    for scheduler in started:
        scheduler.kill()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def runs(db: str) -> list[tuple[str, str | None]]:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT spider, finish_reason FROM crawl_runs ORDER BY id").fetchall()


def test_every_crawls_again_and_a_failing_outlet_stops_nothing(
        db: str, schedulers: list[Scheduler]) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        scheduler = Scheduler("japantoday", "kyodo", "--every", "2s", "--database-url", db,
                              "--base-url", f"japantoday={server.base_url}",
                              "--base-url", f"kyodo=http://127.0.0.1:{closed_port()}",
                              "--resume", *FAST)
        schedulers.append(scheduler)

        def enough(seen: list[str]) -> bool:
            return sum(line.startswith("japantoday: fetched") for line in seen) >= 2 and \
                any(line.startswith("kyodo: failed") for line in seen)

        scheduler.wait_for(enough)
        status, lines, stderr = scheduler.stop()
    assert status == 0, stderr
    assert lines[0] == "crawling until stopped: japantoday every 2s, kyodo every 2s"
    kyodo = next(line for line in lines if line.startswith("kyodo: failed"))
    assert kyodo.startswith("kyodo: failed: every request failed (connection refused"), kyodo
    first = next(line for line in lines if line.startswith("japantoday: fetched"))
    assert ", stored 26 new," in first and "(run " in first and ", finished, " in first
    assert "Traceback" not in stderr and "Traceback" not in "\n".join(lines)
    done = runs(db)
    assert [r for s, r in done if s == "japantoday"][:2] == ["finished", "finished"]
    # --resume reached the crawls: each kept its job directory (crawler/jobs.py)
    assert (Path(os.environ["JPNEWS_DATA_DIR"]) / "jobs" / "japantoday" / MARKER).exists()
    assert {r for s, r in done if s == "kyodo"} <= {"failed", "interrupted"}


def slow_site(delay: float) -> tuple[SampleSite, set[str], set[str]]:
    """The sample site with its business articles answering after `delay` seconds; returns
    the site, the paths of the slow pages and those of the other articles."""
    site = build_sample_site(SAMPLE_NOW)
    slow = {article_path(a) for a in site.articles if a.section == "business"}
    for path in slow:
        site.pages[path] = dataclasses.replace(site.pages[path], delay=delay)
    fast = {article_path(a) for a in site.articles if a.section != "business"}
    return site, slow, fast


def wait_until(condition: callable) -> None:
    deadline = time.monotonic() + HANG
    while not condition():
        assert time.monotonic() < deadline, "hang"
        time.sleep(0.05)


def stored(db: str) -> set[str]:
    with psycopg.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}


@pytest.mark.parametrize("impatient", [False, True])
def test_sigterm_mid_crawl_stores_the_batch_records_interrupted_and_exits_0(
        db: str, schedulers: list[Scheduler], impatient: bool) -> None:
    """The slow pages would hold a graceful stop for ten minutes: only the second signal the
    crawl gets, after the grace period or at once on a second signal to the scheduler, lets
    the scheduler exit before the hang guard.

    With one signal, nothing is written before the crawl closes (no timer, a batch larger
    than the site), so every article in the database was stored by the stop. With two, the
    articles are written one by one as they come, and the signals are sent once all are in:
    what the crawl parsed in the instant before the forced stop is not for a test to guess."""
    site, slow, fast = slow_site(delay=600)
    expected = {site.url(a) for a in site.articles
                if article_path(a) in fast and a.kind != "not-article"}
    store = ("-s", "JPNEWS_STORE_BATCH_SIZE=1") if impatient else \
        ("-s", "JPNEWS_STORE_FLUSH_SECONDS=0", "-s", "JPNEWS_STORE_BATCH_SIZE=1000")
    with SiteServer(site) as server:
        scheduler = Scheduler(
            "japantoday", "--every", "1h", "--grace", "1h" if impatient else "1s",
            "--database-url", db, "--base-url", f"japantoday={server.base_url}", *FAST,
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "DOWNLOAD_TIMEOUT=600", *store)
        schedulers.append(scheduler)
        # every fast article requested, a slow one in flight: the crawl is mid-way
        wait_until(lambda: fast <= set(server.paths) and slow & set(server.paths))
        if impatient:
            wait_until(lambda: stored(db) == expected)
            scheduler.proc.send_signal(signal.SIGTERM)
            scheduler.wait_for(lambda seen: bool(seen) and seen[-1].startswith("stopping: "))
        status, lines, stderr = scheduler.stop()
    assert status == 0, stderr
    assert runs(db) == [("japantoday", "interrupted")]
    line = next(line for line in lines if line.startswith("japantoday: "))
    assert "(run 1, interrupted, " in line, lines
    assert "stopping: the crawls in flight store their batch: japantoday" in lines
    assert lines[-1] == "stopped"
    assert stored(db) == expected


def test_a_plain_crawl_stopped_by_ctrl_c_is_interrupted_not_failed(db: str) -> None:
    """One SIGINT: Scrapy's graceful stop, which waits for the slow pages (a few seconds),
    then the run is recorded as 'interrupted' and the exit status is 0."""
    site, slow, _ = slow_site(delay=3)
    with SiteServer(site) as server:
        crawl = scrapy_crawl(db, server)
        try:
            wait_until(lambda: slow & set(server.paths))
            crawl.send_signal(signal.SIGINT)
            _, stderr = crawl.communicate(timeout=HANG)
        finally:
            crawl.kill()
    assert crawl.returncode == 0, stderr[-3000:]
    assert runs(db) == [("japantoday", "interrupted")]
    assert "crawl failed" not in stderr


def test_ctrl_c_twice_before_any_answer_is_interrupted_not_failed(db: str) -> None:
    """robots.txt comes first and never answers: the graceful stop would wait for it, the
    second Ctrl-C stops at once. Nothing was fetched, and still the crawl did not fail: it was
    stopped."""
    site = build_sample_site(SAMPLE_NOW)
    site.pages["/robots.txt"] = dataclasses.replace(site.pages["/robots.txt"], delay=600)
    with SiteServer(site) as server:
        crawl = scrapy_crawl(db, server, "-s", "DOWNLOAD_TIMEOUT=600")
        log: queue.Queue[str] = queue.Queue()
        lines: list[str] = []

        def read() -> None:
            assert crawl.stderr is not None
            for line in crawl.stderr:
                log.put(line)

        threading.Thread(target=read, daemon=True).start()
        try:
            wait_until(lambda: "/robots.txt" in server.paths)
            crawl.send_signal(signal.SIGINT)
            while "shutting down gracefully" not in (lines[-1] if lines else ""):
                lines.append(log.get(timeout=HANG))
            crawl.send_signal(signal.SIGINT)
            crawl.wait(timeout=HANG)
        finally:
            crawl.kill()
    assert crawl.returncode == 0, "".join(lines)
    assert runs(db) == [("japantoday", "interrupted")]


def scrapy_crawl(db: str, server: SiteServer, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "japantoday", "-s", f"DATABASE_URL={db}",
         "-s", f'JPNEWS_BASE_URLS={{"japantoday": "{server.base_url}"}}', *FAST,
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", *extra],
        cwd=ROOT, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_restarted_scheduler_waits_for_the_interval_since_the_last_run(
        db: str, schedulers: list[Scheduler]) -> None:
    with SiteServer(build_sample_site(SAMPLE_NOW)) as server:
        done = run_jpnews("crawl", "japantoday", "--database-url", db,
                          "--base-url", f"japantoday={server.base_url}", *FAST)
        assert done.returncode == 0, done.stderr[-3000:]
        requests = server.requests
        scheduler = Scheduler("japantoday", "--every", "1h", "--database-url", db,
                              "--base-url", f"japantoday={server.base_url}", *FAST)
        schedulers.append(scheduler)
        lines = scheduler.wait_for(lambda seen: any(s.startswith("next: ") for s in seen))
        status, lines, stderr = scheduler.stop(signal.SIGINT)
        assert server.requests == requests  # nothing crawled again
    assert status == 0, stderr
    assert lines[1].startswith("next: japantoday at ") and "(in 59m" in lines[1], lines
    assert lines[2:] == ["stopped"]
    assert runs(db) == [("japantoday", "finished")]


def test_an_outlet_being_crawled_elsewhere_is_reported_as_skipped(
        db: str, schedulers: list[Scheduler]) -> None:
    site, slow, _ = slow_site(delay=600)
    with SiteServer(site) as server:
        mirror = ("--base-url", f"japantoday={server.base_url}")
        other = subprocess.Popen(  # a crawl of japantoday by hand, held up by the slow pages
            [sys.executable, "-m", "crawler.cli", "crawl", "japantoday", "--database-url", db,
             *mirror, *FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: slow & set(server.paths))
            scheduler = Scheduler("japantoday", "--every", "1s", "--database-url", db,
                                  *mirror, *FAST)
            schedulers.append(scheduler)
            lines = scheduler.wait_for(
                lambda seen: any(s.startswith("japantoday: ") for s in seen))
            status, lines, stderr = scheduler.stop()
        finally:
            other.kill()
            other.wait()
    assert status == 0, stderr
    skipped = next(line for line in lines if line.startswith("japantoday: "))
    assert skipped.startswith("japantoday: already being crawled by run 1 since "), lines
    assert runs(db) == [("japantoday", None)]  # the skipped crawls made no row


@pytest.mark.parametrize(("args", "message"), [
    (["--every", "5s"], "--every 5s: shorter than the minimum of 1m"),
    (["--every", "kyodo=10m", "japantoday"], "'kyodo' is not among the outlets"),
    (["--every", "fortnightly"], "not an interval: 'fortnightly'"),
    (["--parallel", "2"], "--parallel and --grace go with --every"),
    (["--every", "15m", "--grace", "soon"], "--grace: not an interval: 'soon'"),
])
def test_bad_schedules_are_one_line(args: list[str], message: str) -> None:
    done = run_jpnews("crawl", *args, env={"JPNEWS_MIN_CRAWL_EVERY": "1m"})
    assert done.returncode == 1
    assert done.stderr.startswith("jpnews: error: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_schedulers_on_one_redis_frontier_each_report_their_own_run(
        db: str, schedulers: list[Scheduler], redis_prefix: str) -> None:
    """Two hosts (here two schedulers) run `--every --redis`: their crawls of the outlet join
    one cycle and both hold its lock, so "the newest run" may be the other's; each must
    report the run its own crawl made."""
    site, _, _ = slow_site(delay=0.5)  # both crawls are still running when the first ends
    with SiteServer(site) as server:
        for _ in range(2):
            schedulers.append(Scheduler(
                "japantoday", "--every", "1h", "--database-url", db,
                "--base-url", f"japantoday={server.base_url}", "--redis", REDIS_URL,
                "-s", f"JPNEWS_REDIS_PREFIX={redis_prefix}", "-s", "JPNEWS_REDIS_HEARTBEAT=2",
                *FAST))
        reported = [scheduler.wait_for(lambda seen: any(
            s.startswith("japantoday: ") for s in seen)) for scheduler in schedulers]
        for scheduler in schedulers:
            scheduler.stop()
    lines = [next(s for s in seen if s.startswith("japantoday: ")) for seen in reported]
    ids = [re.search(r"\(run (\d+), finished, ", line) for line in lines]
    assert all(ids), lines
    assert sorted(int(found.group(1)) for found in ids) == [1, 2], lines
    assert runs(db) == [("japantoday", "finished")] * 2
