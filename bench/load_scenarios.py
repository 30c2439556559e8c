"""The load section's scenarios: what wrk sends for each, the SQL one such request sends (counted in process, on
the stack's databases, through the service's own app), and the two contests (64 callers on one slot, a class
filling up) run with a barrier so that every caller asks at once.
"""
from __future__ import annotations

import json
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

import requests
from load_seed import CONTESTED_CLASS, FULL_CLASS, PRICE, SERVICE_BASE, Seeded, window
from sqlalchemy import event


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    paths: list[str]
    headers: dict[str, str]
    bodies: list[str] | None = None
    write: bool = False
    base: str = "gateway"  # which URL: the stack's gateway, or a ceiling's
    ceiling: str | None = None  # the ceiling its ratio is taken against
    target: float | None = None  # the ratio the issue asks for
    tokens: list[str] | None = None  # bearer tokens sent in turn (many users), instead of the headers' own


def ceilings(ports: dict[str, int]) -> list[Scenario]:
    return [
        Scenario("ceiling: nginx return 200 (gateway /healthz)", "GET", ["/healthz"], {}),
        Scenario("ceiling: bare Flask, gunicorn direct", "GET", ["/invite/bare"], {}, base="bare_direct"),
        Scenario("ceiling: bare Flask through nginx", "GET", ["/invite/bare"], {}, base="bare_gateway",
                 ceiling="ceiling: bare Flask, gunicorn direct", target=0.8),
        Scenario("ceiling: auth /healthz, gunicorn direct", "GET", ["/healthz"], {}, base=f"port:{ports['auth']}"),
    ]


