"""What the partner service does with other services' events (one table, plain functions)."""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session
from stvos_shared.events import Event, Outbox

from ..adapters.orm import Client, TrainerAccount
from .redemptions import confirm

log = logging.getLogger("stvos.partner.handlers")
Handler = Callable[[Session, Event], None]


def client_created(session: Session, event: Event) -> None:
    """Keep the tenant's name and branding (auth.client.created)."""
    data = event.data
    client = session.get(Client, int(data["clientId"]))
    if client is None:
        session.add(Client(id=int(data["clientId"]), name=str(data["name"]), branding=data.get("branding")))
    else:
        client.name, client.branding = str(data["name"]), data.get("branding")


def trainer_account_registered(session: Session, event: Event) -> None:
    """Count trainers who have an account (auth.trainer_account.registered), for the overview."""
    data, client_id = event.data, int(event.client_id)
    key = (client_id, int(data["userId"]))
    if session.get(TrainerAccount, key) is None:
        trainer_id = data.get("trainerId")
        session.add(TrainerAccount(client_id=client_id, user_id=key[1], email=str(data.get("email") or ""),
                                   trainer_id=int(trainer_id) if trainer_id is not None else None))


def user_registered(outbox: Outbox) -> Handler:
    """Confirm the voucher redemption a registration used (auth.user.registered)."""

    def handle(session: Session, event: Event) -> None:
        voucher = event.data.get("voucher")
        if not voucher or voucher.get("redemptionId") is None:
            return
        confirm(session, outbox, int(event.client_id), int(voucher["redemptionId"]), int(event.data["userId"]))

    return handle


def handlers(outbox: Outbox) -> dict[str, Handler]:
    return {
        "auth.client.created": client_created,
        "auth.user.registered": user_registered(outbox),
        "auth.trainer_account.registered": trainer_account_registered,
    }
