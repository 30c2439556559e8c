"""What the flow proofs need, once for both topologies: a small HTTP interface and the two gateways behind it,
the topology (HTTP, the operator's step, patience), and the booking flow's steps.

A topology is `Topology(name, http, new_tenant, patience)`: the embedded gateway delivers every pending event
before and after each request (patience 0: an answer is final); the stack's events cross RabbitMQ, so a step
whose answer depends on an event is asked again until it holds (polled every 0.1 s, for at most `patience` s).
The events ledger is in events.py, the fixtures in topologies.py.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from tests.fixtures.figures import count


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    text: str

    def data(self, status: int = 200) -> dict[str, Any]:
        assert self.status == status, f"expected {status}, got {self.status}: {self.text[:500]}"
        return self.body["data"]

    @property
    def code(self) -> str | None:
        return (self.body or {}).get("error", {}).get("code") if isinstance(self.body, dict) else None


class Http(Protocol):
    """What a proof sends through a gateway; both topologies provide it (thread-safe)."""

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Answer: ...


class EmbeddedHttp:
    """The embedded gateway in-process (tests.fixtures.platform.Gateway: events delivered around each request)."""

    def __init__(self, gateway: Any) -> None:
        self.gateway = gateway

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Answer:
        count("requests (embedded)")
        response = self.gateway.request(method, path, json=body, headers=headers or {})
        return Answer(response.status_code, response.get_json(silent=True), response.get_data(as_text=True))


class StackHttp:
    """The stack's nginx over real HTTP: a connection pool per thread.

    nginx limits each client address to `rate` requests a second with a burst of `burst` (a token and a
    tenant have limits of their own, above what one test sends), and every request of the tests comes from
    127.0.0.1: requests are paced below the rate, and `burst_ready()` waits until the gateway's bucket is
    full again, so a race's requests all reach the services (unpaced: `paced=False`).
    """

    def __init__(self, url: str) -> None:
        from stvos_gateway.routes import load_table

        limit = load_table().limits.per_address
        self.url, self.burst = url, limit.burst
        self._interval, self._refill = 1.25 / limit.rate, limit.burst / limit.rate
        self._local, self._lock, self._next, self._last = threading.local(), threading.Lock(), 0.0, 0.0

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                paced: bool = True) -> Answer:
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        self._pace(paced)
        count("requests (stack)")
        response = session.request(method, self.url + path, json=body, headers=headers or {}, timeout=60)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return Answer(response.status_code, payload, response.text)

    def burst_ready(self, requests: int) -> None:
        """Wait until the gateway lets `requests` through at once (its bucket drained of the paced requests)."""
        assert requests <= self.burst, f"a race of {requests} exceeds the gateway's burst of {self.burst}"
        with self._lock:
            time.sleep(max(0.0, self._last + self._refill - time.monotonic()))

    def _pace(self, paced: bool) -> None:
        with self._lock:
            now = time.monotonic()
            if paced:
                wait, self._next = max(0.0, self._next - now), max(now, self._next) + self._interval
            else:
                wait = 0.0
            self._last = now + wait
        time.sleep(wait)


@dataclass(frozen=True)
class Tenant:
    client_id: int
    api_key: str
    admin: dict[str, str]  # the partner admin's email and password

    @property
    def key(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}

    def bearer(self, token: str) -> dict[str, str]:
        return {**self.key, "Authorization": f"Bearer {token}"}


@dataclass
class Topology:
    name: str
    http: Http
    new_tenant: Callable[[str], Tenant]  # the operator: a tenant (client + API key) and its partner admin
    patience: float  # seconds a step may wait for the events it depends on

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             expect: int = 200) -> dict[str, Any]:
        """The answer's data once it has status `expect` (asked again while events it depends on are on the way)."""
        answer = self.until(lambda: self.http.request(method, path, body, headers),
                            lambda reply: reply.status == expect)
        return answer.data(expect)

    def read(self, path: str, headers: dict[str, str], holds: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        """GET `path` until its data satisfies `holds` (events converge); asserts it does in the end."""
        answer = self.until(lambda: self.http.request("GET", path, None, headers),
                            lambda reply: reply.status == 200 and bool(holds(reply.body["data"])))
        data = answer.data(200)
        assert holds(data), f"{self.name}: GET {path} never satisfied the check: {json.dumps(data)[:1500]}"
        return data

    def until(self, probe: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
        deadline = time.monotonic() + self.patience
        while True:
            result = probe()
            if done(result) or time.monotonic() >= deadline:
                return result
            count(f"polls while events converge ({self.name})")
            time.sleep(0.1)


# -- the booking flow, step by step -----------------------------------------------------------------------------

PASSWORD = "proof-password-1"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_ahead(days: int, zone: str = "Europe/London") -> date:
    return datetime.now(ZoneInfo(zone)).date() + timedelta(days=days)


@dataclass
class Studio:
    """What the flow made so far: the tenant, its people (tokens) and the trainer's offerings."""

    tenant: Tenant
    admin: dict[str, str]
    trainer_id: int
    trainer: dict[str, str]
    day: date
    service: dict[str, Any] = field(default_factory=dict)
    group_class: dict[str, Any] = field(default_factory=dict)
    programme: dict[str, Any] = field(default_factory=dict)
    voucher: str = ""


def open_studio(t: Topology, name: str) -> Studio:
    """A partner admin creates a trainer (and a voucher); the trainer registers once auth learnt of the record."""
    tenant = t.new_tenant(name)
    staff = t.call("POST", "/partner-auth/login", tenant.admin)["accessToken"]
    admin = {"Authorization": f"Bearer {staff}"}
    email = f"coach-{secrets.token_hex(3)}@proofs.example"
    trainer = t.call("POST", "/partner/trainers", {"name": f"Coach {name}", "email": email,
                                                   "timezone": "Europe/London"}, admin, 201)["trainer"]
    voucher = t.call("POST", "/partner/vouchers", {"maxRedemptions": 5}, admin, 201)["voucher"]["code"]
    account = t.call("POST", "/trainer-auth/register", {"email": email, "password": PASSWORD}, tenant.key, 201)
    return Studio(tenant, admin, trainer["id"], tenant.bearer(account["accessToken"]), day_ahead(3), voucher=voucher)


def set_up_business(t: Topology, studio: Studio, capacity: int = 8) -> None:
    """The trainer's service, weekly hours on the studio's day (09:00-12:00), a group class that day, a programme."""
    studio.service = t.call("POST", "/trainer-portal/services", {"name": "1-on-1 Training", "duration": 60,
                                                                 "price": 75}, studio.trainer, 201)["service"]
    t.call("POST", "/trainer-portal/availability", {"dayOfWeek": WEEKDAYS[studio.day.weekday()],
                                                    "startTime": "09:00", "endTime": "12:00"}, studio.trainer, 201)
    studio.group_class = t.call("POST", "/trainer-portal/group-classes", {
        "name": "Group HIIT", "scheduledDate": str(studio.day), "scheduledTime": "14:00", "duration": 45,
        "capacity": capacity, "price": 15}, studio.trainer, 201)["groupClass"]
    assert studio.group_class["spotsLeft"] == capacity
    studio.programme = t.call("POST", "/trainer-portal/programmes", {"name": "12-Week Transformation", "weeks": 12,
                                                                     "price": 299}, studio.trainer, 201)["programme"]
    assert studio.programme["subscriberCount"] == 0


def register_user(t: Topology, studio: Studio, name: str, voucher: str | None = None) -> dict[str, Any]:
    """A user of the studio: {"id", "email", "headers"} (their API key and bearer token)."""
    email = f"{name.lower()}-{secrets.token_hex(3)}@proofs.example"
    body = {"email": email, "password": PASSWORD, "name": name, **({"voucherCode": voucher} if voucher else {})}
    made = t.call("POST", "/auth/register", body, studio.tenant.key, 201)
    return {"id": made["user"]["id"], "email": email, "headers": studio.tenant.bearer(made["accessToken"])}


def slots(t: Topology, studio: Studio, user: dict[str, Any], holds=bool) -> list[dict[str, Any]]:
    """The bookable slots of the studio's service on its day, once they satisfy `holds`."""
    path = (f"/trainers/{studio.trainer_id}/availability?startDate={studio.day}&endDate={studio.day}"
            f"&serviceId={studio.service['id']}")
    return t.read(path, user["headers"], lambda data: holds(data["slots"]))["slots"]


def by_id(items: list[dict[str, Any]], item_id: int) -> dict[str, Any] | None:
    return next((item for item in items if item["id"] == item_id), None)
