"""Services, recorded classes and programmes: a trainer's offerings that are created, listed, changed and
deactivated the same way. Each change of a service or programme is published with the whole offering."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any, ClassVar

from stvos_shared.db import UnitOfWork
from stvos_shared.domain import DomainEvent
from stvos_shared.errors import ApiError

from ..adapters.orm import Programme, RecordedClass, Service
from ..adapters.repositories.owned import Owned
from ..adapters.repository import Repositories
from ..domain import events
from ..domain.commands import Change, ListPage, Owner
from ..domain.errors import ProgrammeNotFound, RecordedClassNotFound, ServiceNotFound, TrainerNotFound
from ..domain.model import money
from .views import programme_view, recorded_class_view, service_view

Event = type[DomainEvent]


def assign(item: Any, fields: Mapping[str, Any]) -> bool:
    """Set the fields whose value differs (prices with two decimals); True if any did."""
    changed = False
    for name, value in fields.items():
        value = money(value) if name == "price" else value
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    return changed


def require_trainer(repos: Repositories, owner: Owner) -> str:
    """The owner's timezone; the catalog must know the trainer (from partner.trainer.*) before they offer."""
    timezone = repos.trainers.timezone(owner)
    if timezone is None:
        raise TrainerNotFound()
    return timezone


class Offerings:
    """Create, list, show, change and deactivate one kind of offering of the calling trainer."""

    repository: ClassVar[str]
    model: ClassVar[type]
    missing: ClassVar[type[ApiError]]
    view: ClassVar[Callable[[Any], dict[str, Any]]]
    published: ClassVar[tuple[Event, Event, Event] | None] = None  # created, updated, deactivated

    def __init__(self, uow: UnitOfWork[Repositories]) -> None:
        self.uow = uow

    def _repo(self, repos: Repositories) -> Owned:
        return getattr(repos, self.repository)

    def _get(self, repos: Repositories, owner: Owner, item_id: int, lock: bool = False) -> Any:
        item = self._repo(repos).get(owner, item_id, lock)
        if item is None:
            raise self.missing()
        return item

    def _publish(self, repos: Repositories, kind: int, item: Any) -> None:
        if self.published is not None:
            repos.outbox.add(self.event(self.published[kind], item), item.client_id)

    @staticmethod
    def event(kind: Event, item: Any) -> DomainEvent:
        raise NotImplementedError

    def create(self, owner: Owner, command: Any) -> dict[str, Any]:
        """A new offering of the owner, published as created."""
        with self.uow() as repos:
            require_trainer(repos, owner)
            values = asdict(command)
            if "price" in values:
                values["price"] = money(values["price"])
            item = self._repo(repos).add(self.model(client_id=owner.client_id, trainer_id=owner.trainer_id, **values))
            self._publish(repos, 0, item)
            return self.view(item)

    def page(self, owner: Owner, page: ListPage) -> tuple[list[dict[str, Any]], dict[str, int]]:
        with self.uow(write=False) as repos:
            items, block = self._repo(repos).page(owner, page)
            return [self.view(item) for item in items], block

    def get(self, owner: Owner, item_id: int) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            return self.view(self._get(repos, owner, item_id))

    def change(self, owner: Owner, change: Change) -> dict[str, Any]:
        """Change the fields sent; published as updated (deactivated when `active` went false)."""
        with self.uow() as repos:
            item = self._get(repos, owner, change.id, lock=True)
            was_active = item.active
            if assign(item, change.fields):
                self._repo(repos).flush()
                self._publish(repos, 2 if was_active and not item.active else 1, item)
            return self.view(item)

    def deactivate(self, owner: Owner, item_id: int) -> dict[str, Any]:
        """No longer on offer (idempotent: published the first time)."""
        return self.change(owner, Change(item_id, {"active": False}))


class Services(Offerings):
    repository, model, missing, view = "services", Service, ServiceNotFound, staticmethod(service_view)
    published = (events.ServiceCreated, events.ServiceUpdated, events.ServiceDeactivated)

    @staticmethod
    def event(kind: Event, item: Service) -> DomainEvent:
        return kind(item.id, item.trainer_id, item.name, item.description, item.duration, money(item.price),
                    item.currency, item.cancellation_cutoff_hours, item.active)


class RecordedClasses(Offerings):
    """Watched on demand: nothing another service needs, so nothing is published."""

    repository, model, missing = "recorded_classes", RecordedClass, RecordedClassNotFound
    view = staticmethod(recorded_class_view)


class Programmes(Offerings):
    repository, model, missing, view = "programmes", Programme, ProgrammeNotFound, staticmethod(programme_view)
    published = (events.ProgrammeCreated, events.ProgrammeUpdated, events.ProgrammeDeactivated)

    @staticmethod
    def event(kind: Event, item: Programme) -> DomainEvent:
        return kind(item.id, item.trainer_id, item.name, item.description, item.weeks, money(item.price),
                    item.currency, item.active)
