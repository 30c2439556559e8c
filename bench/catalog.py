"""Catalog discovery at scale: 10,000 trainers with 50 offerings each in one tenant.

    .venv/bin/python bench/catalog.py                       (SQLite in a temporary directory)
    .venv/bin/python bench/catalog.py --postgres URL        (a scratch database on that server, dropped after)

Seeds the catalog's own tables directly, then sends GET /trainers (pages, searches) and GET /trainers/:id to
the catalog app in-process with a trainer's verified RS256 token, and prints per request the server time
(median and 95th percentile) and the SQL statements sent. Writes var/bench-catalog.json. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, insert, text
from stvos_catalog.adapters.orm import GroupClass, Programme, RecordedClass, Service, Trainer
from stvos_catalog.adapters.repositories.trainers import Trainers
from stvos_catalog.app import create_app
from stvos_catalog.bootstrap import AUDIENCE, ISSUER, build
from stvos_catalog.config import Settings
from stvos_catalog.domain.model import search_text
from stvos_shared.tokens import JwksKeys, TokenSigner, TokenVerifier, generate_private_key_pem, public_jwk

TRAINERS, CLIENT = 10_000, 1
BIO = "Certified personal trainer with ten years of experience in strength, conditioning and mobility."
SPECIALISATIONS = (["Strength", "HIIT"], ["Yoga", "Mobility"], ["Boxing"], ["Running", "Endurance"])
FIRST = ("Alex", "Sam", "Mike", "Anna", "Kai", "Zoe", "Liam", "Mia", "Noah", "Ella")


def trainer_rows(client_id: int = CLIENT, count: int = TRAINERS) -> list[dict]:
    rows = []
    for n in range(1, count + 1):
        name, specialisations = f"{FIRST[n % len(FIRST)]} Trainer {n:05d}", SPECIALISATIONS[n % 4]
        rows.append({"id": n, "client_id": client_id, "name": name, "bio": BIO, "image": f"https://img.test/{n}.png",
                     "specialisations": specialisations, "timezone": "Europe/London", "active": n % 10 != 0,
                     "search_text": search_text(name, specialisations), "stamps": {}})
    return rows


def offering_rows(trainer_id: int, start: datetime, client_id: int = CLIENT) -> dict[type, list[dict]]:
    """50 offerings: 20 services, 10 upcoming group classes, 10 programmes, 10 recorded classes."""
    mine = {"client_id": client_id, "trainer_id": trainer_id, "active": True}
    money = {"price": Decimal("75.00"), "currency": "GBP"}
    classes = []
    for n in range(10):
        starts = start + timedelta(days=n + 1, hours=trainer_id % 12)
        classes.append({**mine, **money, "name": f"Class {n}", "starts_at": starts, "ends_at": starts + timedelta(
            minutes=45), "timezone": "Europe/London", "duration": 45, "capacity": 12, "participants": n,
                        "seat_version": n})
    return {
        Service: [{**mine, **money, "name": f"Service {n}", "description": "A session", "duration": 60}
                  for n in range(20)],
        GroupClass: classes,
        Programme: [{**mine, **money, "name": f"Programme {n}", "weeks": 12, "subscribers": n,
                     "subscribers_version": n} for n in range(10)],
        RecordedClass: [{**mine, "name": f"Recorded {n}", "duration": 30, "intensity": "high"} for n in range(10)],
    }


def seed(container, client_id: int = CLIENT, count: int = TRAINERS) -> float:
    """`count` trainers of `client_id` with their offerings, straight into the catalog's tables (ids 1..count)."""
    began, start = time.perf_counter(), datetime.now(UTC)
    container.db.create_all()
    with container.db.unit_of_work() as session:
        session.execute(insert(Trainer), trainer_rows(client_id, count))
        Trainers(session).changed(client_id)
    for first in range(1, count + 1, 500):
        batch: dict[type, list[dict]] = {}
        for trainer_id in range(first, min(first + 500, count + 1)):
            for model, rows in offering_rows(trainer_id, start, client_id).items():
                batch.setdefault(model, []).extend(rows)
        with container.db.unit_of_work() as session:
            for model, rows in batch.items():
                session.execute(insert(model), rows)
    with container.db.engine.connect() as connection:  # what autovacuum would have done by the time of a read
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE" if container.db.engine.dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - began


def measure(client, headers: dict, paths: list[str], engine) -> dict:
    for path in paths[:5]:
        client.get(path, headers=headers)  # warm: caches, prepared plans
    statements: list[str] = []

    def record(*args) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    times = []
    for path in paths:
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
    event.remove(engine, "before_cursor_execute", record)
    data_statements = [s for s in statements if s.split(None, 1)[0].upper() == "SELECT"]
    times.sort()
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(len(times) * 0.95)], 3),
            "queries_per_request": len(data_statements) / len(paths)}


def request_cases(pick: random.Random, n: int) -> dict[str, list[str]]:
    return {
        "GET /trainers?page=N (20 a page)": [f"/trainers?page={pick.randint(1, 450)}" for _ in range(n)],
        "GET /trainers?search=<rare name>": [f"/trainers?search=trainer%20{pick.randint(1, TRAINERS):05d}"
                                             for _ in range(n)],
        "GET /trainers?search=mike (1,000 matches)": ["/trainers?search=mike"] * n,
        "GET /trainers?search=yoga (2,500 matches)": ["/trainers?search=yoga"] * n,
        "GET /trainers/:id (50 offerings)": [f"/trainers/{pick.randint(1, TRAINERS)}" for _ in range(n)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server (a scratch database is made)")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.postgres:
            from stvos_shared.migrations import scratch_database

            url = stack.enter_context(scratch_database(args.postgres, "stvos_bench_catalog"))
        else:
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/catalog.db"
        container = build(Settings(database_url=url))
        stack.callback(container.db.dispose)
        seconds = seed(container)
        pem = generate_private_key_pem()
        container.verifier = TokenVerifier(JwksKeys.static({"keys": [public_jwk(pem, "bench")]}), ISSUER, AUDIENCE)
        token = TokenSigner(pem, "bench", ISSUER, AUDIENCE).issue("1", "access", 3600,
                                                                  {"cid": CLIENT, "role": "user", "tid": None})
        client = create_app(container=container).test_client()
        headers = {"Authorization": f"Bearer {token}", "X-Client-Id": str(CLIENT)}
        cases = request_cases(random.Random(20261130), args.requests)  # noqa: S311 (reproducible, not secret)
        results = {name: measure(client, headers, paths, container.db.engine) for name, paths in cases.items()}
        results["ceiling: GET /healthz (the app's own floor, no database)"] = measure(
            client, {}, ["/healthz"] * args.requests, container.db.engine)
    report = {"database": "postgresql" if args.postgres else "sqlite", "trainers": TRAINERS,
              "offerings_per_trainer": 50, "seed_seconds": round(seconds, 1), "requests": results}
    out = Path("var") / "bench-catalog.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
