"""A booking world on the embedded platform: a tenant, a trainer, offerings (told as catalog events), users
with tokens, a clock standing still, and a client of the booking app for racing threads."""
from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from stvos_booking.adapters import orm
from stvos_shared.events import Event
from werkzeug.test import Client

NOW = datetime(2027, 3, 1, 8, tzinfo=UTC)  # a Monday, 08:00 in London
MONDAY = date(2027, 3, 1)
_ids = itertools.count(100)


class World:
    """What a booking test needs, made the way the platform makes it (events in, tokens from auth's keys)."""

    def __init__(self, platform: Any, gateway: Any, monkeypatch: Any) -> None:
        self.platform, self.gateway = platform, gateway
        self.booking = platform.containers["booking"]
        self.now = NOW
        monkeypatch.setattr(self.booking.clock, "now", lambda: self.now)
        self.tenant = self.client_id = self._tenant("Booking Studio")
        self.trainer_id = self.add_trainer()
        self.user_id = self.add_user("Jane Doe")

    # -- tenants, people and tokens ------------------------------------------------------------

    def _tenant(self, name: str) -> int:
        from stvos_auth import admin

        created = admin.create_client(self.platform.containers["auth"], name=name)
        self.api_keys = {**getattr(self, "api_keys", {}), created["clientId"]: created["apiKey"]}
        return created["clientId"]

    def other_tenant(self) -> int:
        return self._tenant(f"Other Studio {next(_ids)}")

    def token(self, user_id: int, role: str = "user", client_id: int | None = None,
              trainer_id: int | None = None) -> str:
        signer = self.platform.containers["auth"].signing.signer()
        claims = {"cid": client_id or self.client_id, "role": role, "tid": trainer_id}
        return signer.issue(str(user_id), "access", 900, claims)

    def headers(self, user_id: int | None = None, *, client_id: int | None = None, key: int | None = None,
                **extra: str) -> dict[str, str]:
        """The API key of `key`'s tenant (default: the world's) and a user's bearer token."""
        user_id = self.user_id if user_id is None else user_id
        token = self.token(user_id, client_id=client_id)
        return {"X-API-Key": self.api_keys[key or self.client_id], "Authorization": f"Bearer {token}", **extra}

    def trainer_headers(self, trainer_id: int | None = None, client_id: int | None = None) -> dict[str, str]:
        trainer_id = trainer_id or self.trainer_id
        token = self.token(10_000 + trainer_id, "trainer", client_id, trainer_id)
        return {"X-API-Key": self.api_keys[client_id or self.client_id], "Authorization": f"Bearer {token}"}

    def add_user(self, name: str | None, client_id: int | None = None) -> int:
        user_id = next(_ids)
        self.tell("auth.user.registered", {"userId": user_id, "email": f"user{user_id}@example.com", "name": name,
                                           "role": "user", "coachId": None, "sessionId": None, "voucher": None},
                  client_id)
        return user_id

    # -- catalog events ------------------------------------------------------------------------

    def tell(self, event_type: str, data: dict[str, Any], client_id: int | None = None,
             occurred_at: datetime | None = None, event_id: str | None = None) -> Event:
        """Deliver one event to booking's consumer, as the transport would."""
        extra = {"id": event_id} if event_id else {}
        event = Event(type=event_type, data=data, client_id=client_id or self.client_id,
                      occurred_at=occurred_at or datetime.now(UTC), **extra)
        self.booking.consumer.handle(event)
        return event

    def add_trainer(self, timezone: str = "Europe/London", client_id: int | None = None, **changes: Any) -> int:
        trainer_id = next(_ids)
        self.tell("catalog.trainer.created", trainer_payload(trainer_id, timezone, **changes), client_id)
        return trainer_id

    def add_service(self, duration: int = 60, price: str = "75.00", trainer_id: int | None = None,
                    cutoff: int | None = None, client_id: int | None = None, **changes: Any) -> int:
        service_id = next(_ids)
        self.tell("catalog.service.created", service_payload(service_id, trainer_id or self.trainer_id, duration,
                                                             price, cutoff, **changes), client_id)
        return service_id

    def add_class(self, starts_at: datetime, capacity: int = 5, price: str = "15.00", cutoff: int | None = None,
                  trainer_id: int | None = None, **changes: Any) -> int:
        class_id = next(_ids)
        self.tell("catalog.group_class.created", class_payload(class_id, trainer_id or self.trainer_id, starts_at,
                                                               capacity, price, cutoff, **changes))
        return class_id

    def add_programme(self, weeks: int = 12, price: str = "299.00", trainer_id: int | None = None) -> int:
        programme_id = next(_ids)
        self.tell("catalog.programme.created", {
            "programmeId": programme_id, "trainerId": trainer_id or self.trainer_id, "name": "12-Week Transformation",
            "description": None, "weeks": weeks, "price": price, "currency": "GBP", "active": True})
        return programme_id

    # -- the trainer's schedule, through the API -----------------------------------------------

    def weekly(self, day: str = "monday", start: str = "09:00", end: str = "17:00",
               trainer_id: int | None = None) -> dict[str, Any]:
        response = self.gateway.post("/trainer-portal/availability", headers=self.trainer_headers(trainer_id),
                                     json={"dayOfWeek": day, "startTime": start, "endTime": end})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["data"]["availability"]

    def policy(self, **fields: int) -> None:
        response = self.gateway.put("/trainer-portal/booking-policy", headers=self.trainer_headers(), json=fields)
        assert response.status_code == 200, response.get_json()

    def slots(self, service_id: int | None, start: date = MONDAY, end: date | None = None,
              trainer_id: int | None = None) -> list[dict[str, Any]]:
        query = f"startDate={start}" + (f"&endDate={end}" if end else "") + (
            f"&serviceId={service_id}" if service_id else "")
        response = self.gateway.get(f"/trainers/{trainer_id or self.trainer_id}/availability?{query}",
                                    headers=self.headers())
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]["slots"]

    def book(self, service_id: int, slot_id: int, user_id: int | None = None, **headers: str):
        return self.gateway.post(f"/trainers/{self.trainer_id}/book", headers=self.headers(user_id, **headers),
                                 json={"serviceId": service_id, "slotId": slot_id})

    def booked(self, service_id: int, slot_id: int, user_id: int | None = None) -> dict[str, Any]:
        response = self.book(service_id, slot_id, user_id)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["data"]["booking"]

    # -- racing threads straight at the booking app ---------------------------------------------

    def app_client(self) -> Client:
        """A client of the booking app itself (what the gateway forwards to): safe to use from threads."""
        return Client(self.platform.apps["booking"])

    def direct_headers(self, user_id: int) -> dict[str, str]:
        return {"X-Client-Id": str(self.client_id), "Authorization": f"Bearer {self.token(user_id)}"}

    # -- what booking told the others ------------------------------------------------------------

    def published(self, event_type: str) -> list[dict[str, Any]]:
        table = orm.outbox.table
        with self.booking.db.unit_of_work(write=False) as session:
            rows = session.execute(select(table.c.payload).where(table.c.type == event_type)
                                   .order_by(table.c.seq)).all()
        return [json.loads(row.payload) for row in rows]


