"""GET /trainers/:id/availability, and the re-check of one slot that booking makes.

Two queries whatever the range, in autocommit on PostgreSQL (two round trips, no BEGIN and COMMIT): the trainer
with their policy and the service; their hours (weekly windows, the range's overrides and time slots) and their
taken time (bookings and classes).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from stvos_shared.errors import invalid_fields
from stvos_shared.principal import Principal

from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from ..domain.errors import ServiceNotFound, TrainerNotFound
from ..domain.model import Policy
from ..domain.slots import Busy, ExplicitSlot, Hours, Run, SlotQuery, Window, slot_runs
from . import views
from .clock import Clock

MAX_RANGE_DAYS = 90
DEFAULT_RANGE_DAYS = 7
_POLICY_FIELDS = ("buffer_minutes", "min_notice_hours", "max_advance_days", "slot_step_minutes",
                  "cancellation_cutoff_hours")


def policy_of(row: Any) -> Policy:
    """The trainer's policy from a row with its columns (all null: the defaults)."""
    if row is None or row.buffer_minutes is None:
        return Policy()
    return Policy(**{name: getattr(row, name) for name in _POLICY_FIELDS})


def trainer_terms(repos: Repositories, client_id: int, trainer_id: int, service_id: int | None) -> Any:
    """The trainer (404 while unknown or inactive) and, when asked for, their active service (404)."""
    terms = repos.schedules.terms(client_id, trainer_id, service_id)
    if terms is None or not terms.active:
        raise TrainerNotFound()
    if service_id is not None and (terms.service_id is None or not terms.service_active):
        raise ServiceNotFound()
    return terms


def utc_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Instants that hold every local moment of [first, last] in any zone (offsets stay within a day)."""
    return (datetime.combine(first - timedelta(days=1), time(), UTC),
            datetime.combine(last + timedelta(days=2), time(), UTC))


def hours_of(rows: list[Any], buffer: timedelta = timedelta()) -> tuple[Hours, list[Any], list[tuple[int, int]]]:
    """Hours from the union rows of Schedules.hours, the weekly windows' rows (for the response), and the taken
    time in minutes after the slots' EPOCH (a class's with today's `buffer` after it). Rows are unpacked in the
    union's column order (a name looked up on a row costs five times as much; a 28-day read has ~200 rows)."""
    weekly: dict[int, list[Window]] = {}
    overrides: dict[date, list[Window]] = {}
    explicit, windows, taken = [], [], []
    extra = int(buffer.total_seconds() // 60)
    for row in rows:
        kind, row_id, day_of_week, day, start, end, available, starts_at, ends_at, service_id = row
        if kind == "b":
            taken.append((start, end))
        elif kind == "c":
            taken.append((start, end + extra))
        elif kind == "w":
            weekly.setdefault(day_of_week, []).append(Window(start, end))
            windows.append(row)
        elif kind == "o":
            dated = overrides.setdefault(_as_date(day), [])
            if available:
                dated.append(Window(start, end))
        else:
            explicit.append(ExplicitSlot(row_id, starts_at, ends_at, service_id))
    return Hours(weekly, overrides, explicit), windows, taken


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def slots_for(repos: Repositories, client_id: int, terms: Any, query: SlotQuery, now: datetime,
              ) -> tuple[list[Run], list[Any]]:
    """The free slots of [first, last] for a service (or the step), as runs, and the weekly windows' rows."""
    policy, zone = policy_of(terms), views.zone(terms.timezone)
    since, until = utc_bounds(query.first, query.last)
    open_since = max(since, policy.earliest_start(now))
    open_until = min(until, policy.latest_start(now) + timedelta(days=1))
    rows = repos.schedules.hours(client_id, terms.id, query.first, query.last, since, until,
                                 taken=(open_since, open_until, policy.buffer))
    hours, windows, taken = hours_of(rows, policy.buffer)
    if open_since >= open_until:
        return [], windows
    return slot_runs(hours, zone, policy, query, now, Busy(taken)), windows


def date_range(start: date, end: date | None) -> tuple[date, date]:
    """[start, end] (end defaults to start + 6 days); backwards or over 90 days is a 422."""
    end = end or start + timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if end < start:
        raise invalid_fields(endDate="Must not be before startDate.")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise invalid_fields(endDate=f"The range may span at most {MAX_RANGE_DAYS} days.")
    return start, end


class Availability:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    def of_trainer(self, principal: Principal, trainer_id: int, start: date, end: date | None,
                   service_id: int | None) -> dict[str, Any]:
        """The trainer's zone, weekly hours and free slots of the range."""
        first, last = date_range(start, end)
        with self.uow(write=False) as repos:
            terms = trainer_terms(repos, principal.client_id, trainer_id, service_id)
            query = SlotQuery(first, last, terms.duration if service_id else None, service_id)
            slots, windows = slots_for(repos, principal.client_id, terms, query, self.clock.now())
        windows.sort(key=lambda row: (row.day_of_week, row.start_minute))
        return {"timezone": terms.timezone, "weekly_availability": [views.window(row) for row in windows],
                "slots": slots}
