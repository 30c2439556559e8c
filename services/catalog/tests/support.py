"""Helpers the catalog tests share (imported, unlike conftest.py): tenants made the way the platform makes
them, and the events other services would send."""
from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin
from stvos_shared.events import Event

PASSWORD = "correct horse battery"
T = TypeVar("T")
_numbers = itertools.count(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def data(response) -> dict[str, Any]:
    body = response.get_json()
    assert body["success"] is True, body
    return body["data"]


def error(response) -> dict[str, Any]:
    body = response.get_json()
    assert body["success"] is False, body
    return body["error"]


def next_week(days: int = 7) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@dataclass
class Studio:
    """A tenant with a partner admin, built through auth's and partner's own commands and APIs."""

    gateway: Any
    client_id: int
    api_key: str
    admin: dict[str, str]
    trainer_emails: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}

    def trainer(self, name: str = "Coach Mike", **fields: Any) -> int:
        """A trainer record made by the partner admin (partner.trainer.created reaches the catalog)."""
        email = f"trainer{next(_numbers)}@studio{self.client_id}.test"
        response = self.gateway.post("/partner/trainers", json={"name": name, "email": email, **fields},
                                     headers=self.admin)
        assert response.status_code == 201, response.get_json()
        trainer_id = data(response)["trainer"]["id"]
        self.trainer_emails[trainer_id] = email
        return trainer_id

    def update_trainer(self, trainer_id: int, **fields: Any) -> None:
        response = self.gateway.put(f"/partner/trainers/{trainer_id}", json=fields, headers=self.admin)
        assert response.status_code == 200, response.get_json()

    def deactivate_trainer(self, trainer_id: int) -> None:
        response = self.gateway.post(f"/partner/trainers/{trainer_id}/deactivate", headers=self.admin)
        assert response.status_code == 200, response.get_json()

    def signed_in_trainer(self, name: str = "Coach Mike", **fields: Any) -> tuple[int, dict[str, str]]:
        """(trainer id, headers with the API key and the trainer's own token)."""
        trainer_id = self.trainer(name, **fields)
        return trainer_id, self.trainer_headers(trainer_id)

    def trainer_headers(self, trainer_id: int) -> dict[str, str]:
        response = self.gateway.post("/trainer-auth/register", headers=self.key,
                                     json={"email": self.trainer_emails[trainer_id], "password": PASSWORD})
        assert response.status_code == 201, response.get_json()
        return {**self.key, **bearer(data(response)["accessToken"])}

    def user(self) -> dict[str, str]:
        """Headers of a newly registered user of the tenant."""
        email = f"user{next(_numbers)}@studio{self.client_id}.test"
        response = self.gateway.post("/auth/register", json={"email": email, "password": PASSWORD}, headers=self.key)
        assert response.status_code == 201, response.get_json()
        return {**self.key, **bearer(data(response)["accessToken"])}


def make_studio(platform, gateway) -> Studio:
    number = next(_numbers)
    tenant = auth_admin.create_client(platform.containers["auth"], name=f"Studio {number}")
    email = f"admin{number}@studio.test"
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=tenant["clientId"], email=email,
                                       password=PASSWORD, role="admin", partner_name=f"Studio {number}")
    login = gateway.post("/partner-auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.get_json()
    return Studio(gateway, tenant["clientId"], tenant["apiKey"], bearer(data(login)["accessToken"]))


def outbox_events(catalog, type_prefix: str) -> list[dict[str, Any]]:
    """The events the catalog wrote to its outbox whose type starts with `type_prefix`, oldest first."""
    table = catalog.outbox.table
    with catalog.db.unit_of_work(write=False) as session:
        rows = session.execute(select(table.c.type, table.c.version, table.c.payload, table.c.client_id)
                               .where(table.c.type.startswith(type_prefix)).order_by(table.c.seq)).all()
    return [{"type": row.type, "version": row.version, "clientId": row.client_id, "data": json.loads(row.payload)}
            for row in rows]


def partner_record(client_id: int, trainer_id: int, at: datetime, **fields: Any) -> Event:
    """partner.trainer.updated as the partner service writes it, at `at`."""
    kind = "created" if fields.pop("created", False) else "updated"
    record = {"trainerId": trainer_id, "name": "Coach Mike", "email": f"t{trainer_id}@x.test", "bio": None,
              "image": None, "specialisations": [], "timezone": "Europe/London", "active": True, **fields}
    return Event(type=f"partner.trainer.{kind}", client_id=client_id, data=record, occurred_at=at)


def seats(client_id: int, class_id: int, trainer_id: int, participants: int, version: int) -> Event:
    """booking.class_participation.joined with the class's count of joined users after it."""
    now = datetime.now(UTC)
    return Event(type="booking.class_participation.joined", client_id=client_id, data={
        "participationId": version, "classId": class_id, "trainerId": trainer_id, "userId": 1, "className": "HIIT",
        "startsAt": now.isoformat(), "endsAt": now.isoformat(), "status": "joined", "paymentAmount": "15.00",
        "currency": "GBP", "lateCancellation": False, "cancelledBy": None, "participants": participants,
        "capacity": 10, "seatVersion": version})


def subscribers(client_id: int, programme_id: int, trainer_id: int, count: int, version: int,
                verb: str = "subscribed", status: str = "active") -> Event:
    """booking.programme_subscription.<verb> with the programme's live subscriptions after it."""
    return Event(type=f"booking.programme_subscription.{verb}", client_id=client_id, data={
        "subscriptionId": version, "programmeId": programme_id, "trainerId": trainer_id, "userId": 1,
        "programmeName": "12 weeks", "status": status, "startDate": "2026-03-01", "endDate": "2026-05-24",
        "paymentAmount": "299.00", "currency": "GBP", "subscribers": count, "subscribersVersion": version})


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run each call in its own thread, all let go together by a barrier; their results, in order."""
    start, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index: int, call: Callable[[], T]) -> None:
        start.wait()
        try:
            results[index] = call()
        except BaseException as failure:  # re-raised in the test's thread
            errors.append(failure)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
