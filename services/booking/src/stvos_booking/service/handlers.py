"""HANDLERS: the one table from routing key to handler(repos, event), for what other services tell booking.

Replicas keep the newest by the event's time (occurredAt), so duplicates and late, older events change
nothing; a class that becomes inactive has every joined place cancelled (by the trainer, not late).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stvos_shared.contracts import load
from stvos_shared.db import utcnow
from stvos_shared.events import Event

from ..adapters.repository import Repositories
from .classes import cancel_every_place

log = logging.getLogger("stvos.booking.handlers")
Handler = Callable[[Repositories, Event], None]


def _tenant(event: Event) -> int:
    if event.client_id is None:
        raise ValueError(f"{event.type} {event.id} carries no clientId")
    return int(event.client_id)


def _zone(name: str) -> str:
    """An IANA zone booking can compute with; an unknown one is read as UTC rather than failing every read."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r; using UTC", name)
        return "UTC"
    return name


def trainer_changed(repos: Repositories, event: Event) -> None:
    """catalog.trainer.*: the trainer's name, zone and whether they take bookings."""
    data = load(event)
    repos.replicas.upsert_trainer({"id": data["trainer_id"], "client_id": _tenant(event), "name": data["name"],
                                   "timezone": _zone(data["timezone"]),
                                   "active": data["active"] and not event.type.endswith(".deactivated")},
                                  event.occurred_at)


def service_changed(repos: Repositories, event: Event) -> None:
    """catalog.service.*: durations, prices and cut-offs of the trainer's 1-on-1 services."""
    data = load(event)
    repos.replicas.upsert_service({
        "id": data["service_id"], "client_id": _tenant(event), "trainer_id": data["trainer_id"],
        "name": data["name"], "duration": data["duration"], "price": data["price"], "currency": data["currency"],
        "cancellation_cutoff_hours": data["cancellation_cutoff_hours"],
        "active": data["active"] and not event.type.endswith(".deactivated")}, event.occurred_at)


def group_class_changed(repos: Repositories, event: Event) -> None:
    """catalog.group_class.*: the schedule, capacity (never below seats sold) and price; cancelled frees all."""
    data, client_id = load(event), _tenant(event)
    active = data["active"] and not event.type.endswith(".cancelled")
    values: dict[str, Any] = {
        "id": data["class_id"], "client_id": client_id, "trainer_id": data["trainer_id"], "name": data["name"],
        "starts_at": data["starts_at"], "ends_at": data["ends_at"], "timezone": _zone(data["timezone"]),
        "scheduled_date": data["scheduled_date"], "capacity": data["capacity"], "price": data["price"],
        "currency": data["currency"], "cancellation_cutoff_hours": data["cancellation_cutoff_hours"],
        "active": active}
    if repos.classes.upsert(values, event.occurred_at) and not active:
        cancel_every_place(repos, repos.classes.get(client_id, data["class_id"]), utcnow())


def programme_changed(repos: Repositories, event: Event) -> None:
    """catalog.programme.*: weeks, price and whether it takes subscriptions."""
    data = load(event)
    repos.programmes.upsert({
        "id": data["programme_id"], "client_id": _tenant(event), "trainer_id": data["trainer_id"],
        "name": data["name"], "weeks": data["weeks"], "price": data["price"], "currency": data["currency"],
        "active": data["active"] and not event.type.endswith(".deactivated")}, event.occurred_at)


def user_registered(repos: Repositories, event: Event) -> None:
    """auth.user.registered: the name and email trainers see in their bookings and rosters."""
    data = load(event)
    repos.replicas.upsert_user({"id": data["user_id"], "client_id": _tenant(event), "name": data["name"],
                                "email": data["email"]})


def session_launched(repos: Repositories, event: Event) -> None:
    """portal.session.launched: the room and server of a booking or class (tokens are minted when read)."""
    data, client_id = load(event), _tenant(event)
    if data["kind"] == "session" and data["booking_id"] is not None:
        found = repos.bookings.set_meeting(client_id, data["booking_id"], data["trainer_id"], data["room"], data["url"])
    elif data["kind"] == "class" and data["class_id"] is not None:
        found = repos.classes.set_meeting(client_id, data["class_id"], data["trainer_id"], data["room"], data["url"])
    else:
        found = False
    if not found:
        log.warning("ignoring %s %s: no such %s of trainer %s", event.type, event.id, data["kind"], data["trainer_id"])


HANDLERS: dict[str, Handler] = {
    "catalog.trainer.created": trainer_changed,
    "catalog.trainer.updated": trainer_changed,
    "catalog.trainer.deactivated": trainer_changed,
    "catalog.service.created": service_changed,
    "catalog.service.updated": service_changed,
    "catalog.service.deactivated": service_changed,
    "catalog.group_class.created": group_class_changed,
    "catalog.group_class.updated": group_class_changed,
    "catalog.group_class.cancelled": group_class_changed,
    "catalog.programme.created": programme_changed,
    "catalog.programme.updated": programme_changed,
    "catalog.programme.deactivated": programme_changed,
    "auth.user.registered": user_registered,
    "portal.session.launched": session_launched,
}
