"""`jpnews crawl --redis URL --workers N`: N crawler processes on this host, one frontier.

Each worker is an ordinary `jpnews crawl --redis URL` process (crawler/frontier.py shares the
work between them), so a worker started by hand on another host is no different from these. A
SIGTERM or Ctrl-C given to this command is passed on to every worker, which then stops as a
single crawl does (its buffered articles stored, its run recorded as interrupted, the requests
it had not done given back to the frontier).
"""

from __future__ import annotations

import signal
import subprocess
from types import FrameType

from crawler.outcome import EXIT_SKIPPED


def run_workers(command: list[str], count: int) -> int:
    """Start `count` copies of `command`, wait for all; 0 when all did their part, 3 when all
    were skipped (the outlet is being crawled by a one-process crawl), else 1."""
    workers = [subprocess.Popen(command) for _ in range(count)]

    def forward(signum: int, frame: FrameType | None) -> None:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        codes = [worker.wait() for worker in workers]
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if all(code == 0 for code in codes):
        return 0
    if all(code == EXIT_SKIPPED for code in codes):
        return EXIT_SKIPPED
    return 1
