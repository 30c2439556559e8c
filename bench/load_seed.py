"""The load section's data, on the stack's own databases: one tenant with a registered user, N trainers in the
catalog (with their 50 offerings each, inserted directly), a few of them open for booking, and the users who book
them: 100 of them, each with a history of 100 past sessions (inserted directly), as many users would hold.

Booking learns its trainers, services and classes from catalog's events; here those events are handed to
booking's consumer directly (the same handlers), and the trainers' weekly hours are set through the gateway
with tokens signed by auth's own key.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import requests
from catalog import seed as seed_catalog
from stvos_auth import admin as auth_admin
from stvos_booking.adapters.orm import SessionBooking
from stvos_catalog.bootstrap import AUDIENCE, ISSUER
from stvos_runner.services import build_containers
from stvos_shared.events import Event
from stvos_shared.tokens import JwksKeys, TokenVerifier

SLOT_ID_BASE, EPOCH = 2**30, datetime(2020, 1, 1, tzinfo=UTC)  # booking's domain/slots.py: stable slot ids
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SERVICE_BASE, OPEN_HOURS = 100_000, range(6, 22)  # a session may start on the hour from 06:00 to 21:00 UTC
BOOKERS, BOOKER_BASE, HISTORY = 100, 50_000_000, 100  # the users who book (ids from BOOKER_BASE), their past sessions
CONTESTED_CLASS, FULL_CLASS = 900_001, 900_002
PRICE = "15.00"


@dataclass
class Seeded:
    client_id: int
    api_key: str
    user_token: str
    trainers: int
    bookable: list[int]
    slots: list[tuple[int, int]] = field(default_factory=list)  # (trainer, slot id), never two alike
    containers: dict = field(default_factory=dict)
    signer: object = None
    bookers: list[str] = field(default_factory=list)  # the booking users' tokens

    def bookers_headers(self) -> dict[str, str]:
        """Headers of a booking user's request (the first's token: a run sends each of `bookers` in turn)."""
        return self.user_headers(self.bookers[0])

    def user_headers(self, token: str | None = None) -> dict[str, str]:
        return {"X-API-Key": self.api_key, "Authorization": f"Bearer {token or self.user_token}"}

    def token_for(self, user_id: int, role: str = "user", trainer_id: int | None = None) -> str:
        return self.signer.issue(str(user_id), "access", 3600, {"cid": self.client_id, "role": role,
                                                                "tid": trainer_id})


def slot_id(starts_at: datetime) -> int:
    return SLOT_ID_BASE + int((starts_at - EPOCH).total_seconds() // 60)


def seed(gateway: str, database_urls: dict[str, str], var_dir: str, trainers: int, bookable: int,
         class_capacity: int) -> Seeded:
    containers = build_containers(var_dir, database_urls)
    auth, catalog, booking = containers["auth"], containers["catalog"], containers["booking"]
    tenant = auth_admin.create_client(auth, name="Load Bench Studio")
    client_id, key = tenant["clientId"], tenant["apiKey"]
    user = {"email": f"load-{secrets.token_hex(3)}@example.com", "password": "correct horse battery staple"}
    _ok(requests.post(f"{gateway}/auth/register", json=user, headers={"X-API-Key": key}, timeout=30), 201)
    login = _ok(requests.post(f"{gateway}/auth/login", json=user, headers={"X-API-Key": key}, timeout=30), 200)
    seed_catalog(catalog, client_id, trainers)
    jwks = JwksKeys.static(auth.signing.jwks())  # in-process apps (query counts) verify with the stack's keys
    for container in (catalog, booking, containers["portal"]):
        container.verifier = TokenVerifier(jwks, ISSUER, AUDIENCE)
    seeded = Seeded(client_id, key, login.json()["data"]["accessToken"], trainers, list(range(1, bookable + 1)),
                    containers=containers, signer=auth.signing.signer())
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    for trainer in seeded.bookable:
        _open_for_booking(gateway, booking, seeded, trainer)
    for class_id, capacity in ((CONTESTED_CLASS, class_capacity), (FULL_CLASS, 1)):
        _tell(booking, client_id, "catalog.group_class.created", _group_class(class_id, capacity, start))
    seeded.bookers = [seeded.token_for(BOOKER_BASE + n) for n in range(BOOKERS)]
    _history(booking, seeded, start)
    for day in range(28):  # every trainer's free hours, in an order that spreads neighbours apart
        for hour in OPEN_HOURS:
            moment = datetime.combine(start.date() + timedelta(days=day), datetime.min.time(), UTC) \
                + timedelta(hours=hour)
            seeded.slots += [(trainer, slot_id(moment)) for trainer in seeded.bookable]
    return seeded


def _open_for_booking(gateway: str, booking, seeded: Seeded, trainer: int) -> None:
    """Booking's replica of the trainer (UTC) and a 45-minute service; open 06:00-22:00 every day."""
    _tell(booking, seeded.client_id, "catalog.trainer.created", {
        "trainerId": trainer, "name": f"Coach {trainer}", "bio": None, "image": None, "specialisations": [],
        "timezone": "UTC", "active": True})
    _tell(booking, seeded.client_id, "catalog.service.created", {
        "serviceId": SERVICE_BASE + trainer, "trainerId": trainer, "name": "PT", "description": None, "duration": 45,
        "price": "50.00", "currency": "GBP", "cancellationCutoffHours": None, "active": True})
    headers = seeded.user_headers(seeded.token_for(10_000_000 + trainer, "trainer", trainer))
    for day in DAYS:
        _ok(requests.post(f"{gateway}/trainer-portal/availability", headers=headers, timeout=30,
                          json={"dayOfWeek": day, "startTime": "06:00", "endTime": "22:00"}), 201)
    _ok(requests.put(f"{gateway}/trainer-portal/booking-policy", headers=headers, timeout=30,
                     json={"minNoticeHours": 0, "slotStepMinutes": 15}), 200)