def trainer_payload(trainer_id: int, timezone: str = "Europe/London", **changes: Any) -> dict[str, Any]:
    return {"trainerId": trainer_id, "name": "Coach Mike", "bio": None, "image": None, "specialisations": [],
            "timezone": timezone, "active": True, **changes}


def service_payload(service_id: int, trainer_id: int, duration: int = 60, price: str = "75.00",
                    cutoff: int | None = None, **changes: Any) -> dict[str, Any]:
    return {"serviceId": service_id, "trainerId": trainer_id, "name": "1-on-1 Training", "description": None,
            "duration": duration, "price": price, "currency": "GBP", "cancellationCutoffHours": cutoff,
            "active": True, **changes}


def class_payload(class_id: int, trainer_id: int, starts_at: datetime, capacity: int = 5, price: str = "15.00",
                  cutoff: int | None = None, **changes: Any) -> dict[str, Any]:
    ends_at = starts_at + timedelta(hours=1)
    return {"classId": class_id, "trainerId": trainer_id, "name": "Group HIIT", "description": None,
            "startsAt": starts_at.isoformat(), "endsAt": ends_at.isoformat(), "timezone": "Europe/London",
            "scheduledDate": starts_at.date().isoformat(), "scheduledTime": starts_at.strftime("%H:%M"),
            "duration": 60, "capacity": capacity, "price": price, "currency": "GBP",
            "cancellationCutoffHours": cutoff, "active": True, **changes}
