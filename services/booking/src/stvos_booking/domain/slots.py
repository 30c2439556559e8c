"""Bookable slots: a trainer's hours in their own time zone, walked in wall-clock time, minus booked time.

A weekly window (or a date override, which replaces the weekly windows of its date) is walked from its
start in steps of the policy's slot step, in local wall-clock minutes. Each start is turned into an
instant with the zone's rules: a wall time inside a spring-forward gap does not exist and is skipped; one
that happens twice in a fall-back hour is taken once, at its first occurrence (fold=0). A slot fits when
its real end (start + duration) is not after the window's end, so a window never yields more real time
than it has. Slot ids are stable: a generated slot's id is SLOT_ID_BASE + minutes from EPOCH to its start
(the service comes with the request); explicit time slots have row ids, always below SLOT_ID_BASE.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .model import MINUTES_PER_DAY, Policy

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
SLOT_ID_BASE = 2**30  # explicit time slots' row ids stay below it (a CHECK constraint); generated ones above


@dataclass(frozen=True)
class Window:
    """[start_minute, end_minute) of a local day (minutes after midnight; 1440 is midnight at its end)."""

    start_minute: int
    end_minute: int

    def overlaps(self, other: Window) -> bool:
        return self.start_minute < other.end_minute and other.start_minute < self.end_minute


@dataclass(frozen=True)
class ExplicitSlot:
    """A one-off bookable time the trainer created, for one service or (service_id None) any."""

    id: int
    starts_at: datetime
    ends_at: datetime
    service_id: int | None


@dataclass(frozen=True)
class Hours:
    """A trainer's hours: weekly windows by weekday (0 = Monday), overrides by date ([] = a day off)."""

    weekly: dict[int, list[Window]] = field(default_factory=dict)
    overrides: dict[date, list[Window]] = field(default_factory=dict)
    explicit: list[ExplicitSlot] = field(default_factory=list)

    def windows_on(self, day: date) -> list[Window]:
        if day in self.overrides:
            return self.overrides[day]
        return self.weekly.get(day.weekday(), [])


@dataclass(frozen=True)
class Slot:
    id: int
    starts_at: datetime  # UTC
    ends_at: datetime
    service_id: int | None


class Busy:
    """Taken time ranges [start, end): does a range touch any of them? (bisect over starts, running max end)."""

    def __init__(self, ranges: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach: list[datetime] = []
        for _, end in ordered:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        before = bisect_left(self._starts, end)  # ranges starting before `end`
        return before > 0 and self._reach[before - 1] > start


def generated_id(starts_at: datetime) -> int:
    return SLOT_ID_BASE + int((starts_at - EPOCH).total_seconds()) // 60


def start_of_generated(slot_id: int) -> datetime | None:
    """The start instant a generated slot id names; None for an explicit slot's id."""
    return EPOCH + timedelta(minutes=slot_id - SLOT_ID_BASE) if slot_id >= SLOT_ID_BASE else None


def local_instant(day: date, minute: int, zone: ZoneInfo, fold: int = 0) -> datetime | None:
    """The UTC instant of a local wall time, None when it does not exist (a spring-forward gap)."""
    day, minute = (day + timedelta(days=1), 0) if minute >= MINUTES_PER_DAY else (day, minute)
    wall = datetime.combine(day, time(minute // 60, minute % 60), zone).replace(fold=fold)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return instant


def window_end(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """A window's end instant; an end inside a gap is read the earlier way, so no slot runs past it."""
    exact = local_instant(day, minute, zone)
    if exact is not None:
        return exact
    day, minute = (day + timedelta(days=1), 0) if minute >= MINUTES_PER_DAY else (day, minute)
    wall = datetime.combine(day, time(minute // 60, minute % 60), zone)
    return min(wall.replace(fold=0).astimezone(UTC), wall.replace(fold=1).astimezone(UTC))


def days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


@dataclass(frozen=True)
class SlotQuery:
    """What a caller asks for: local days [first, last], a service's duration (or the step) and id."""

    first: date
    last: date
    duration_minutes: int | None = None
    service_id: int | None = None


def _generated(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery) -> Iterator[Slot]:
    length = timedelta(minutes=query.duration_minutes or policy.slot_step_minutes)
    for day in days(query.first, query.last):
        for window in hours.windows_on(day):
            end = window_end(day, window.end_minute, zone)
            for minute in range(window.start_minute, window.end_minute, policy.slot_step_minutes):
                start = local_instant(day, minute, zone)
                if start is None:
                    continue
                if start + length > end:
                    break
                yield Slot(generated_id(start), start, start + length, query.service_id)


def _explicit(hours: Hours, zone: ZoneInfo, query: SlotQuery) -> Iterator[Slot]:
    for slot in hours.explicit:
        if not query.first <= slot.starts_at.astimezone(zone).date() <= query.last:
            continue
        if query.service_id is not None and slot.service_id not in (None, query.service_id):
            continue
        ends_at = slot.starts_at + timedelta(minutes=query.duration_minutes) if query.duration_minutes else slot.ends_at
        if ends_at <= slot.ends_at:
            yield Slot(slot.id, slot.starts_at, ends_at, query.service_id or slot.service_id)


def candidate_slots(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery, now: datetime) -> list[Slot]:
    """Every slot the hours offer inside notice and advance window, booked or not, in time order."""
    earliest, latest = policy.earliest_start(now), policy.latest_start(now)
    slots = [slot for source in (_generated(hours, zone, policy, query), _explicit(hours, zone, query))
             for slot in source if earliest <= slot.starts_at <= latest]
    return sorted(slots, key=lambda slot: (slot.starts_at, slot.id))


def free_slots(candidates: Sequence[Slot], busy: Busy, buffer: timedelta) -> list[Slot]:
    """The candidates that keep `buffer` clear after them before any taken time (taken time carries its own)."""
    return [slot for slot in candidates if not busy.overlaps(slot.starts_at, slot.ends_at + buffer)]