def _history(booking, seeded: Seeded, before: datetime) -> None:
    """HISTORY completed sessions for each booking user, on the bookable trainers' past hours (one insert)."""
    days = -(-BOOKERS * HISTORY // (len(OPEN_HOURS) * len(seeded.bookable)))
    midnight = datetime.combine(before.date(), datetime.min.time(), UTC)
    hours = [(trainer, midnight - timedelta(days=day) + timedelta(hours=hour))
             for day in range(3, 3 + days) for hour in OPEN_HOURS for trainer in seeded.bookable]
    rows = []
    for number, (trainer, starts) in enumerate(hours[:BOOKERS * HISTORY]):
        ends = starts + timedelta(minutes=45)
        rows.append({"client_id": seeded.client_id, "trainer_id": trainer, "user_id": BOOKER_BASE + number % BOOKERS,
                     "service_id": SERVICE_BASE + trainer, "service_name": "PT", "starts_at": starts, "ends_at": ends,
                     "blocked_until": ends, "timezone": "UTC", "local_date": starts.date(), "status": "completed",
                     "price": Decimal("50.00"), "currency": "GBP", "cancellation_cutoff_hours": 24,
                     "late_cancellation": False})
    with booking.db.engine.begin() as connection:
        connection.execute(SessionBooking.__table__.insert(), rows)


def _group_class(class_id: int, capacity: int, start: datetime) -> dict:
    starts = start + timedelta(days=7)
    return {"classId": class_id, "trainerId": 1, "name": f"Class {class_id}", "description": None,
            "startsAt": starts.isoformat(), "endsAt": (starts + timedelta(hours=1)).isoformat(), "timezone": "UTC",
            "scheduledDate": starts.date().isoformat(), "scheduledTime": starts.strftime("%H:%M"), "duration": 60,
            "capacity": capacity, "price": PRICE, "currency": "GBP", "cancellationCutoffHours": None,
            "active": True}


def _tell(booking, client_id: int, event_type: str, data: dict) -> None:
    booking.consumer.handle(Event(type=event_type, data=data, client_id=client_id))


def _ok(response: requests.Response, status: int) -> requests.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {response.text[:300]}")
    return response


def window(days: int) -> tuple[date, date]:
    first = datetime.now(UTC).date() + timedelta(days=2)
    return first, first + timedelta(days=days - 1)


def dispose(seeded: Seeded) -> None:
    for container in seeded.containers.values():
        container.db.dispose()
