"""What the auth service does with other services' events: the one table, and plain functions."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from stvos_shared import contracts
from stvos_shared.emails import normalise_email
from stvos_shared.events import Event

from ..adapters.orm import RegistrationPolicy, TrainerRecord
from ..adapters.repository import Repositories
from ..domain.model import newer

log = logging.getLogger("stvos.auth.handlers")


def trainer_record_changed(repos: Repositories, event: Event) -> None:
    """partner.trainer.created/updated/deactivated: keep who may register; late news never overwrites newer."""
    data = contracts.load(event)
    current = repos.trainers.any_tenant(data["trainer_id"])
    if current is not None and current.client_id != event.client_id:
        log.warning("ignoring %s: trainer %s belongs to another client", event.type, data["trainer_id"])
        return
    if current is not None and not newer(current.source_updated_at, event.occurred_at):
        return
    values: dict[str, Any] = {
        "email": normalise_email(data["email"]), "name": data["name"],
        "specialisations": list(data["specialisations"]),
        "active": data["active"] and not event.type.endswith(".deactivated"), "source_updated_at": event.occurred_at,
    }
    if current is None:
        repos.trainers.add(TrainerRecord(trainer_id=data["trainer_id"], client_id=event.client_id, **values))
    else:
        for name, value in values.items():
            setattr(current, name, value)


def invitation_issued(repos: Repositories, event: Event) -> None:
    """partner.trainer.invitation_issued: the digest of the code that may claim the record (the newest counts)."""
    data = contracts.load(event)
    record = repos.trainers.get(event.client_id, data["trainer_id"])
    if record is None:
        raise LookupError(f"trainer {data['trainer_id']} is not known yet")  # redelivered after its record
    if newer(record.invitation_issued_at, event.occurred_at):
        record.invitation_sha256, record.invitation_expires_at = data["code_sha256"], data["expires_at"]
        record.invitation_issued_at = event.occurred_at


def registration_policy_updated(repos: Repositories, event: Event) -> None:
    """partner.registration_policy.updated: how this tenant's trainers may claim their accounts."""
    data = contracts.load(event)
    policy = repos.policies.get(event.client_id)
    if policy is None:
        repos.policies.add(RegistrationPolicy(client_id=event.client_id, source_updated_at=event.occurred_at,
                                              trainer_registration=data["trainer_registration"]))
    elif newer(policy.source_updated_at, event.occurred_at):
        policy.trainer_registration, policy.source_updated_at = data["trainer_registration"], event.occurred_at


HANDLERS: dict[str, Callable[[Repositories, Event], None]] = {
    "partner.trainer.created": trainer_record_changed,
    "partner.trainer.updated": trainer_record_changed,
    "partner.trainer.deactivated": trainer_record_changed,
    "partner.trainer.invitation_issued": invitation_issued,
    "partner.registration_policy.updated": registration_policy_updated,
}
