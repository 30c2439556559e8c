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

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
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


class Slot(NamedTuple):
    """[start, end) in minutes after EPOCH, the zone's offsets (minutes east of UTC) at both ends.

    A tuple, sorting by start: hundreds are made per request.
    """

    start: int
    id: int
    end: int
    service_id: int | None
    offset: int
    end_offset: int

    @property
    def starts_at(self) -> datetime:
        return EPOCH + timedelta(minutes=self.start)

    @property
    def ends_at(self) -> datetime:
        return EPOCH + timedelta(minutes=self.end)


_new = tuple.__new__  # makes a named tuple without its Python-level __new__ (hundreds of slots per request)


def minutes_after_epoch(moment: datetime, *, up: bool = False) -> int:
    """Whole minutes from EPOCH to `moment` (rounded down, or up)."""
    seconds = (moment - EPOCH).total_seconds()
    return -int(-seconds // 60) if up else int(seconds // 60)


class Busy:
    """Taken time ranges [start, end) in minutes after EPOCH: does a range touch any of them? (bisect over the
    starts, running maximum of the ends)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self._ranges = sorted(ranges)
        self._starts = [start for start, _ in self._ranges]
        self._reach: list[int] = []
        for _, end in self._ranges:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def touches(self, start: int, end: int) -> bool:
        """Whether [start, end) (minutes after EPOCH) shares a minute with taken time."""
        before = bisect_left(self._starts, end)  # ranges starting before `end`
        return before > 0 and self._reach[before - 1] > start

    def free(self, starts: range, length: int) -> list[int]:
        """The starts s of `starts` (a step > 0) whose [s, s + length) touches no taken time: a walk over the taken
        ranges that reach into them (a range [a, b) rules out a run of starts, those in (a - length, b)), not a
        search per start."""
        if not starts:
            return []
        first, stop, step = starts.start, starts.stop, starts.step
        out: list[int] = []
        ranges = self._ranges
        for index in range(bisect_right(self._reach, first), bisect_left(self._starts, starts[-1] + length)):
            taken_from, taken_until = ranges[index]
            if taken_from - length >= first:  # the starts up to taken_from - length are free
                out.extend(range(first, min(stop, taken_from - length + 1), step))
            if taken_until > first:
                first += -(-(taken_until - first) // step) * step
                if first >= stop:
                    return out
        out.extend(range(first, stop, step))
        return out

    @classmethod
    def of(cls, ranges: Iterable[tuple[datetime, datetime]]) -> Busy:
        """From ranges of instants (rounded out to whole minutes)."""
        return cls((minutes_after_epoch(start), minutes_after_epoch(end, up=True)) for start, end in ranges)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.touches(minutes_after_epoch(start), minutes_after_epoch(end, up=True))


def generated_id(starts_at: datetime) -> int:
    return SLOT_ID_BASE + minutes_after_epoch(starts_at)


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


def offset_at(instant: datetime, zone: ZoneInfo) -> int:
    """The zone's offset from UTC at `instant`, in minutes east."""
    return int(instant.astimezone(zone).utcoffset().total_seconds() // 60)


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


@dataclass(frozen=True)
class _Walk:
    """What every window's walk shares: the zone, the step and length, and the bounds of a start."""

    zone: ZoneInfo
    step: int
    length: int
    service_id: int | None
    earliest: int
    latest: int
    busy: Busy | None = None
    gap: int = 0  # the buffer a slot keeps clear after it



def _walk(day: date, window: Window, walk: _Walk) -> list[Slot]:
    """The slots of one window on one day, walked in wall-clock minutes from its start."""
    first, end = local_instant(day, window.start_minute, walk.zone), window_end(day, window.end_minute, walk.zone)
    last_end = minutes_after_epoch(end)
    if first is not None and last_end - minutes_after_epoch(first) == window.end_minute - window.start_minute:
        # No clock change inside the window: every wall minute is the same offset from its instant.
        offset, base = offset_at(first, walk.zone), minutes_after_epoch(first) - window.start_minute
        skipped = max(0, -(-(walk.earliest - base - window.start_minute) // walk.step))
        stop = min(window.end_minute, last_end - walk.length - base + 1, walk.latest - base + 1)
        starts = range(base + window.start_minute + skipped * walk.step, base + stop, walk.step)
        if walk.busy is not None:
            starts = walk.busy.free(starts, walk.length + walk.gap)
        length, service_id = walk.length, walk.service_id
        return [_new(Slot, (start, SLOT_ID_BASE + start, start + length, service_id, offset, offset))
                for start in starts]
    slots = []
    for minute in range(window.start_minute, window.end_minute, walk.step):
        instant = local_instant(day, minute, walk.zone)
        if instant is None:
            continue
        start = minutes_after_epoch(instant)
        if start + walk.length > last_end:
            break
        free = walk.busy is None or not walk.busy.touches(start, start + walk.length + walk.gap)
        if walk.earliest <= start <= walk.latest and free:
            ends = EPOCH + timedelta(minutes=start + walk.length)
            slots.append(Slot(start, SLOT_ID_BASE + start, start + walk.length, walk.service_id,
                              offset_at(instant, walk.zone), offset_at(ends, walk.zone)))
    return slots


def _explicit(hours: Hours, zone: ZoneInfo, query: SlotQuery) -> Iterator[Slot]:
    for slot in hours.explicit:
        if not query.first <= slot.starts_at.astimezone(zone).date() <= query.last:
            continue
        if query.service_id is not None and slot.service_id not in (None, query.service_id):
            continue
        start, own_end = minutes_after_epoch(slot.starts_at), minutes_after_epoch(slot.ends_at)
        end = start + query.duration_minutes if query.duration_minutes else own_end
        if end <= own_end:
            yield Slot(start, slot.id, end, query.service_id or slot.service_id, offset_at(slot.starts_at, zone),
                       offset_at(EPOCH + timedelta(minutes=end), zone))


def candidate_slots(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery, now: datetime,
                    busy: Busy | None = None) -> list[Slot]:
    """The slots the hours offer inside notice and advance window, in time order; with `busy`, only those that
    keep clear of taken time with the policy's buffer after them (taken time carries its own)."""
    earliest = minutes_after_epoch(policy.earliest_start(now), up=True)
    latest = minutes_after_epoch(policy.latest_start(now))
    walk = _Walk(zone, policy.slot_step_minutes, query.duration_minutes or policy.slot_step_minutes,
                 query.service_id, earliest, latest, busy, minutes_after_epoch(EPOCH + policy.buffer, up=True))
    last_day = min(query.last, (policy.latest_start(now) + timedelta(days=1)).date())
    slots = [slot for day in days(query.first, last_day) for window in hours.windows_on(day)
             for slot in _walk(day, window, walk)]
    slots.extend(slot for slot in _explicit(hours, zone, query)
                 if earliest <= slot.start <= latest and (busy is None or not busy.touches(slot.start,
                                                                                          slot.end + walk.gap)))
    slots.sort()
    return slots
