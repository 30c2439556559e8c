"""Trainer records: created and maintained by partner admins, announced to the other services."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.pagination import paginate

from ..adapters.orm import Trainer
from ..domain.events import TrainerCreated, TrainerDeactivated, TrainerRecordChanged, TrainerUpdated
from .errors import EmailTaken, TrainerNotFound

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer

EDITABLE = ("name", "email", "bio", "image", "specialisations", "timezone")


def trainer_view(trainer: Trainer) -> dict[str, Any]:
    return {"id": trainer.id, "name": trainer.name, "email": trainer.email, "bio": trainer.bio,
            "image": trainer.image, "specialisations": list(trainer.specialisations or []),
            "timezone": trainer.timezone, "active": trainer.active}


def trainer_event(kind: type[TrainerRecordChanged], trainer: Trainer) -> TrainerRecordChanged:
    """partner.trainer.created/updated/deactivated: the whole record after the change."""
    return kind(trainer.id, trainer.name, trainer.email, trainer.bio, trainer.image,
                tuple(trainer.specialisations or ()), trainer.timezone, trainer.active)


def _email_taken(session: Session, client_id: int, email: str, other_than: int | None = None) -> bool:
    query = select(Trainer.id).where(Trainer.client_id == client_id, Trainer.email == email)
    if other_than is not None:
        query = query.where(Trainer.id != other_than)
    return session.scalar(query) is not None


def _get(session: Session, client_id: int, trainer_id: int) -> Trainer:
    trainer = session.scalar(select(Trainer).where(Trainer.id == trainer_id, Trainer.client_id == client_id))
    if trainer is None:
        raise TrainerNotFound()
    return trainer


def create_trainer(c: PartnerContainer, client_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """A new, active trainer record; partner.trainer.created goes out in the same transaction."""
    try:
        with c.db.unit_of_work() as session:
            if _email_taken(session, client_id, fields["email"]):
                raise EmailTaken("A trainer with this email already exists.")
            trainer = Trainer(client_id=client_id, active=True, **fields)
            session.add(trainer)
            session.flush()
            c.outbox.add(session, trainer_event(TrainerCreated, trainer), client_id)
            return trainer_view(trainer)
    except IntegrityError as error:
        raise EmailTaken("A trainer with this email already exists.") from error


def list_trainers(c: PartnerContainer, client_id: int, page: int, limit: int, active: bool | None = None,
                  search: str | None = None) -> dict[str, Any]:
    query = select(Trainer).where(Trainer.client_id == client_id)
    if active is not None:
        query = query.where(Trainer.active.is_(active))
    if search:
        needle = search.strip().lower()
        query = query.where(or_(func.lower(Trainer.name).contains(needle, autoescape=True),
                                Trainer.email.contains(needle, autoescape=True)))
    with c.db.unit_of_work(write=False) as session:
        items, block = paginate(session, query.order_by(Trainer.name, Trainer.id), page, limit)
        return {"trainers": [trainer_view(trainer) for trainer in items], "pagination": block}


def get_trainer(c: PartnerContainer, client_id: int, trainer_id: int) -> dict[str, Any]:
    with c.db.unit_of_work(write=False) as session:
        return trainer_view(_get(session, client_id, trainer_id))


def update_trainer(c: PartnerContainer, client_id: int, trainer_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change the given fields; partner.trainer.updated goes out when something changed."""
    try:
        with c.db.unit_of_work() as session:
            trainer = _get(session, client_id, trainer_id)
            if "email" in changes and _email_taken(session, client_id, changes["email"], trainer.id):
                raise EmailTaken("A trainer with this email already exists.")
            changed = {name: value for name, value in changes.items() if getattr(trainer, name) != value}
            for name, value in changed.items():
                setattr(trainer, name, value)
            if changed:
                session.flush()
                c.outbox.add(session, trainer_event(TrainerUpdated, trainer), client_id)
            return trainer_view(trainer)
    except IntegrityError as error:
        raise EmailTaken("A trainer with this email already exists.") from error


def deactivate_trainer(c: PartnerContainer, client_id: int, trainer_id: int) -> dict[str, Any]:
    """Mark the trainer inactive (idempotent); partner.trainer.deactivated goes out the first time."""
    with c.db.unit_of_work() as session:
        trainer = _get(session, client_id, trainer_id)
        if trainer.active:
            trainer.active = False
            session.flush()
            c.outbox.add(session, trainer_event(TrainerDeactivated, trainer), client_id)
        return trainer_view(trainer)
