"""`jpnews crawl --every`: crawl each outlet on its interval until stopped.

Every crawl is a child process, `jpnews crawl OUTLET`: Scrapy's reactor starts only once per
process, and a child that fails or crashes takes no other outlet with it; the parent reports it
on one line and goes on. Due outlets run side by side, one child each, up to `--parallel` at
once (4 by default), rather than together in one child per cycle: one slow outlet then never
holds back the others' intervals. The limit is what a child costs: a Python process with
Scrapy and the parsers loaded (about 150 MB) holding up to five Postgres connections (its
store's pool and its outlet lock), while most of a crawl is waiting out the politeness delay
between requests to one site, so four share two cores well and stay far below Postgres's
default of 100 connections. Politeness toward each site is the child's own (its settings, one
outlet per process); outlets that share a host (asahi and asahi_ajw) never crawl at once
(crawler/schedule.py decides what starts when).

Stopping (SIGTERM, SIGINT): no crawl starts any more; each running child gets the signal, and
its Scrapy stops gracefully: no new request, the store pipeline writes what it has buffered,
the run is recorded as 'interrupted'. A graceful stop waits for the downloads in flight, up to
DOWNLOAD_TIMEOUT; past the grace period (`--grace`, 5 s) a child still running gets a second
signal, on which Scrapy stops at once and the store pipeline still writes its buffer and
records the run (pipelines/store.py). A second signal to this process cuts the grace short.
Then the scheduler exits 0. Children run in sessions of their own, so that a Ctrl-C on the
terminal reaches them once, through this process, not twice (which would force them).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TextIO

import psycopg

from crawler.frontier import worker_prefix
from crawler.outcome import EXIT_SKIPPED, summary, why_failed
from crawler.schedule import Plan, latest
from crawler.storage.db import DatabaseUnavailable, connect
from crawler.storage.schedule_rows import FinishedRun, last_runs, run_after, run_by_id
from crawler.window import format_every

GRACE = timedelta(seconds=5)
"""Default time a stopping crawl has to finish its downloads in flight: below the 10 s that
`docker stop` and Kubernetes give before they kill, with room for the final write."""
TAIL = 20
"""Lines of a child's output kept to explain its end; the rest goes nowhere."""
_RUN_LINE = re.compile(r"crawl run (\d+) \(")
"""How a crawl names its run on stdout (crawler/cli.py, show_run)."""


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Child:
    outlet: str
    proc: asyncio.subprocess.Process
    started: datetime
    after_run: int
    """The outlet's newest run id when the child started: its own run is a later one."""
    out: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL))
    err: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL))
    task: asyncio.Task[int] | None = None

    async def finish(self) -> int:
        assert self.proc.stdout is not None and self.proc.stderr is not None
        await asyncio.gather(_drain(self.proc.stdout, self.out),
                             _drain(self.proc.stderr, self.err))
        return await self.proc.wait()

    def signal(self, signum: int) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signum)


async def _drain(stream: asyncio.StreamReader, tail: deque[str]) -> None:
    while line := await stream.readline():
        tail.append(line.decode("utf-8", "replace").rstrip())


