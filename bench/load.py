"""`make bench`'s load section: the stack (nginx, gunicorn, PostgreSQL, RabbitMQ) under wrk, next to its ceilings.

    .venv/bin/python bench/load.py [--seconds 5] [--rounds 3] [--trainers 10000] [--smoke]
    (or `make bench-load`; `make bench` runs it after the in-process section)

Starts `make stack` on free ports with its own databases and the gateway's rate limits raised (a route table
of its own, STVOS_ROUTES), seeds a tenant, then measures in rounds, every scenario once per round (interleaved),
and reports medians: requests/s, p50/p99, 5xx, SQL statements per request and each ratio to its ceiling.
Then each endpoint again, paced at half its measured rate (p99 there is the latency target), and the contests:
64 callers on one slot, a class filling up. Writes bench/results/latest.md and var/bench-load.json.
Speed is never asserted here; tests/e2e/test_bench_smoke.py asserts the correctness figures of a short run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_report
import load_scenarios as sc
import load_seed
import load_stack
import wrk
from load_seed import FULL_CLASS, PRICE, SERVICE_BASE
from stvos_shared.files import private_dir

PAUSE_FRACTION = 0.5  # the paced run's rate, as a fraction of the endpoint's measured maximum


@dataclass
class Options:
    seconds: float = 5
    rounds: int = 3
    trainers: int = 10_000
    bookable: int = 20
    connections: int = 16
    class_capacity: int = 40
    class_callers: int = 64
    paced: bool = True
    postgres_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"


@dataclass
class Measured:
    name: str
    runs: list = field(default_factory=list)
    queries: int | None = None
    paced: object = None
    ceiling: str | None = None
    target: float | None = None
    write: bool = False

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    @property
    def statuses(self) -> dict[int, int]:
        total: dict[int, int] = {}
        for run in [*self.runs, *([self.paced] if self.paced else [])]:
            for status, count in run.statuses.items():
                total[status] = total.get(status, 0) + count
        return total


def _url(target: load_stack.Target, base: str) -> str:
    if base.startswith("port:"):
        return f"http://127.0.0.1:{base.removeprefix('port:')}"
    return {"gateway": target.url, "bare_direct": target.bare_direct, "bare_gateway": target.bare_gateway}[base]


def measure(options: Options, workdir: Path) -> dict:
    """Everything the load section reports, as one dictionary (see load_report for its shape)."""
    with load_stack.stack(workdir, options.postgres_url, options.amqp_url) as target:
        seeded = load_seed.seed(target.url, target.database_urls, str(target.var_dir), options.trainers,
                                options.bookable, options.class_capacity)
        try:
            return _measure(options, workdir, target, seeded)
        finally:
            load_seed.dispose(seeded)


def _measure(options: Options, workdir: Path, target, seeded) -> dict:
    pick = random.Random(20261130)  # noqa: S311 (reproducible, not secret)
    slices = options.rounds + (1 if options.paced else 0) + 1
    books = sc.scenarios(seeded, pick, slices)
    reads, book_runs = books[:-slices], books[-slices:]
    spare = book_runs.pop()  # a slice no wrk run uses: the contest and the booking whose SQL is counted
    writes_sql = _write_queries(seeded, spare)
    every = sc.ceilings(target.ports) + reads
    results = {s.name: Measured(s.name, ceiling=s.ceiling, target=s.target, write=s.write,
                                queries=sc.queries_per_request(seeded, s)) for s in every}
    results["POST book, free slots"] = Measured("POST book, free slots", ceiling=book_runs[0].ceiling, write=True,
                                                queries=writes_sql["book (201)"])
    results["POST join, class at capacity (409)"].queries = writes_sql["join at capacity (409)"]
    load_seed.dispose(seeded)  # the in-process pools: PostgreSQL's connections are for the stack now
    for round_number in range(options.rounds):
        for scenario in [*every, book_runs[round_number]]:
            name = scenario.name.split("#")[0]
            lua = wrk.script(scenario.method, scenario.paths, scenario.headers, scenario.bodies,
                             tokens=scenario.tokens)
            results[name].runs.append(wrk.run(_url(target, scenario.base), lua, workdir, seconds=options.seconds,
                                              connections=options.connections))
    if options.paced:
        for scenario in [*every, book_runs[options.rounds]]:
            measured = results[scenario.name.split("#")[0]]
            rate = max(1.0, measured.median("requests_per_second") * PAUSE_FRACTION)
            connections = max(wrk.THREADS, min(options.connections, int(rate / 4)))  # each at least 4/s
            lua = wrk.script(scenario.method, scenario.paths, scenario.headers, scenario.bodies,
                             delay_ms=connections * 1000 / rate, tokens=scenario.tokens)
            measured.paced = wrk.run(_url(target, scenario.base), lua, workdir, seconds=options.seconds,
                                     connections=connections)
    slot_statuses, slot_times = sc.contested_slot(target.url, seeded, spare_slot(spare))
    class_statuses, class_times = sc.class_filling_up(target.url, seeded, options.class_callers)
    return {
        "results": results, "pgbench": load_report.pgbench(target.database_urls["auth"], options.seconds, workdir),
        "contests": {
            "64 callers on one free slot": {"statuses": dict(slot_statuses), "times": slot_times, "expect": {201: 1}},
            f"{options.class_callers} callers join a class of {options.class_capacity}": {
                "statuses": dict(class_statuses), "times": class_times, "expect": {201: options.class_capacity}},
        },
        "write_queries": writes_sql, "options": asdict(options), "trainers": seeded.trainers,
    }


def spare_slot(spare: sc.Scenario) -> tuple[int, int]:
    body = json.loads(spare.bodies[-1])
    return body["serviceId"] - SERVICE_BASE, body["slotId"]


def _write_queries(seeded, spare: sc.Scenario) -> dict[str, int]:
    """The SQL of one booking (201), of the join that fills the one-place class (201) and of one refused (409)."""
    body = json.loads(spare.bodies[0])
    headers = {**seeded.user_headers(), "Content-Type": "application/json"}
    join = json.dumps({"paymentAmount": float(PRICE)})
    other = {**seeded.user_headers(seeded.token_for(40_000_000)), "Content-Type": "application/json"}
    join_path = f"/trainers/classes/{FULL_CLASS}/join"
    return {
        "book (201)": sc.count_queries(seeded, "booking", "POST", spare.paths[0], headers, json.dumps(body), 201),
        "join (201)": sc.count_queries(seeded, "booking", "POST", join_path, other, join, 201),
        "join at capacity (409)": sc.count_queries(seeded, "booking", "POST", join_path, headers, join, 409),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds, medians reported (default 3)")
    parser.add_argument("--trainers", type=int, default=10_000)
    parser.add_argument("--no-paced", action="store_true", help="skip the runs at half of each maximum rate")
    parser.add_argument("--smoke", action="store_true", help="a short run: 1 s, 1 round, 200 trainers, not paced")
    args = parser.parse_args(argv)
    if not wrk.find_wrk():
        print("load section: skipped, wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr)
        return 0
    options = Options(seconds=args.seconds, rounds=args.rounds, trainers=args.trainers, paced=not args.no_paced,
                      postgres_url=os.environ.get("POSTGRES_URL") or Options.postgres_url,
                      amqp_url=os.environ.get("AMQP_URL") or Options.amqp_url)
    if args.smoke:
        options = Options(seconds=1, rounds=1, trainers=200, paced=False, postgres_url=options.postgres_url,
                          amqp_url=options.amqp_url)
    workdir = Path("var") / "bench-load"  # kept until the next run: the stack's and the ceilings' logs
    shutil.rmtree(workdir, ignore_errors=True)
    private_dir(workdir)
    report = measure(options, workdir.resolve())
    text = load_report.markdown(report)
    print(text)
    out = Path(__file__).resolve().parent / "results" / "latest.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    Path("var").mkdir(exist_ok=True)
    Path("var/bench-load.json").write_text(json.dumps(load_report.as_json(report), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