def scenarios(seeded: Seeded, pick: random.Random, book_slices: int) -> list[Scenario]:
    user, n = seeded.user_headers(), 2000
    bare = "ceiling: bare Flask through nginx"
    pages = max(1, seeded.trainers // 20)
    first7, last7 = window(7)
    first28, last28 = window(28)
    trainers = seeded.bookable
    found = [f"/trainers?search={quote(f'trainer {pick.randint(1, seeded.trainers):05d}')}" for _ in range(n)]
    common = ["/trainers?search=mike", "/trainers?search=yoga", "/trainers?search=strength"]
    return [
        Scenario("GET /auth/me", "GET", ["/auth/me"], user, ceiling="ceiling: auth /healthz, gunicorn direct",
                 target=0.5),
        Scenario("GET /trainers?page=N", "GET", [f"/trainers?page={pick.randint(1, pages)}" for _ in range(n)], user,
                 ceiling=bare, target=0.4),
        Scenario("GET /trainers?search=...", "GET", [pick.choice([*found, *common * 50]) for _ in range(n)], user,
                 ceiling=bare, target=0.4),
        Scenario("GET /trainers/:id", "GET", [f"/trainers/{pick.randint(1, seeded.trainers)}" for _ in range(n)],
                 user, ceiling=bare, target=0.5),
        Scenario("GET availability, 7 days", "GET", [
            f"/trainers/{t}/availability?startDate={first7}&endDate={last7}&serviceId={SERVICE_BASE + t}"
            for t in trainers], user, ceiling=bare),
        Scenario("GET availability, 28 days", "GET", [
            f"/trainers/{t}/availability?startDate={first28}&endDate={last28}&serviceId={SERVICE_BASE + t}"
            for t in trainers], user, ceiling=bare),
        Scenario("GET /my-bookings/sessions", "GET", ["/my-bookings/sessions"], seeded.bookers_headers(), ceiling=bare,
                 tokens=seeded.bookers),
        Scenario("POST join, class at capacity (409)", "POST", [f"/trainers/classes/{FULL_CLASS}/join"],
                 {**user, "Content-Type": "application/json"}, [json.dumps({"paymentAmount": float(PRICE)})],
                 write=True, ceiling=bare),
    ] + [book_scenario(seeded, part, book_slices) for part in range(book_slices)]


def book_scenario(seeded: Seeded, part: int, parts: int) -> Scenario:
    """POST book on free slots: slice `part` of `parts` of every slot (each run books slots no other run saw), each
    request as one of the booking users in turn."""
    mine = seeded.slots[part::parts]
    return Scenario(f"POST book, free slots#{part}", "POST", [f"/trainers/{trainer}/book" for trainer, _ in mine],
                    {**seeded.bookers_headers(), "Content-Type": "application/json"},
                    [json.dumps({"serviceId": SERVICE_BASE + trainer, "slotId": slot}) for trainer, slot in mine],
                    write=True, ceiling="ceiling: bare Flask through nginx", tokens=seeded.bookers)


# -- SQL per request, counted in process ---------------------------------------------------------------

def count_queries(seeded: Seeded, service: str, method: str, path: str, headers: dict, body: str | None = None,
                  status: int | None = None) -> int:
    """The statements (SELECT/INSERT/UPDATE/DELETE) one request sends, through the service's own app."""
    import importlib

    container = seeded.containers[service]
    app = importlib.import_module(f"stvos_{service}.app").create_app(container=container)
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            sent.append(statement)

    headers = {k: v for k, v in headers.items() if k != "X-API-Key"} | {"X-Client-Id": str(seeded.client_id)}
    client = app.test_client()
    if method == "GET":
        client.open(path, method=method, headers=headers)  # warm: caches (a write is sent once, counted)
    event.listen(container.db.engine, "before_cursor_execute", record)
    try:
        response = client.open(path, method=method, headers=headers, data=body)
    finally:
        event.remove(container.db.engine, "before_cursor_execute", record)
    if status is not None and response.status_code != status:
        raise RuntimeError(f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    return len(sent)


SERVICE_OF = {"GET /auth/me": "auth", "POST join, class at capacity (409)": "booking",
              "GET /my-bookings/sessions": "booking"}


def queries_per_request(seeded: Seeded, scenario: Scenario) -> int | None:
    if scenario.base != "gateway" or scenario.name.startswith("ceiling") or scenario.write:
        return None
    service = SERVICE_OF.get(scenario.name) or ("booking" if "availability" in scenario.name else "catalog")
    return count_queries(seeded, service, scenario.method, scenario.paths[0], scenario.headers, status=200)


# -- contests -------------------------------------------------------------------------------------------

def contest(url: str, requests_: list[tuple[str, dict, dict]]) -> tuple[Counter, list[float]]:
    """Send every request at once (a barrier, one thread each); the statuses, and each answer's time in ms."""
    import time

    barrier, times, statuses = threading.Barrier(len(requests_)), [], Counter()
    session_lock = threading.Lock()

    def one(item: tuple[str, dict, dict]) -> None:
        path, headers, body = item
        with requests.Session() as session:
            barrier.wait()
            began = time.perf_counter()
            response = session.post(f"{url}{path}", json=body, headers=headers, timeout=60)
            with session_lock:
                times.append((time.perf_counter() - began) * 1000)
                statuses[response.status_code] += 1

    with ThreadPoolExecutor(len(requests_)) as pool:
        list(pool.map(one, requests_))
    return statuses, sorted(times)


def contested_slot(url: str, seeded: Seeded, slot: tuple[int, int], callers: int = 64) -> tuple[Counter, list]:
    trainer, slot_id = slot
    body = {"serviceId": SERVICE_BASE + trainer, "slotId": slot_id}
    return contest(url, [(f"/trainers/{trainer}/book", seeded.user_headers(seeded.token_for(20_000_000 + n)), body)
                         for n in range(callers)])


def class_filling_up(url: str, seeded: Seeded, callers: int) -> tuple[Counter, list]:
    body = {"paymentAmount": float(PRICE)}
    return contest(url, [(f"/trainers/classes/{CONTESTED_CLASS}/join",
                          seeded.user_headers(seeded.token_for(30_000_000 + n)), body) for n in range(callers)])
