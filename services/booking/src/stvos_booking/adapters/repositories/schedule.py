"""A trainer's hours (weekly windows, date overrides, one-off time slots) and booking policy."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.db import UtcDateTime, single_read

from ..orm import AvailabilityOverride, AvailabilityWindow, BookingPolicy, Service, TimeSlot, Trainer
from .bookings import taken_minutes

_POLICY = (BookingPolicy.buffer_minutes, BookingPolicy.min_notice_hours, BookingPolicy.max_advance_days,
           BookingPolicy.slot_step_minutes, BookingPolicy.cancellation_cutoff_hours)


def _terms(with_service: bool) -> Select:
    service_on = and_(Service.id == bindparam("service_id"), Service.trainer_id == Trainer.id,
                      Service.client_id == Trainer.client_id) if with_service else literal(False)
    return (select(Trainer.id, Trainer.name, Trainer.timezone, Trainer.active, *_POLICY,
                   Service.id.label("service_id"), Service.name.label("service_name"), Service.duration,
                   Service.price, Service.currency, Service.active.label("service_active"),
                   Service.cancellation_cutoff_hours.label("service_cutoff"))
            .outerjoin(BookingPolicy, BookingPolicy.trainer_id == Trainer.id)
            .outerjoin(Service, service_on)
            .where(Trainer.id == bindparam("trainer_id"), Trainer.client_id == bindparam("client_id")))


def _hours(taken: bool) -> CompoundSelect:
    """The union behind Schedules.hours, built once (typed NULLs: PostgreSQL needs them to match columns); with
    `taken`, the trainer's taken time too (bookings/taken_minutes: kind "b" a booking, "c" a class, its minutes
    after the slots' EPOCH as start_minute and end_minute)."""
    text, day, minute, flag, instant = String(1), Date(), Integer(), Boolean(), UtcDateTime()
    client, trainer = bindparam("client_id"), bindparam("trainer_id")
    windows = select(
        cast(literal("w"), text).label("kind"), AvailabilityWindow.id, AvailabilityWindow.day_of_week,
        cast(null(), day).label("date"), AvailabilityWindow.start_minute, AvailabilityWindow.end_minute,
        cast(literal(True), flag).label("available"), cast(null(), instant).label("starts_at"),
        cast(null(), instant).label("ends_at"), cast(null(), minute).label("service_id")).where(
        AvailabilityWindow.client_id == client, AvailabilityWindow.trainer_id == trainer)
    overrides = select(
        cast(literal("o"), text), AvailabilityOverride.id, cast(null(), minute), AvailabilityOverride.date,
        AvailabilityOverride.start_minute, AvailabilityOverride.end_minute, AvailabilityOverride.available,
        cast(null(), instant), cast(null(), instant), cast(null(), minute)).where(
        AvailabilityOverride.client_id == client, AvailabilityOverride.trainer_id == trainer,
        AvailabilityOverride.date >= bindparam("first"), AvailabilityOverride.date <= bindparam("last"))
    slots = select(
        cast(literal("t"), text), TimeSlot.id, cast(null(), minute), cast(null(), day), cast(null(), minute),
        cast(null(), minute), cast(literal(True), flag), TimeSlot.starts_at, TimeSlot.ends_at,
        TimeSlot.service_id).where(
        TimeSlot.client_id == client, TimeSlot.trainer_id == trainer, TimeSlot.starts_at >= bindparam("since"),
        TimeSlot.starts_at < bindparam("until"))
    if not taken:
        return union_all(windows, overrides, slots)
    bookings, classes = taken_minutes("taken_since", "taken_until", "class_since")
    nothing = (cast(null(), minute), cast(null(), minute), cast(null(), day))
    return union_all(windows, overrides, slots, *(
        query.with_only_columns(cast(literal(kind), text), *nothing, *query.selected_columns, cast(literal(True), flag),
                                cast(null(), instant), cast(null(), instant), cast(null(), minute))
        for kind, query in (("b", bookings), ("c", classes))))


_TERMS, _TERMS_AND_SERVICE = _terms(False), _terms(True)
_HOURS = {False: _hours(taken=False), True: _hours(taken=True)}


