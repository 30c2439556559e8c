"""Group classes: scheduled on the trainer's wall clock, stored as UTC instants, cancelled rather than deleted.

A class never shrinks below the users who joined it: the row is locked while it changes, so booking's seat
counts (booking.class_participation.*, applied by handlers.py) wait for the decision and never interleave.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.domain import DomainEvent
from stvos_shared.errors import invalid_fields

from ..adapters.orm import GroupClass
from ..adapters.repository import Repositories
from ..domain import events
from ..domain.commands import Change, ListPage, Owner, ScheduleGroupClass
from ..domain.errors import CapacityBelowParticipants, ClassCancelled, ClassNotFound, ClassStarted
from ..domain.model import NonexistentLocalTime, capacity_problem, in_zone, local_schedule, local_start, money
from .offerings import assign, require_trainer
from .views import group_class_view

SCHEDULE = ("scheduled_date", "scheduled_time", "duration")


def class_event(kind: type[events.GroupClassChanged], item: GroupClass) -> DomainEvent:
    day, at = local_schedule(item.starts_at, item.timezone)
    return kind(item.id, item.trainer_id, item.name, item.description, item.starts_at, item.ends_at, item.timezone,
                day, at, item.duration, item.capacity, money(item.price), item.currency,
                item.cancellation_cutoff_hours, item.active)


class GroupClasses:
    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uow, clock

    def _start(self, day: date, at: time, timezone: str) -> datetime:
        """The UTC start of `day` `at` on the trainer's clock; 422 if that time is skipped or already past."""
        try:
            starts_at = local_start(day, at, timezone)
        except NonexistentLocalTime:
            raise invalid_fields(scheduledTime=f"This time does not exist in {timezone} on that date.") from None
        if starts_at <= self.clock():
            raise invalid_fields(scheduledDate="The class must start in the future.")
        return starts_at

    def _get(self, repos: Repositories, owner: Owner, class_id: int, lock: bool = False) -> GroupClass:
        item = repos.group_classes.get(owner, class_id, lock)
        if item is None:
            raise ClassNotFound()
        return item

    def schedule(self, owner: Owner, command: ScheduleGroupClass) -> dict[str, Any]:
        """A new class on the trainer's calendar, published as catalog.group_class.created."""
        with self.uow() as repos:
            timezone = require_trainer(repos, owner)
            starts_at = self._start(command.scheduled_date, command.scheduled_time, timezone)
            item = repos.group_classes.add(GroupClass(
                client_id=owner.client_id, trainer_id=owner.trainer_id, name=command.name,
                description=command.description, starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=command.duration), timezone=timezone,
                duration=command.duration, capacity=command.capacity, price=money(command.price),
                currency=command.currency, cancellation_cutoff_hours=command.cancellation_cutoff_hours,
                active=True, participants=0, seat_version=0))
            repos.outbox.add(class_event(events.GroupClassCreated, item), owner.client_id)
            return group_class_view(item)

    def page(self, owner: Owner, page: ListPage) -> tuple[list[dict[str, Any]], dict[str, int]]:
        with self.uow(write=False) as repos:
            items, block = repos.group_classes.page(owner, page)
            return [group_class_view(item) for item in items], block

    def get(self, owner: Owner, class_id: int) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            return group_class_view(self._get(repos, owner, class_id))

    def _changeable(self, item: GroupClass) -> None:
        if not item.active:
            raise ClassCancelled()
        if item.starts_at <= self.clock():
            raise ClassStarted()

    def _rescheduled(self, item: GroupClass, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields to store, with a new date, time or duration turned into starts_at/ends_at."""
        if not any(name in fields for name in SCHEDULE):
            return fields
        old_day, old_at = local_schedule(item.starts_at, item.timezone)
        day = fields.pop("scheduled_date", old_day)
        at = fields.pop("scheduled_time", time.fromisoformat(old_at))
        moved = (day, at.strftime("%H:%M")) != (old_day, old_at)
        starts_at = self._start(day, at, item.timezone) if moved else item.starts_at
        duration = fields.get("duration", item.duration)
        return {**fields, "starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=duration)}

    def change(self, owner: Owner, change: Change) -> dict[str, Any]:
        """Change the fields sent, published as updated; 409 below the joined users, once cancelled or started."""
        with self.uow() as repos:
            item = self._get(repos, owner, change.id, lock=True)
            self._changeable(item)
            fields = self._rescheduled(item, dict(change.fields))
            problem = capacity_problem(fields.get("capacity", item.capacity), item.participants)
            if "capacity" in fields and problem:
                raise CapacityBelowParticipants(problem)
            if assign(item, fields):
                repos.group_classes.flush()
                repos.outbox.add(class_event(events.GroupClassUpdated, item), owner.client_id)
            return group_class_view(item)

    def cancel(self, owner: Owner, class_id: int) -> dict[str, Any]:
        """Cancel the class (idempotent), published as catalog.group_class.cancelled with active false."""
        with self.uow() as repos:
            item = self._get(repos, owner, class_id, lock=True)
            if item.active:
                self._changeable(item)
                item.active = False
                repos.group_classes.flush()
                repos.outbox.add(class_event(events.GroupClassCancelled, item), owner.client_id)
            return group_class_view(item)

    def internal(self, owner: Owner, class_id: int) -> dict[str, Any]:
        """The facts another service checks before it acts on the trainer's class (portal's launch)."""
        with self.uow(write=False) as repos:
            item = self._get(repos, owner, class_id)
            zone = item.timezone
            return {"id": item.id, "trainer_id": item.trainer_id, "name": item.name,
                    "starts_at": in_zone(item.starts_at, zone), "ends_at": in_zone(item.ends_at, zone),
                    "timezone": zone, "capacity": item.capacity, "active": item.active}
