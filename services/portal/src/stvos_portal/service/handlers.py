"""HANDLERS: what the portal does with other services' events (routing key -> handler(repos, event)).

Each handler reads the payload through its contract and makes one idempotent, order-independent change
to the read models (the shared Consumer drops duplicates by event id).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stvos_shared import contracts
from stvos_shared.events import Event

from ..adapters.repository import Repositories
from ..domain.model import PARTICIPATION_RANKS, SESSION_RANKS, SUBSCRIPTION_RANKS, to_minor

Handler = Callable[[Repositories, Event], None]


def tenant(event: Event) -> int:
    if event.client_id is None:
        raise ValueError(f"{event.type} {event.id} carries no clientId")
    return int(event.client_id)


def _state(event: Event, rank: int) -> dict[str, Any]:
    return {"state_at": event.occurred_at, "state_rank": rank, "first_seen_at": event.occurred_at}


def session_changed(repos: Repositories, event: Event) -> None:
    """booking.session.*: the booking's newest state; its user becomes the trainer's client."""
    data, client_id = contracts.load(event), tenant(event)
    repos.readmodel.session_booking({
        "client_id": client_id, "booking_id": data["booking_id"], "trainer_id": data["trainer_id"],
        "user_id": data["user_id"], "service_name": data["service_name"], "starts_at": data["starts_at"],
        "ends_at": data["ends_at"], "timezone": data["timezone"], "status": data["status"],
        "price_minor": to_minor(data["price"]), "currency": data["currency"],
        "late_cancellation": data["late_cancellation"], **_state(event, SESSION_RANKS[data["status"]])})
    repos.readmodel.client(client_id, data["trainer_id"], data["user_id"], event.occurred_at)
    repos.readmodel.trainer_zone_hint(client_id, data["trainer_id"], data["timezone"])


def participation_changed(repos: Repositories, event: Event) -> None:
    """booking.class_participation.*: the participation's newest state; its user becomes a client."""
    data, client_id = contracts.load(event), tenant(event)
    repos.readmodel.participation({
        "client_id": client_id, "participation_id": data["participation_id"], "class_id": data["class_id"],
        "trainer_id": data["trainer_id"], "user_id": data["user_id"], "class_name": data["class_name"],
        "starts_at": data["starts_at"], "ends_at": data["ends_at"], "status": data["status"],
        "payment_minor": to_minor(data["payment_amount"]), "currency": data["currency"],
        **_state(event, PARTICIPATION_RANKS[data["status"]])})
    repos.readmodel.client(client_id, data["trainer_id"], data["user_id"], event.occurred_at)


def subscription_changed(repos: Repositories, event: Event) -> None:
    """booking.programme_subscription.*: the subscription's newest state; its user becomes a client."""
    data, client_id = contracts.load(event), tenant(event)
    repos.readmodel.subscription({
        "client_id": client_id, "subscription_id": data["subscription_id"], "programme_id": data["programme_id"],
        "trainer_id": data["trainer_id"], "user_id": data["user_id"], "programme_name": data["programme_name"],
        "status": data["status"], "start_date": data["start_date"], "end_date": data["end_date"],
        "payment_minor": to_minor(data["payment_amount"]), "currency": data["currency"],
        **_state(event, SUBSCRIPTION_RANKS[data["status"]])})
    repos.readmodel.client(client_id, data["trainer_id"], data["user_id"], event.occurred_at)


def user_registered(repos: Repositories, event: Event) -> None:
    """auth.user.registered: who the user is; with a coachId they are that trainer's client from now on."""
    data, client_id = contracts.load(event), tenant(event)
    repos.readmodel.user(client_id, data["user_id"], data["name"], data["email"], event.occurred_at)
    if data["coach_id"] is not None:
        repos.readmodel.client(client_id, data["coach_id"], data["user_id"], event.occurred_at)


def trainer_changed(repos: Repositories, event: Event) -> None:
    """catalog.trainer.*: the trainer's name and timezone (today, this week, this month are theirs)."""
    data = contracts.load(event)
    repos.readmodel.trainer_profile(tenant(event), data["trainer_id"], data["name"], data["timezone"],
                                    event.occurred_at)


HANDLERS: dict[str, Handler] = {
    "booking.session.booked": session_changed,
    "booking.session.updated": session_changed,
    "booking.session.cancelled": session_changed,
    "booking.class_participation.joined": participation_changed,
    "booking.class_participation.cancelled": participation_changed,
    "booking.programme_subscription.subscribed": subscription_changed,
    "booking.programme_subscription.paused": subscription_changed,
    "booking.programme_subscription.resumed": subscription_changed,
    "booking.programme_subscription.cancelled": subscription_changed,
    "booking.programme_subscription.completed": subscription_changed,
    "auth.user.registered": user_registered,
    "catalog.trainer.created": trainer_changed,
    "catalog.trainer.updated": trainer_changed,
    "catalog.trainer.deactivated": trainer_changed,
}
