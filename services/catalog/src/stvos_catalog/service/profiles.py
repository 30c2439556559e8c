"""Trainer profiles: what partner.trainer.* says, merged with the trainer's own changes (domain/profiles.py),
each change published as catalog.trainer.created/updated/deactivated."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from stvos_shared import contracts
from stvos_shared.db import UnitOfWork
from stvos_shared.events import Event

from ..adapters.orm import Trainer
from ..adapters.repository import Repositories
from ..domain import events
from ..domain.commands import Owner
from ..domain.errors import TrainerNotFound
from ..domain.model import search_text
from ..domain.profiles import (
    FIELDS,
    Profile,
    ProfileState,
    apply_own_changes,
    apply_partner_record,
    change_kind,
    first_record,
)
from .views import trainer_view

PUBLISHED = {"created": events.TrainerCreated, "updated": events.TrainerUpdated,
             "deactivated": events.TrainerDeactivated}


def _state(row: Trainer) -> ProfileState:
    stamps = {name: datetime.fromisoformat(at) for name, at in (row.stamps or {}).items()}
    record = Profile.of(row.partner_record) if row.partner_record else None
    return ProfileState(Profile.of({name: getattr(row, name) for name in FIELDS}), stamps, record, row.partner_at)


def _store(row: Trainer, state: ProfileState) -> None:
    for name, value in state.profile.as_record().items():
        setattr(row, name, value)
    row.search_text = search_text(state.profile.name, state.profile.specialisations)
    row.stamps = {name: at.isoformat() for name, at in state.stamps.items()}
    row.partner_record = state.partner_record.as_record() if state.partner_record else None
    row.partner_at = state.partner_at


def _publish(repos: Repositories, row: Trainer, before: Profile | None, after: Profile) -> None:
    """Announce a change the list shows and move the tenant's directory version (and its trainer counts when a
    trainer came or its active flag moved), in the change's own transaction."""
    kind = change_kind(before, after)
    if kind is not None:
        repos.trainers.changed(row.client_id, recount=before is None or before.active != after.active)
        repos.outbox.add(PUBLISHED[kind](row.id, after.name, after.bio, after.image, after.specialisations,
                                         after.timezone, after.active), row.client_id)


def trainer_record_changed(repos: Repositories, event: Event) -> None:
    """partner.trainer.*: the whole record after the admin's change; older news never overwrites newer."""
    data = contracts.load(event)
    record = Profile.of(data)
    row = repos.trainers.lock(data["trainer_id"])
    if row is None:
        row = Trainer(id=data["trainer_id"], client_id=event.client_id)
        _store(row, first_record(record, event.occurred_at))
        repos.trainers.add(row)
        _publish(repos, row, None, record)
        return
    if row.client_id != event.client_id:
        raise ValueError(f"trainer {row.id} belongs to client {row.client_id}, not {event.client_id}")
    before = _state(row)
    after = apply_partner_record(before, record, event.occurred_at)
    if after is not None:
        _store(row, after)
        _publish(repos, row, before.profile, after.profile)


class TrainerProfiles:
    """The calling trainer's own profile (the internal API the portal calls)."""

    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uow, clock

    def get(self, owner: Owner) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            row = repos.trainers.profile(owner.client_id, owner.trainer_id)
        if row is None:
            raise TrainerNotFound()
        return trainer_view(row)

    def change(self, owner: Owner, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change the fields sent; published as catalog.trainer.updated when something changed."""
        with self.uow() as repos:
            row = repos.trainers.lock(owner.trainer_id)
            if row is None or row.client_id != owner.client_id:
                raise TrainerNotFound()
            before = _state(row)
            after = apply_own_changes(before, changes, self.clock())
            _store(row, after)
            _publish(repos, row, before.profile, after.profile)
            return trainer_view(row)
