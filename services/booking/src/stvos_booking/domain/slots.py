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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, pairwise
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .model import MINUTES_PER_DAY, Policy

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
EPOCH_DAY, ONE_MINUTE = EPOCH.date(), timedelta(minutes=1)
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


class Run(NamedTuple):
    """Slots of one length and the same offsets, in time order: their starts (minutes after EPOCH), each one's id
    `ids` + its start (a generated slot's SLOT_ID_BASE; an explicit one's row id - start). A window's free slots are
    one run, so that they are written without a tuple each."""

    starts: Sequence[int]
    ids: int
    length: int
    service_id: int | None
    offset: int
    end_offset: int

    @property
    def slots(self) -> list[Slot]:
        ids, length, service_id, offset, end_offset = self[1:]
        return [_new(Slot, (start, ids + start, start + length, service_id, offset, end_offset))
                for start in self.starts]

    @classmethod
    def of(cls, slot: Slot) -> Run:
        return cls([slot.start], slot.id - slot.start, slot.end - slot.start, *slot[3:])


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
        self._reach = list(accumulate([end for _, end in self._ranges], max))

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



def _steady_offset(day: date, window: Window, zone: ZoneInfo) -> int | None:
    """The zone's offset (minutes east) at both ends of a window when it is the same and neither end is in a gap
    or a repeated hour; None otherwise."""
    midnight, offset_of = datetime(day.year, day.month, day.day), zone.utcoffset  # wall times, read in the zone
    start, end = midnight + window.start_minute * ONE_MINUTE, midnight + window.end_minute * ONE_MINUTE
    offset = offset_of(start)
    if offset == offset_of(end) == offset_of(start.replace(fold=1)) == offset_of(end.replace(fold=1)):
        return offset // ONE_MINUTE
    return None


def _walk(day: date, window: Window, walk: _Walk) -> list[Run]:
    """The slots of one window on one day, walked in wall-clock minutes from its start: one run, or one per slot
    where the clock changes inside the window."""
    offset = _steady_offset(day, window, walk.zone)
    if offset is not None:
        # No clock change inside the window: every wall minute is the same offset from its instant.
        base = (day - EPOCH_DAY).days * MINUTES_PER_DAY - offset
        last_end = base + window.end_minute
        skipped = max(0, -(-(walk.earliest - base - window.start_minute) // walk.step))
        stop = min(window.end_minute, last_end - walk.length - base + 1, walk.latest - base + 1)
        starts: Sequence[int] = range(base + window.start_minute + skipped * walk.step, base + stop, walk.step)
        if walk.busy is not None:
            starts = walk.busy.free(starts, walk.length + walk.gap)
        return [Run(starts, SLOT_ID_BASE, walk.length, walk.service_id, offset, offset)] if starts else []
    runs, last_end = [], minutes_after_epoch(window_end(day, window.end_minute, walk.zone))
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
            runs.append(Run([start], SLOT_ID_BASE, walk.length, walk.service_id, offset_at(instant, walk.zone),
                            offset_at(ends, walk.zone)))
    return runs


def _explicit(hours: Hours, zone: ZoneInfo, query: SlotQuery) -> Iterator[Run]:
    for slot in hours.explicit:
        if not query.first <= slot.starts_at.astimezone(zone).date() <= query.last:
            continue
        if query.service_id is not None and slot.service_id not in (None, query.service_id):
            continue
        start, own_end = minutes_after_epoch(slot.starts_at), minutes_after_epoch(slot.ends_at)
        end = start + query.duration_minutes if query.duration_minutes else own_end
        if end <= own_end:
            yield Run([start], slot.id - start, end - start, query.service_id or slot.service_id,
                      offset_at(slot.starts_at, zone), offset_at(EPOCH + timedelta(minutes=end), zone))


def slot_runs(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery, now: datetime,
              busy: Busy | None = None) -> list[Run]:
    """The slots the hours offer inside notice and advance window, as runs in time order; with `busy`, only those
    that keep clear of taken time with the policy's buffer after them (taken time carries its own)."""
    earliest = minutes_after_epoch(policy.earliest_start(now), up=True)
    latest = minutes_after_epoch(policy.latest_start(now))
    walk = _Walk(zone, policy.slot_step_minutes, query.duration_minutes or policy.slot_step_minutes,
                 query.service_id, earliest, latest, busy, minutes_after_epoch(EPOCH + policy.buffer, up=True))
    last_day = min(query.last, (policy.latest_start(now) + timedelta(days=1)).date())
    runs = [run for day in days(query.first, last_day) for window in hours.windows_on(day)
            for run in _walk(day, window, walk)]
    runs.extend(run for run in _explicit(hours, zone, query)
                if earliest <= run.starts[0] <= latest and (busy is None or not busy.touches(
                    run.starts[0], run.starts[0] + run.length + walk.gap)))
    runs.sort(key=lambda run: (run.starts[0], run.ids + run.starts[0]))
    if any(before.starts[-1] >= after.starts[0] for before, after in pairwise(runs)):  # windows or one-offs overlap
        return [Run.of(slot) for slot in sorted(slot for run in runs for slot in run.slots)]
    return runs


def candidate_slots(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery, now: datetime,
                    busy: Busy | None = None) -> list[Slot]:
    """The slots of slot_runs, one by one."""
    return [slot for run in slot_runs(hours, zone, policy, query, now, busy) for slot in run.slots]
