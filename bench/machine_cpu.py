"""Where a benchmark's CPU went on this machine: the crawler, Postgres, the site server, the rest.

A crawl's rate on a small machine is bounded by the CPU of everything it makes work, not by the
crawler alone: Postgres (the search document, story matching, TOAST compression) and the site
server share the same cores. These readings come from /proc (Linux), before and after the crawl,
so the benchmark can state that bound from what it measured:

* Postgres: every process named `postgres` on this machine, plus what the postmaster's exited
  children used (a crawl's backends end with it; the kernel adds their CPU to the parent's
  `cutime`/`cstime` when they are reaped). A server on another host reads as 0 and is reported
  as not measured;
* the site server: its process, by pid;
* the machine: busy and total time of all cores, from /proc/stat.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class CpuReading:
    postgres_s: float
    server_s: float
    machine_busy_s: float
    machine_total_s: float

    def since(self, before: CpuReading) -> CpuReading:
        return CpuReading(self.postgres_s - before.postgres_s, self.server_s - before.server_s,
                          self.machine_busy_s - before.machine_busy_s,
                          self.machine_total_s - before.machine_total_s)


def _stat(pid: str) -> tuple[str, int, list[str]] | None:
    """(command name, parent pid, the fields after the name) of /proc/PID/stat."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone between listing and reading
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, int(fields[1]), fields


def _cpu_s(fields: list[str], children: bool = False) -> float:
    # after the name: state ppid ... utime(11) stime(12) cutime(13) cstime(14), 0-based
    used = int(fields[11]) + int(fields[12])
    if children:
        used += int(fields[13]) + int(fields[14])
    return used / _TICKS


def postgres_cpu_s() -> float:
    processes = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(entry)) is not None and stat[0] == "postgres":
            processes[int(entry)] = stat
    total = 0.0
    for _pid, (_name, parent, fields) in processes.items():
        is_postmaster = parent not in processes
        total += _cpu_s(fields, children=is_postmaster)
    return total


def process_cpu_s(pid: int | None) -> float:
    stat = _stat(str(pid)) if pid else None
    return _cpu_s(stat[2]) if stat else 0.0


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) seconds of all cores since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return (total - idle) / _TICKS, total / _TICKS


def read(server_pid: int | None) -> CpuReading:
    if not Path("/proc/stat").exists():
        return CpuReading(0.0, 0.0, 0.0, 0.0)
    busy, total = machine_cpu_s()
    return CpuReading(postgres_cpu_s(), process_cpu_s(server_pid), busy, total)