class Scheduler:
    def __init__(self, plan: Plan, database_url: str, command: Callable[[str], list[str]], *,
                 grace: timedelta = GRACE, out: TextIO = sys.stdout) -> None:
        self.plan = plan
        self.database_url = database_url
        self.command = command
        """The command line of one outlet's crawl."""
        self.grace = grace
        self.out = out
        self.running: dict[str, Child] = {}
        self.launched: dict[str, datetime] = {}
        self.known: dict[str, tuple[int, datetime]] = {}
        self.signals = 0
        self.stopping = asyncio.Event()
        self.hurry = asyncio.Event()
        self.said_next: tuple[datetime, list[str]] | None = None
        self.said_database: str | None = None

    def run(self) -> int:
        return asyncio.run(self._run())

    async def _run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_signal, signum)
        every = ", ".join(f"{o} every {format_every(i)}" for o, i in self.plan.intervals.items())
        self._say(f"crawling until stopped: {every}")
        stopped = asyncio.ensure_future(self.stopping.wait())
        while not self.stopping.is_set():
            at = now()
            last = self._last_starts()
            for outlet in self.plan.startable(at, last, self.running):
                await self._start(outlet, at)
            upcoming = self.plan.upcoming(at, last, self.running)
            self._say_next(upcoming)
            timeout = None if upcoming is None else \
                max(0.0, (upcoming[0] - now()).total_seconds())
            tasks = {c.task for c in self.running.values() if c.task is not None}
            await asyncio.wait({stopped, *tasks}, timeout=timeout,
                               return_when=asyncio.FIRST_COMPLETED)
            self._reap()
        await self._stop()
        return 0

    def _on_signal(self, signum: int) -> None:
        self.signals += 1
        if self.signals == 1:
            self.stopping.set()
        else:
            self.hurry.set()

    async def _start(self, outlet: str, at: datetime) -> None:
        proc = await asyncio.create_subprocess_exec(
            *self.command(outlet), stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            start_new_session=True)
        child = Child(outlet, proc, at, self.known.get(outlet, (0, at))[0])
        child.task = asyncio.ensure_future(child.finish())
        self.running[outlet] = child
        self.launched[outlet] = at

    def _reap(self) -> None:
        for outlet, child in list(self.running.items()):
            if child.task is not None and child.task.done():
                del self.running[outlet]
                self._say(self._describe(child, child.task.result()))

    async def _stop(self) -> None:
        if self.running:
            self._say("stopping: the crawls in flight store their batch: "
                      + ", ".join(self.running))
            for child in self.running.values():
                child.signal(signal.SIGTERM)
            tasks = {c.task for c in self.running.values() if c.task is not None}
            hurried = asyncio.ensure_future(self.hurry.wait())
            finished = asyncio.ensure_future(asyncio.wait(tasks))
            await asyncio.wait({hurried, finished}, timeout=self.grace.total_seconds(),
                               return_when=asyncio.FIRST_COMPLETED)
            self._reap()
            # Scrapy's second signal: stop at once. SIGINT, not SIGTERM again: two deliveries
            # of one signal before Python runs its handler count once, two signals never do.
            for child in self.running.values():
                child.signal(signal.SIGINT)
            tasks = {c.task for c in self.running.values() if c.task is not None}
            if tasks:
                await asyncio.wait(tasks)
            self._reap()
            hurried.cancel()
            finished.cancel()
        self._say("stopped")

    def _last_starts(self) -> Mapping[str, datetime]:
        """The last start of each outlet: its newest row in crawl_runs, or this scheduler's
        last launch when that is later (a child that died before making its row). While the
        database is out of reach, what was read last."""
        try:
            with connect(self.database_url) as conn:
                self.known = last_runs(conn, list(self.plan.intervals))
            self.said_database = None
        except (DatabaseUnavailable, psycopg.Error) as exc:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if text != self.said_database:
                self._say(f"database: {text} (scheduling from what was read last)")
                self.said_database = text
        return latest({o: at for o, (_, at) in self.known.items()}, self.launched)

    def _run_of(self, child: Child) -> FinishedRun | None:
        """The run the child made: the one its output names (`crawl run N (...)`), else the
        newest that can be its own (a child that died before it said)."""
        said = next((int(m.group(1)) for line in child.out
                     if (m := _RUN_LINE.match(line))), None)
        try:
            with connect(self.database_url) as conn:
                if said is not None:
                    return run_by_id(conn, said)
                return run_after(conn, child.outlet, child.after_run,
                                 worker_prefix(child.proc.pid))
        except (DatabaseUnavailable, psycopg.Error):
            return None

    def _describe(self, child: Child, status: int) -> str:
        """One line for a finished crawl: what its run stored, else why it did not run."""
        took = _took(now() - child.started)
        if status == EXIT_SKIPPED:  # the child's own line names the run holding the outlet
            return next((line for line in reversed(child.out) if line), f"{child.outlet}: "
                        "skipped: another run holds the outlet")
        run = self._run_of(child)
        if run is not None and run.finish_reason is not None:  # the run's row says it all
            if why := why_failed(run.stats):
                return f"{child.outlet}: failed: {why} (run {run.id}, {took})"
            return f"{summary(child.outlet, run.stats)} (run {run.id}, {run.finish_reason}, " \
                f"{took})"
        ran = f"run {run.id}, {took}" if run else took
        if status == 0:
            return f"{child.outlet}: done, no run recorded ({ran})"
        if status < 0:
            if self.stopping.is_set() and run is None:
                return f"{child.outlet}: stopped before it began crawling"
            cause = f"killed by {signal.Signals(-status).name}"
        else:
            cause = _error(child.err, child.outlet) or f"exit status {status}"
        return f"{child.outlet}: failed: {cause} ({ran})"

    def _say_next(self, upcoming: tuple[datetime, list[str]] | None) -> None:
        if upcoming is None or upcoming == self.said_next:
            return
        self.said_next = upcoming
        at, outlets = upcoming
        self._say(f"next: {', '.join(outlets)} at {at.astimezone():%H:%M:%S} "
                  f"(in {_took(at - now())})")

    def _say(self, text: str) -> None:
        print(f"{now().astimezone():%H:%M:%S} {text}", file=self.out, flush=True)


def _error(lines: deque[str], outlet: str) -> str | None:
    """The child's one-line error, without the prefixes the parent's line already says."""
    for line in reversed(lines):
        if line.startswith("jpnews: error: "):
            text = line.removeprefix("jpnews: error: ")
            return text.removeprefix("crawl failed: ").removeprefix(f"{outlet}: ")
    return next((line for line in reversed(lines) if line.strip()), None)


def _took(span: timedelta) -> str:
    return format_every(timedelta(seconds=max(0, round(span.total_seconds()))))
