"""The trainer's schedule: weekly windows, date overrides, one-off time slots and the booking policy."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from stvos_shared.errors import invalid_fields
from stvos_shared.principal import Principal

from ..adapters.orm import AvailabilityOverride, AvailabilityWindow, TimeSlot
from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from ..domain.commands import AddTimeSlot, SetOverride, SetWindow
from ..domain.errors import (
    AvailabilityNotFound,
    AvailabilityOverlap,
    OverrideNotFound,
    TimeSlotNotFound,
    TimeSlotOverlap,
    TrainerNotFound,
)
from ..domain.slots import local_instant
from . import views
from .availability import policy_of


def _timezone(repos: Repositories, principal: Principal) -> str:
    """The trainer's zone; 404 until catalog has told booking about the trainer."""
    terms = repos.schedules.terms(principal.client_id, principal.trainer_id)
    if terms is None:
        raise TrainerNotFound("Your trainer profile is not known to bookings yet; try again in a moment.")
    return terms.timezone


class Schedule:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def windows(self, principal: Principal) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            timezone = _timezone(repos, principal)
            rows = repos.schedules.windows(principal.client_id, principal.trainer_id)
        return {"timezone": timezone, "availability": [views.window(row) for row in rows]}

    def add_window(self, command: SetWindow) -> dict[str, Any]:
        """A weekly window; one overlapping another on the same day is 409 AVAILABILITY_OVERLAP."""
        who = command.principal

        def work(repos: Repositories) -> dict[str, Any]:
            _timezone(repos, who)
            if repos.schedules.window_overlaps(who.client_id, who.trainer_id, command.day_of_week,
                                               command.start_minute, command.end_minute):
                raise AvailabilityOverlap()
            row = repos.schedules.add(AvailabilityWindow(
                client_id=who.client_id, trainer_id=who.trainer_id, day_of_week=command.day_of_week,
                start_minute=command.start_minute, end_minute=command.end_minute))
            return {"availability": views.window(row)}

        return self.uow.run(work)

    def delete_window(self, principal: Principal, window_id: int) -> None:
        self._delete(lambda repos: repos.schedules.delete_window(principal.client_id, principal.trainer_id,
                                                                 window_id), AvailabilityNotFound)

    def _delete(self, delete: Any, missing: type[Exception]) -> None:
        def work(repos: Repositories) -> None:
            if not delete(repos):
                raise missing()

        self.uow.run(work)

    def overrides(self, principal: Principal, first: date | None, last: date | None) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            rows = repos.schedules.overrides(principal.client_id, principal.trainer_id, first, last)
        return {"overrides": [views.override(row) for row in rows]}

    def add_override(self, command: SetOverride) -> dict[str, Any]:
        """A day off, or other hours on one date (several may share a date; none may overlap a day off)."""
        who, available = command.principal, command.start_minute is not None

        def work(repos: Repositories) -> dict[str, Any]:
            _timezone(repos, who)
            if repos.schedules.override_overlaps(who.client_id, who.trainer_id, command.date, command.start_minute,
                                                 command.end_minute):
                raise AvailabilityOverlap("That date already has an override these hours overlap (or a day off).")
            row = repos.schedules.add(AvailabilityOverride(
                client_id=who.client_id, trainer_id=who.trainer_id, date=command.date, available=available,
                start_minute=command.start_minute, end_minute=command.end_minute))
            return {"override": views.override(row)}

        return self.uow.run(work)

    def delete_override(self, principal: Principal, override_id: int) -> None:
        self._delete(lambda repos: repos.schedules.delete_override(principal.client_id, principal.trainer_id,
                                                                   override_id), OverrideNotFound)

    def time_slots(self, principal: Principal, first: date | None, last: date | None) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            timezone = _timezone(repos, principal)
            zone = views.zone(timezone)
            since = local_instant(first, 0, zone, fold=0) if first else None
            until = local_instant(last + timedelta(days=1), 0, zone, fold=0) if last else None
            rows = repos.schedules.time_slots(principal.client_id, principal.trainer_id, since, until)
        return {"time_slots": [views.time_slot(row, timezone) for row in rows]}

    def add_time_slot(self, command: AddTimeSlot) -> dict[str, Any]:
        """A one-off bookable time in the trainer's zone; overlapping another is 409 TIME_SLOT_OVERLAP."""
        who = command.principal

        def work(repos: Repositories) -> dict[str, Any]:
            timezone = _timezone(repos, who)
            zone = views.zone(timezone)
            starts_at = local_instant(command.date, command.start_minute, zone)
            ends_at = local_instant(command.date, command.end_minute, zone)
            if starts_at is None or ends_at is None:
                raise invalid_fields(startTime="That local time does not exist on this date (clocks go forward).")
            if repos.schedules.time_slot_overlaps(who.client_id, who.trainer_id, starts_at, ends_at):
                raise TimeSlotOverlap()
            row = repos.schedules.add(TimeSlot(client_id=who.client_id, trainer_id=who.trainer_id,
                                               service_id=command.service_id, starts_at=starts_at, ends_at=ends_at))
            return {"time_slot": views.time_slot(row, timezone)}

        return self.uow.run(work)

    def delete_time_slot(self, principal: Principal, slot_id: int) -> None:
        self._delete(lambda repos: repos.schedules.delete_time_slot(principal.client_id, principal.trainer_id,
                                                                    slot_id), TimeSlotNotFound)

    def policy(self, principal: Principal) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            row = repos.schedules.policy(principal.client_id, principal.trainer_id)
        return {"policy": asdict(policy_of(row))}

    def update_policy(self, principal: Principal, changes: dict[str, int]) -> dict[str, Any]:
        """Change any of the policy's fields; the rest keep their values (or the defaults)."""
        def work(repos: Repositories) -> dict[str, Any]:
            current = asdict(policy_of(repos.schedules.policy(principal.client_id, principal.trainer_id)))
            repos.schedules.save_policy(principal.client_id, principal.trainer_id, {**current, **changes})
            return {"policy": {**current, **changes}}

        return self.uow.run(work)
