"""HANDLERS: the one table from routing key to what the catalog does with the event."""
from __future__ import annotations

from collections.abc import Callable

from stvos_shared import contracts
from stvos_shared.db import utcnow
from stvos_shared.events import Event

from ..adapters.repository import Repositories
from .profiles import trainer_record_changed


def seats_changed(repos: Repositories, event: Event) -> None:
    """booking.class_participation.*: the class's joined users; the highest seat_version wins."""
    data = contracts.load(event)
    repos.group_classes.apply_seats(event.client_id, data["class_id"], data["participants"], data["seat_version"])


def subscribers_changed(repos: Repositories, event: Event) -> None:
    """booking.programme_subscription.*: the programme's live subscriptions; the highest version wins."""
    data = contracts.load(event)
    repos.programmes.apply_subscribers(event.client_id, data["programme_id"], data["subscribers"],
                                       data["subscribers_version"])


def user_registered(repos: Repositories, event: Event) -> None:
    """auth.user.registered: confirm the invite code use the registration reserved (a redelivery changes nothing)."""
    invite = contracts.load(event)["invite"]
    if invite is not None:
        repos.invite_redemptions.confirm(event.client_id, invite["redemption_id"], event.data["userId"], utcnow())


HANDLERS: dict[str, Callable[[Repositories, Event], None]] = {
    "auth.user.registered": user_registered,
    "partner.trainer.created": trainer_record_changed,
    "partner.trainer.updated": trainer_record_changed,
    "partner.trainer.deactivated": trainer_record_changed,
    "booking.class_participation.joined": seats_changed,
    "booking.class_participation.cancelled": seats_changed,
    "booking.programme_subscription.subscribed": subscribers_changed,
    "booking.programme_subscription.paused": subscribers_changed,
    "booking.programme_subscription.resumed": subscribers_changed,
    "booking.programme_subscription.cancelled": subscribers_changed,
    "booking.programme_subscription.completed": subscribers_changed,
}
