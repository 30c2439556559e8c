"""What the catalog tells the others; each event carries the whole thing after the change
(payload contracts: stvos_shared.contracts.catalog)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from stvos_shared.domain import DomainEvent


@dataclass(frozen=True)
class TrainerProfileChanged(DomainEvent):
    trainer_id: int
    name: str
    bio: str | None
    image: str | None
    specialisations: tuple[str, ...]
    timezone: str
    active: bool


class TrainerCreated(TrainerProfileChanged):
    TYPE = "catalog.trainer.created"


class TrainerUpdated(TrainerProfileChanged):
    TYPE = "catalog.trainer.updated"


class TrainerDeactivated(TrainerProfileChanged):
    TYPE = "catalog.trainer.deactivated"


@dataclass(frozen=True)
class ServiceChanged(DomainEvent):
    service_id: int
    trainer_id: int
    name: str
    description: str | None
    duration: int
    price: Decimal
    currency: str
    cancellation_cutoff_hours: int | None
    active: bool


class ServiceCreated(ServiceChanged):
    TYPE = "catalog.service.created"


class ServiceUpdated(ServiceChanged):
    TYPE = "catalog.service.updated"


class ServiceDeactivated(ServiceChanged):
    TYPE = "catalog.service.deactivated"


@dataclass(frozen=True)
class GroupClassChanged(DomainEvent):
    class_id: int
    trainer_id: int
    name: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    scheduled_date: date
    scheduled_time: str
    duration: int
    capacity: int
    price: Decimal
    currency: str
    cancellation_cutoff_hours: int | None
    active: bool


class GroupClassCreated(GroupClassChanged):
    TYPE = "catalog.group_class.created"


class GroupClassUpdated(GroupClassChanged):
    TYPE = "catalog.group_class.updated"


class GroupClassCancelled(GroupClassChanged):
    TYPE = "catalog.group_class.cancelled"


@dataclass(frozen=True)
class ProgrammeChanged(DomainEvent):
    programme_id: int
    trainer_id: int
    name: str
    description: str | None
    weeks: int
    price: Decimal
    currency: str
    active: bool


class ProgrammeCreated(ProgrammeChanged):
    TYPE = "catalog.programme.created"


class ProgrammeUpdated(ProgrammeChanged):
    TYPE = "catalog.programme.updated"


class ProgrammeDeactivated(ProgrammeChanged):
    TYPE = "catalog.programme.deactivated"
