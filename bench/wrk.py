"""wrk (Debian's `wrk`) driven from Python: one Lua script per scenario, its figures parsed from the output.

Every script counts the statuses it sees (`response()`) and prints them in `done()`, so a run reports its
5xx and, for writes, its 201s and 409s. A paced run adds wrk's `delay()` hook: each connection waits
connections / rate seconds before its next request (closed-loop pacing: wrk2's constant-rate schedule is
not in Debian, so a latency spike is not charged to the requests it delays).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import cpu

# Counts statuses per thread and prints them as one JSON line; each thread's Lua state is its own.
STATUS_LUA = """
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, string.format('"%d": %d', status, n)) end
  io.write("STATUSES {" .. table.concat(parts, ", ") .. "}\\n")
  io.write(string.format("LATENCY %f %f %f\\n", latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for what we send


THREADS = 2


def script(method: str, paths: list[str], headers: dict[str, str], bodies: list[str] | None = None,
           delay_ms: float | None = None, tokens: list[str] | None = None) -> str:
    """Requests cycling through `paths` (and `bodies`, in step): thread t of T sends items t, t + T, ...,
    so no two requests of a run share an item until the list wraps round. With `tokens`, the run's k-th request
    is sent with bearer token k mod their number (the requests of many users)."""
    header_lines = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    lines = [STATUS_LUA, f"local paths = {{{', '.join(lua_string(p) for p in paths)}}}",
             f"local bodies = {{{', '.join(lua_string(b) for b in bodies or [])}}}",
             f"local tokens = {{{', '.join(lua_string(f'Bearer {t}') for t in tokens or [])}}}",
             f"local headers = {{{header_lines}}}", "local n = -1", f"local T = {THREADS}",
             "function request()",
             "  n = n + 1",
             "  local i = ((n * T + tid) % #paths) + 1",
             "  local body = nil",
             "  if #bodies > 0 then body = bodies[i] end",
             "  if #tokens > 0 then headers[\"Authorization\"] = tokens[((n * T + tid) % #tokens) + 1] end",
             f"  return wrk.format({lua_string(method)}, paths[i], headers, body)",
             "end"]
    if delay_ms is not None:
        lines.append(f"function delay() return {delay_ms:.3f} end")
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    statuses: dict[int, int] = field(default_factory=dict)
    cpu_us: dict[str, float] = field(default_factory=dict)  # per request, by part of the stack (cpu.py)

    @property
    def errors_5xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def find_wrk() -> str | None:
    return shutil.which("wrk")


def run(url: str, lua: str, workdir: Path, *, seconds: float, connections: int) -> Run:
    """One wrk run against `url` (the scheme and host; the script names the paths)."""
    path = workdir / f"scenario-{abs(hash(lua)) % 10**8}.lua"
    path.write_text(lua)
    before = cpu.sample()
    done = subprocess.run([find_wrk() or "wrk", "-t", str(THREADS), "-c", str(connections),  # noqa: S603
                           "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(path), url],
                          capture_output=True, text=True, timeout=seconds + 60, check=True)
    measured = parse(done.stdout)
    measured.cpu_us = cpu.per_request(before, cpu.sample(), measured.requests)
    return measured


def parse(output: str) -> Run:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    count = re.search(r"(\d+) requests in", output)
    latency = re.search(r"LATENCY ([\d.]+) ([\d.]+) ([\d.]+)", output)
    statuses = re.search(r"STATUSES (\{.*\})", output)
    if not (rate and count and latency and statuses):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    p50, p99, top = (float(value) / 1000 for value in latency.groups())  # wrk reports microseconds
    return Run(float(rate.group(1)), p50, p99, top, int(count.group(1)),
               {int(k): v for k, v in json.loads(statuses.group(1)).items()})
