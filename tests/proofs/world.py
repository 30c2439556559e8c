"""Two tenants seeded through the gateway as people would, for the tenant and role matrices and the bad-input proof.

Each tenant has a partner admin and a partner staff member, a trainer (created by the admin, registered through
trainer-auth) with a service, a group class, a recorded class, a programme, an invite code, weekly hours, a date
override and a one-off slot, a voucher, and a user (registered with the voucher, coached by the trainer) with a
booking, a class place and a programme subscription. `ids` names every id a route can take; `ID_SOURCES` says
which id each path parameter takes, so a route whose id has no source fails the suites that need one.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from stvos_auth import admin as auth_admin
from stvos_gateway.routes import load_table
from stvos_partner import admin as partner_admin
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.test import Client

from tests.fixtures.platform import Gateway, assert_published_events_match_their_contracts

PASSWORD = "proof-matrix-password"
ROLES = ("anonymous", "user", "trainer", "staff", "admin")
MISSING_ID = 987654  # an id no seed reaches
SPARE_SESSIONS = len(ROLES)  # refresh tokens to spend per tenant: one per role in the role matrix
# (the path segment before the parameter, the parameter) -> the key in Tenant.ids
ID_SOURCES = {
    ("trainers", "trainer_id"): "trainer", ("classes", "class_id"): "group_class",
    ("group-classes", "class_id"): "group_class", ("group-classes", "item_id"): "group_class",
    ("services", "item_id"): "service", ("recorded-classes", "item_id"): "recorded_class",
    ("programmes", "item_id"): "programme", ("invite-codes", "item_id"): "invite_code",
    ("programmes", "subscription_id"): "subscription", ("sessions", "booking_id"): "booking",
    ("bookings", "booking_id"): "booking", ("overrides", "override_id"): "override",
    ("availability", "window_id"): "window", ("time-slots", "slot_id"): "time_slot",
    ("clients", "user_id"): "user", ("vouchers", "voucher_id"): "voucher",
}
_PARAM = re.compile(r"\{([^}/]+)\}")


def id_source(path: str, param: str) -> str | None:
    """The seed id a path parameter takes, or None when the seed has none for it."""
    parts = path.split("/")
    before = parts[parts.index("{" + param + "}") - 1]
    return ID_SOURCES.get((before, param))


def path_params(path: str) -> list[str]:
    return _PARAM.findall(path)


def fill(path: str, ids: dict[str, int], default: int | str | None = None) -> str:
    """The path with each parameter replaced by its seed id (or `default` for every one)."""
    return _PARAM.sub(lambda m: str(default if default is not None else ids[id_source(path, m.group(1))]), path)


@dataclass
class Tenant:
    name: str
    client_id: int
    api_key: str
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # role -> access token
    refresh: dict[str, list[str]] = field(default_factory=dict)  # "user"/"staff" -> spare refresh tokens
    emails: dict[str, str] = field(default_factory=dict)  # role -> email
    codes: dict[str, str] = field(default_factory=dict)  # voucher, invite

    def headers(self, role: str) -> dict[str, str]:
        """What a caller in `role` sends: the tenant's API key and, unless anonymous, their bearer token."""
        headers = {"X-API-Key": self.api_key}
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return headers


