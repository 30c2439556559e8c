"""The load section's report: bench/results/latest.md (with the machine and versions) and var/bench-load.json;
and the database's own ceiling, pgbench `SELECT 1`, when pgbench is installed."""
from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata

READ_P99_MS, WRITE_P99_MS = 25, 50  # at half of each endpoint's maximum rate


def pgbench(database_url: str, seconds: float, workdir) -> dict:
    """pgbench `SELECT 1` on the stack's auth database (8 clients, 2 threads), or why it was skipped."""
    binary = shutil.which("pgbench")
    if not binary:
        return {"skipped": "pgbench is not installed (Debian: postgresql-contrib or postgresql-client)"}
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    script = workdir / "select1.sql"
    script.write_text("SELECT 1;\n")
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    command = [binary, "-n", "-c", "8", "-j", "2", "-T", str(max(1, round(seconds))), "-f", str(script),
               "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
               url.database]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    if done.returncode != 0 or not tps:
        return {"skipped": f"pgbench failed: {done.stderr.strip()[:200]}"}
    return {"tps": float(tps.group(1)), "latency_ms": float(latency.group(1)) if latency else None}


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return "not installed"
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "?"


def machine() -> dict[str, str]:
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    packages = ", ".join(f"{name} {metadata.version(name)}" for name in ("flask", "gunicorn", "sqlalchemy", "psycopg",
                                                                          "pyjwt", "marshmallow", "flask-smorest"))
    return {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpu": f"{os.cpu_count()} x {cpu}",
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "os": f"{platform.system()} {platform.release()}", "python": sys.version.split()[0],
            "nginx": _version(["nginx", "-v"]), "wrk": _version(["wrk", "-v"]),
            "postgresql": _version(["psql", "--version"]), "packages": packages}


def _ratio(results: dict, row) -> float | None:
    ceiling = results.get(row.ceiling) if row.ceiling else None
    if not ceiling or not ceiling.runs or not row.runs:
        return None
    return row.median("requests_per_second") / ceiling.median("requests_per_second")


def _paced(row) -> str:
    if row.paced is None:
        return "-"
    if not row.paced.requests:
        return "no answer within the run"
    limit = WRITE_P99_MS if row.write else READ_P99_MS
    verdict = "ok" if row.paced.p99_ms <= limit else f"over {limit} ms"
    return f"{row.paced.requests_per_second:,.0f}/s: p99 {row.paced.p99_ms:.1f} ms ({verdict})"


def cpu_median(row) -> dict[str, float]:
    """The median over the runs of each part's CPU per request (runs without the figure left out)."""
    runs = [run.cpu_us for run in row.runs if run.cpu_us]
    return {part: statistics.median(run[part] for run in runs) for part in runs[0]} if runs else {}


def _cpu(row) -> str:
    return " / ".join(f"{value:,.0f}" for value in cpu_median(row).values()) or "-"


def _statuses(statuses: dict[int, int]) -> str:
    return " ".join(f"{status} x{count}" for status, count in sorted(statuses.items()))


def markdown(report: dict) -> str:
    results, options = report["results"], report["options"]
    lines = ["# `make bench`: load section", "",
             f"The stack (`make stack`: nginx, gunicorn 2 workers x 4 threads per API, PostgreSQL, RabbitMQ) with the "
             f"gateway's rate limits raised, {report['trainers']:,} trainers seeded; wrk from this machine, "
             f"{options['connections']} connections, 2 threads; {options['rounds']} interleaved round(s) of "
             f"{options['seconds']:g} s per scenario, medians shown. Paced: each endpoint again at half its "
             "median rate (wrk's `delay()`: closed-loop pacing, not wrk2's constant rate). SQL per request: the "
             "statements one such request sends, counted in process through the service's app on the stack's "
             "database.", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in machine().items()]
    lines += ["", "| scenario | req/s | p50 ms | p99 ms | 5xx | statuses | SQL/req | CPU µs/req: services, "
              "PostgreSQL, nginx, wrk | ratio (target) | paced at ½ |",
              "|---|---:|---:|---:|---:|---|---:|---|---|---|"]
    for row in results.values():
        if not row.runs:
            continue
        ratio = _ratio(results, row)
        ratio_text = "-" if ratio is None else f"{ratio:.2f}" + (f" (≥ {row.target})" if row.target else "")
        if ratio is not None and row.target and ratio < row.target:
            ratio_text += " **below**"
        errors = sum(n for status, n in row.statuses.items() if status >= 500)
        lines.append(f"| {row.name} | {row.median('requests_per_second'):,.0f} | {row.median('p50_ms'):.1f} | "
                     f"{row.median('p99_ms'):.1f} | {errors} | {_statuses(row.statuses)} | "
                     f"{'-' if row.queries is None else row.queries} | {_cpu(row)} | {ratio_text} | {_paced(row)} |")
    pg = report["pgbench"]
    lines += ["", "pgbench `SELECT 1` (8 clients): " + (pg["skipped"] if "skipped" in pg else
                                                         f"{pg['tps']:,.0f} tps, {pg['latency_ms']} ms average"), ""]
    lines += ["| contest | statuses | expected | p50 ms | slowest ms |", "|---|---|---|---:|---:|"]
    for name, contest in report["contests"].items():
        times = contest["times"]
        lines.append(f"| {name} | {_statuses(contest['statuses'])} | {_statuses(contest['expect'])} | "
                     f"{times[len(times) // 2]:.0f} | {times[-1]:.0f} |")
    lines += ["", "SQL of the writes: " + ", ".join(f"{k}: {v}" for k, v in report["write_queries"].items()), ""]
    return "\n".join(lines)


def as_json(report: dict) -> dict:
    rows = {}
    for name, row in report["results"].items():
        if not row.runs:
            continue
        rows[name] = {"requests_per_second": row.median("requests_per_second"), "p50_ms": row.median("p50_ms"),
                      "p99_ms": row.median("p99_ms"), "statuses": row.statuses, "queries": row.queries,
                      "ratio": _ratio(report["results"], row), "target": row.target, "cpu_us": cpu_median(row),
                      "paced": None if row.paced is None else {"requests_per_second": row.paced.requests_per_second,
                                                               "p99_ms": row.paced.p99_ms}}
    return {"results": rows, "pgbench": report["pgbench"], "write_queries": report["write_queries"],
            "contests": {k: {"statuses": v["statuses"], "expect": v["expect"]} for k, v in report["contests"].items()},
            "machine": machine(), "options": report["options"]}