class Schedules:
    def __init__(self, session: Session) -> None:
        self.session = session

    def terms(self, client_id: int, trainer_id: int, service_id: int | None = None) -> Row | None:
        """The trainer (zone, name, active), their policy and the asked service, in one query (`single_read`: in
        autocommit on PostgreSQL in a read, in the transaction in a write)."""
        query = _TERMS if service_id is None else _TERMS_AND_SERVICE
        rows = single_read(self.session, query, {"client_id": client_id, "trainer_id": trainer_id,
                                                 "service_id": service_id or 0})
        return rows[0] if rows else None

    def hours(self, client_id: int, trainer_id: int, first: date, last: date, since: datetime,
              until: datetime, taken: tuple[datetime, datetime, timedelta] | None = None) -> list[Row]:
        """Weekly windows, the overrides of [first, last] and the time slots starting in [since, until), and with
        `taken` = (since, until, buffer) the taken time touching that range (bookings.taken_minutes): one query.

        Rows: kind ("w", "o", "t"; "b", "c"), id, day_of_week, date, start_minute, end_minute, available,
        starts_at, ends_at, service_id.
        """
        params = {"client_id": client_id, "trainer_id": trainer_id, "first": first, "last": last, "since": since,
                  "until": until}
        if taken is not None:
            taken_since, taken_until, buffer = taken
            params.update(taken_since=taken_since, taken_until=taken_until, class_since=taken_since - buffer,
                          ignore_id=0)
        return list(single_read(self.session, _HOURS[taken is not None], params))

    def time_slot(self, client_id: int, trainer_id: int, slot_id: int) -> TimeSlot | None:
        return self.session.scalar(select(TimeSlot).where(
            TimeSlot.id == slot_id, TimeSlot.client_id == client_id, TimeSlot.trainer_id == trainer_id))

    # -- weekly windows -------------------------------------------------------------------------

    def windows(self, client_id: int, trainer_id: int) -> list[AvailabilityWindow]:
        return list(self.session.scalars(select(AvailabilityWindow).where(
            AvailabilityWindow.client_id == client_id, AvailabilityWindow.trainer_id == trainer_id)
            .order_by(AvailabilityWindow.day_of_week, AvailabilityWindow.start_minute)))

    def window_overlaps(self, client_id: int, trainer_id: int, day: int, start: int, end: int) -> bool:
        return self.session.scalar(select(AvailabilityWindow.id).where(
            AvailabilityWindow.client_id == client_id, AvailabilityWindow.trainer_id == trainer_id,
            AvailabilityWindow.day_of_week == day, AvailabilityWindow.start_minute < end,
            AvailabilityWindow.end_minute > start).limit(1)) is not None

    def add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()  # on PostgreSQL an exclusion constraint decides a race here
        return row

    def delete_window(self, client_id: int, trainer_id: int, window_id: int) -> bool:
        return self._delete(AvailabilityWindow, client_id, trainer_id, window_id)

    def _delete(self, table: Any, client_id: int, trainer_id: int, row_id: int) -> bool:
        result = self.session.execute(delete(table).where(
            table.id == row_id, table.client_id == client_id, table.trainer_id == trainer_id))
        return result.rowcount > 0

    # -- date overrides -------------------------------------------------------------------------

    def overrides(self, client_id: int, trainer_id: int, first: date | None, last: date | None) -> list[Any]:
        query = select(AvailabilityOverride).where(AvailabilityOverride.client_id == client_id,
                                                   AvailabilityOverride.trainer_id == trainer_id)
        if first is not None:
            query = query.where(AvailabilityOverride.date >= first)
        if last is not None:
            query = query.where(AvailabilityOverride.date <= last)
        return list(self.session.scalars(query.order_by(AvailabilityOverride.date, AvailabilityOverride.start_minute)))

    def override_overlaps(self, client_id: int, trainer_id: int, day: date, start: int | None,
                          end: int | None) -> bool:
        """Whether the date already has an override sharing any minute (a day off shares all of them)."""
        query = select(AvailabilityOverride.id).where(
            AvailabilityOverride.client_id == client_id, AvailabilityOverride.trainer_id == trainer_id,
            AvailabilityOverride.date == day)
        if start is not None and end is not None:
            query = query.where((AvailabilityOverride.available.is_(False)) | and_(
                AvailabilityOverride.start_minute < end, AvailabilityOverride.end_minute > start))
        return self.session.scalar(query.limit(1)) is not None

    def delete_override(self, client_id: int, trainer_id: int, override_id: int) -> bool:
        return self._delete(AvailabilityOverride, client_id, trainer_id, override_id)

    # -- one-off time slots ---------------------------------------------------------------------

    def time_slots(self, client_id: int, trainer_id: int, since: datetime | None,
                   until: datetime | None) -> list[TimeSlot]:
        query = select(TimeSlot).where(TimeSlot.client_id == client_id, TimeSlot.trainer_id == trainer_id)
        if since is not None:
            query = query.where(TimeSlot.starts_at >= since)
        if until is not None:
            query = query.where(TimeSlot.starts_at < until)
        return list(self.session.scalars(query.order_by(TimeSlot.starts_at)))

    def time_slot_overlaps(self, client_id: int, trainer_id: int, start: datetime, end: datetime) -> bool:
        return self.session.scalar(select(TimeSlot.id).where(
            TimeSlot.client_id == client_id, TimeSlot.trainer_id == trainer_id, TimeSlot.starts_at < end,
            TimeSlot.ends_at > start).limit(1)) is not None

    def delete_time_slot(self, client_id: int, trainer_id: int, slot_id: int) -> bool:
        return self._delete(TimeSlot, client_id, trainer_id, slot_id)

    # -- policy ---------------------------------------------------------------------------------

    def policy(self, client_id: int, trainer_id: int) -> BookingPolicy | None:
        return self.session.scalar(select(BookingPolicy).where(
            BookingPolicy.trainer_id == trainer_id, BookingPolicy.client_id == client_id))

    def save_policy(self, client_id: int, trainer_id: int, values: dict[str, int]) -> None:
        """Insert or update in one statement, so two first saves at once cannot collide."""
        insert = postgresql_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(BookingPolicy).values(trainer_id=trainer_id, client_id=client_id, **values)
        self.session.execute(statement.on_conflict_do_update(index_elements=[BookingPolicy.trainer_id], set_=values))