@dataclass
class World:
    platform: EmbeddedPlatform
    gateway: Gateway
    client: Client  # the gateway without the event flushes around each call: the matrices' thousands of calls
    tenants: tuple[Tenant, Tenant]
    spec: dict[str, Any]

    def send(self, method: str, path: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        """One call through the gateway: (status, the body's bytes)."""
        response = self.client.open(path, method=method, json=body, headers=headers)
        return response.status_code, response.get_data()

    def operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(METHOD, path, operation) for every operation of the merged OpenAPI."""
        for path, item in self.spec["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    yield method.upper(), path, operation


def _data(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.request.method, response.request.path, response.get_json())
    return response.get_json()["data"]


def seed_tenant(platform: EmbeddedPlatform, gw: Gateway, name: str) -> Tenant:
    made = auth_admin.create_client(platform.containers["auth"], name=f"{name} Studio")
    slug = name.lower()
    tenant = Tenant(name, made["clientId"], made["apiKey"])
    tenant.emails = {role: f"{role}@{slug}.proofs.example" for role in ROLES[1:]}
    key = {"X-API-Key": tenant.api_key}
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=tenant.client_id,
                                       email=tenant.emails["admin"], password=PASSWORD, role="admin",
                                       partner_name=f"{name} Partner")
    login = _data(gw.post("/partner-auth/login", json={"email": tenant.emails["admin"], "password": PASSWORD}), 200)
    tenant.tokens["admin"] = login["accessToken"]
    admin = {"Authorization": f"Bearer {tenant.tokens['admin']}"}
    _data(gw.post("/partner/staff", json={"email": tenant.emails["staff"], "password": PASSWORD, "role": "staff"},
                  headers=admin), 201)
    login = _data(gw.post("/partner-auth/login", json={"email": tenant.emails["staff"], "password": PASSWORD}), 200)
    tenant.tokens["staff"] = login["accessToken"]
    trainer = _data(gw.post("/partner/trainers", json={"name": f"Coach {name}", "email": tenant.emails["trainer"],
                                                       "timezone": "Europe/London"}, headers=admin), 201)
    tenant.ids["trainer"] = trainer["trainer"]["id"]
    voucher = _data(gw.post("/partner/vouchers", json={"code": f"{name.upper()}-WELCOME", "maxRedemptions": 50},
                            headers=admin), 201)["voucher"]
    tenant.ids["voucher"], tenant.codes["voucher"] = voucher["id"], voucher["code"]
    made = _data(gw.post("/trainer-auth/register", json={"email": tenant.emails["trainer"], "password": PASSWORD},
                         headers=key), 201)
    tenant.tokens["trainer"] = made["accessToken"]
    made = _data(gw.post("/auth/register", json={
        "email": tenant.emails["user"], "password": PASSWORD, "name": f"{name} Member",
        "voucherCode": tenant.codes["voucher"], "coachId": tenant.ids["trainer"]}, headers=key), 201)
    tenant.tokens["user"], tenant.ids["user"] = made["accessToken"], made["user"]["id"]
    _seed_spare_sessions(gw, tenant, admin)
    _seed_offerings(gw, tenant)
    _seed_bookings(gw, tenant)
    return tenant


def _seed_spare_sessions(gw: Gateway, tenant: Tenant, admin: dict[str, str]) -> None:
    """Refresh tokens of sessions nobody else uses, one per call that exchanges one (a replay revokes a family)."""
    key, slug = {"X-API-Key": tenant.api_key}, tenant.name.lower()
    tenant.refresh = {"user": [], "staff": []}
    for n in range(SPARE_SESSIONS):
        made = _data(gw.post("/auth/register", json={"email": f"spare{n}@{slug}.proofs.example",
                                                     "password": PASSWORD}, headers=key), 201)
        tenant.refresh["user"].append(made["refreshToken"])
        email = f"spare-staff{n}@{slug}.proofs.example"
        _data(gw.post("/partner/staff", json={"email": email, "password": PASSWORD, "role": "staff"},
                      headers=admin), 201)
        made = _data(gw.post("/partner-auth/login", json={"email": email, "password": PASSWORD}), 200)
        tenant.refresh["staff"].append(made["refreshToken"])


def _seed_offerings(gw: Gateway, tenant: Tenant) -> None:
    trainer = tenant.headers("trainer")
    in_a_week = (date.today() + timedelta(days=7)).isoformat()
    for key, path, body in [
        ("service", "services", {"name": "1-on-1", "duration": 60, "price": 75, "currency": "GBP"}),
        ("group_class", "group-classes", {"name": "HIIT", "scheduledDate": in_a_week, "scheduledTime": "18:30",
                                          "duration": 45, "capacity": 10, "price": 15, "currency": "GBP"}),
        ("recorded_class", "recorded-classes", {"name": "Mobility", "duration": 20, "intensity": "low"}),
        ("programme", "programmes", {"name": "12 Weeks", "weeks": 12, "price": 299, "currency": "GBP"}),
        ("invite_code", "invite-codes", {"maxUses": 10}),
    ]:
        made = _data(gw.post(f"/trainer-portal/{path}", json=body, headers=trainer), 201)
        tenant.ids[key] = next(iter(made.values()))["id"]
        if key == "invite_code":
            tenant.codes["invite"] = next(iter(made.values()))["code"]
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        window = _data(gw.post("/trainer-portal/availability", json={
            "dayOfWeek": day, "startTime": "07:00", "endTime": "21:00"}, headers=trainer), 201)
        tenant.ids.setdefault("window", window["availability"]["id"])
    far = (date.today() + timedelta(days=40)).isoformat()
    tenant.ids["override"] = _data(gw.post("/trainer-portal/availability/overrides", json={
        "date": far, "available": False}, headers=trainer), 201)["override"]["id"]
    tenant.ids["time_slot"] = _data(gw.post("/trainer-portal/time-slots", json={
        "date": (date.today() + timedelta(days=10)).isoformat(), "startTime": "06:00", "endTime": "06:45"},
        headers=trainer), 201)["timeSlot"]["id"]


def _seed_bookings(gw: Gateway, tenant: Tenant) -> None:
    user, trainer_id = tenant.headers("user"), tenant.ids["trainer"]
    first = date.today() + timedelta(days=2)
    slots = _data(gw.get(f"/trainers/{trainer_id}/availability?startDate={first}&endDate={first + timedelta(days=6)}"
                         f"&serviceId={tenant.ids['service']}", headers=user), 200)["slots"]
    tenant.ids["slot"] = slots[1]["id"]
    booking = _data(gw.post(f"/trainers/{trainer_id}/book", json={
        "serviceId": tenant.ids["service"], "slotId": slots[0]["id"]}, headers=user), 201)
    tenant.ids["booking"] = booking["booking"]["id"]
    _data(gw.post(f"/trainers/classes/{tenant.ids['group_class']}/join", json={"paymentAmount": 15},
                  headers=user), 201)
    subscription = _data(gw.post(f"/trainers/{trainer_id}/programmes/subscribe", json={
        "programmeId": tenant.ids["programme"], "startDate": date.today().isoformat(), "paymentAmount": 299},
        headers=user), 201)
    tenant.ids["subscription"] = next(iter(subscription.values()))["id"]


def relaxed_platform(var_dir: str) -> EmbeddedPlatform:
    """The embedded platform with the gateway's rate limits out of the way (the suites send thousands)."""
    return EmbeddedPlatform(var_dir, table=load_table().unlimited())


@pytest.fixture(scope="module", name="world")
def world_fixture(tmp_path_factory) -> Iterator[World]:
    """Two seeded tenants on one embedded platform (SQLite), shared by a test module."""
    platform = relaxed_platform(str(tmp_path_factory.mktemp("world")))
    gw = Gateway(platform)
    try:
        tenants = (seed_tenant(platform, gw, "North"), seed_tenant(platform, gw, "South"))
        yield World(platform, gw, Client(platform.gateway), tenants, gw.get("/openapi.json").get_json())
        platform.flush()
        assert_published_events_match_their_contracts(platform)
    finally:
        platform.stop()
