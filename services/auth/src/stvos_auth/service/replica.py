"""Who may register as a trainer: a replica of the partner service's trainer records (partner.trainer.*)."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.emails import normalise_email
from stvos_shared.events import Event

from ..adapters.orm import trainer_records

log = logging.getLogger("stvos.auth.replica")


def apply_trainer_event(session: Session, event: Event) -> None:
    """partner.trainer.created/updated/deactivated: upsert the record; older news never overwrites newer."""
    data = event.data
    if event.client_id is None:
        raise ValueError(f"{event.type} {event.id} carries no clientId")
    trainer_id = int(data["trainerId"])
    current = session.execute(select(trainer_records).where(trainer_records.c.trainer_id == trainer_id)).first()
    if current is not None and current.client_id != event.client_id:
        log.warning("ignoring %s: trainer %s belongs to another client", event.type, trainer_id)
        return
    if current is not None and current.source_updated_at > event.occurred_at:
        return
    values = {
        "email": normalise_email(str(_field(data, "email", current, ""))),
        "name": str(_field(data, "name", current, "")),
        "specialisations": [str(item) for item in _field(data, "specialisations", current, []) or []],
        "active": False if event.type.endswith(".deactivated") else bool(data.get("active", True)),
        "source_updated_at": event.occurred_at,
    }
    if current is None:
        session.execute(insert(trainer_records).values(trainer_id=trainer_id, client_id=event.client_id, **values))
    else:
        session.execute(update(trainer_records).where(trainer_records.c.trainer_id == trainer_id).values(**values))


def _field(data: dict[str, Any], key: str, current: Row | None, default: Any) -> Any:
    """The event's value when it carries the field, else what we knew, else `default`."""
    if key in data:
        return data[key]
    return getattr(current, key) if current is not None else default
