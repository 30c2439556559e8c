"""CPU time by part of the stack, from /proc (Linux): what one wrk run cost the services, PostgreSQL and nginx.

Requests per second move with whatever else the host runs; the CPU one request costs each part moves much
less, and says where the time goes. Every process of this host is counted by its name: the gunicorn workers
of every service ("services"), the PostgreSQL server's backends (shared by whatever else uses that server:
run on a quiet machine), nginx, and wrk itself (this process's finished children).
"""
from __future__ import annotations

import os
import resource
from pathlib import Path

PARTS = ("services", "postgresql", "nginx", "wrk")
_TICK = os.sysconf("SC_CLK_TCK")


def _part(pid: str) -> tuple[str | None, float]:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
        if name.startswith("postgres"):
            return "postgresql", seconds
        if name.startswith("nginx"):
            return "nginx", seconds
        if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return "services", seconds
    except (OSError, ValueError, IndexError):  # a process that ended meanwhile
        pass
    return None, 0.0


def sample() -> dict[str, float]:
    """CPU seconds so far, by part (processes that ended in between are lost: none of the stack's do)."""
    totals = dict.fromkeys(PARTS, 0.0)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            part, seconds = _part(pid)
            if part:
                totals[part] += seconds
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    totals["wrk"] = children.ru_utime + children.ru_stime
    return totals


def per_request(before: dict[str, float], after: dict[str, float], requests: int) -> dict[str, float]:
    """Microseconds of CPU each part spent per request between two samples."""
    return {part: (after[part] - before[part]) * 1e6 / max(1, requests) for part in PARTS}
