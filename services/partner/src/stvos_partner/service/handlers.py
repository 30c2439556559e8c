"""What the partner service does with other services' events: the one table, and plain functions."""
from __future__ import annotations

from collections.abc import Callable

from stvos_shared import contracts
from stvos_shared.db import utcnow
from stvos_shared.events import Event

from ..adapters.orm import Client, TrainerAccount
from ..adapters.repository import Repositories
from .redemptions import confirm


def client_created(repos: Repositories, event: Event) -> None:
    """Keep the tenant's name and branding (auth.client.created)."""
    data = contracts.load(event)
    client = repos.tenants.client(data["client_id"])
    if client is None:
        repos.tenants.add_client(Client(id=data["client_id"], name=data["name"], branding=data["branding"]))
    else:
        client.name, client.branding = data["name"], data["branding"]


def trainer_account_registered(repos: Repositories, event: Event) -> None:
    """Who claimed a trainer's account, when and from where (auth.trainer_account.registered)."""
    data = contracts.load(event)
    if repos.trainers.account_by_user(event.client_id, data["user_id"]) is None:
        repos.trainers.add_account(TrainerAccount(
            client_id=event.client_id, user_id=data["user_id"], trainer_id=data["trainer_id"], email=data["email"],
            claimed_at=event.occurred_at, claimed_from=data["claimed_from"]))


def user_registered(repos: Repositories, event: Event) -> None:
    """Confirm the voucher redemption a registration used (auth.user.registered)."""
    voucher = contracts.load(event)["voucher"]
    if voucher is not None:
        confirm(repos, event.client_id, voucher["redemption_id"], event.data["userId"], utcnow())


HANDLERS: dict[str, Callable[[Repositories, Event], None]] = {
    "auth.client.created": client_created,
    "auth.user.registered": user_registered,
    "auth.trainer_account.registered": trainer_account_registered,
}
