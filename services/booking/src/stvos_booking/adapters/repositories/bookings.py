"""Session bookings: the trainer's taken time, the guarded insert, and the lists users and trainers read."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, literal, literal_column, select, union_all, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.db import single_read
from stvos_shared.errors import invalid_fields
from stvos_shared.pagination import counted_page, joined_to_count, pagination

from ...domain.commands import SessionFilter
from ...domain.errors import SlotTaken
from ...domain.timerange import InvalidTimeRange, TimeRange
from ..orm import GroupClass, SessionBooking, Trainer, User
from ..sql import minutes_after_epoch, overlaps


def _taken_queries(since: str = "since", until: str = "until", class_since: str = "class_since",
                   ) -> tuple[Select, Select]:
    """Live bookings' [start, blocked_until) and active classes' [start, end + buffer) touching [since, until);
    built once (the hot path only binds values), with the bounds' parameters named as given."""
    instant = SessionBooking.starts_at.type
    bookings = select(SessionBooking.starts_at.label("start"), SessionBooking.blocked_until.label("end")).where(
        SessionBooking.client_id == bindparam("client_id"), SessionBooking.trainer_id == bindparam("trainer_id"),
        SessionBooking.status != literal_column("'cancelled'"),  # as the partial index has it, not a parameter
        overlaps(SessionBooking.starts_at, SessionBooking.blocked_until, bindparam(since, type_=instant),
                 bindparam(until, type_=instant)),
        SessionBooking.id != bindparam("ignore_id"))
    classes = select(GroupClass.starts_at.label("start"), GroupClass.ends_at.label("end")).where(
        GroupClass.client_id == bindparam("client_id"), GroupClass.trainer_id == bindparam("trainer_id"),
        GroupClass.active.is_(True), GroupClass.starts_at < bindparam(until),
        GroupClass.ends_at > bindparam(class_since))
    return bookings, classes


def taken_minutes(since: str, until: str, class_since: str) -> tuple[Select, Select]:
    """The taken time of `_taken_queries` in whole minutes after the slots' EPOCH (start rounded down, end up):
    the database counts the minutes, so no datetime is made per row."""
    bookings, classes = _taken_queries(since, until, class_since)
    return (bookings.with_only_columns(minutes_after_epoch(SessionBooking.starts_at),
                                       minutes_after_epoch(SessionBooking.blocked_until, up=True)),
            classes.with_only_columns(minutes_after_epoch(GroupClass.starts_at),
                                      minutes_after_epoch(GroupClass.ends_at, up=True)))


_BOOKINGS, _CLASSES = _taken_queries()
_TAKEN = union_all(_BOOKINGS.with_only_columns(literal(1)), _CLASSES.with_only_columns(literal(1))).limit(1)
# What views.booking reads of a session booking.
_SHOWN = tuple(SessionBooking.__table__.c[name] for name in (
    "id", "trainer_id", "user_id", "status", "starts_at", "ends_at", "timezone", "service_id", "service_name", "price",
    "currency", "notes", "meeting_link", "late_cancellation", "cancelled_by"))


@lru_cache(maxsize=64)
def _users_page(status: bool, trainer: bool, start: bool, end: bool, after: bool) -> Select:
    """A page of a user's bookings (with trainer names) and how many match, in one statement, for the filters
    given (built once per combination). The page takes its ids from the (client, user, start) index, then reads
    only those rows and their trainers; it is joined to the count so that a page past the end still answers the
    count (one row, its booking columns NULL)."""
    matching = select(SessionBooking.id).where(SessionBooking.client_id == bindparam("client_id"),
                                               SessionBooking.user_id == bindparam("user_id"))
    for given, condition in ((status, SessionBooking.status == bindparam("status")),
                             (trainer, SessionBooking.trainer_id == bindparam("trainer_id")),
                             (start, SessionBooking.local_date >= bindparam("start_date")),
                             (end, SessionBooking.local_date <= bindparam("end_date")),
                             (after, SessionBooking.starts_at > bindparam("after"))):
        if given:
            matching = matching.where(condition)
    count = select(func.count().label("total")).select_from(matching.subquery()).subquery("matching")
    ids = matching.order_by(SessionBooking.starts_at, SessionBooking.id).limit(bindparam("limit")).offset(
        bindparam("offset"))
    page = (select(*_SHOWN, Trainer.name.label("trainer_name"))
            .outerjoin(Trainer, and_(Trainer.id == SessionBooking.trainer_id,
                                     Trainer.client_id == SessionBooking.client_id))
            .where(SessionBooking.id.in_(ids.scalar_subquery())).subquery("page"))
    return joined_to_count(count, page, page.c.starts_at, page.c.id)


def _taken(client_id: int, trainer_id: int, since: datetime, until: datetime, buffer: timedelta,
           ignore_id: int | None = None) -> dict[str, Any]:
    return {"client_id": client_id, "trainer_id": trainer_id, "since": since, "until": until,
            "class_since": since - buffer, "ignore_id": ignore_id or 0}


class SessionBookings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def time_taken(self, client_id: int, trainer_id: int, start: datetime, end: datetime, buffer: timedelta,
                   ignore_id: int | None = None) -> bool:
        """Whether any taken time shares an instant with [start, end) (one query)."""
        taken = _taken(client_id, trainer_id, start, end, buffer, ignore_id)
        return self.session.execute(_TAKEN, taken).first() is not None

    def take(self, **values: Any) -> SessionBooking:
        """Insert a booking whose time and buffer [starts_at, blocked_until) is free, else 409 SLOT_TAKEN.

        On SQLite (BEGIN IMMEDIATE) the check is exact; on PostgreSQL it spares the common case a failed
        INSERT, and the exclusion constraint decides a race at the flush.
        """
        try:
            span = TimeRange(values["starts_at"], values["ends_at"])
        except InvalidTimeRange as error:
            raise invalid_fields(endsAt=str(error)) from error
        values = {**values, "starts_at": span.starts_at, "ends_at": span.ends_at}
        buffer = values["blocked_until"] - values["ends_at"]
        if self.time_taken(values["client_id"], values["trainer_id"], values["starts_at"], values["blocked_until"],
                           buffer):
            raise SlotTaken()
        booking = SessionBooking(**values)
        self.session.add(booking)
        self.session.flush()
        return booking

    def retake(self, booking: SessionBooking) -> None:
        """A cancelled booking comes back: its time must be free again (409 SLOT_TAKEN otherwise)."""
        if self.time_taken(booking.client_id, booking.trainer_id, booking.starts_at, booking.blocked_until,
                           booking.blocked_until - booking.ends_at, ignore_id=booking.id):
            raise SlotTaken()

    def get(self, client_id: int, booking_id: int, *, user_id: int | None = None, trainer_id: int | None = None,
            lock: bool = False) -> SessionBooking | None:
        query = select(SessionBooking).where(SessionBooking.id == booking_id, SessionBooking.client_id == client_id)
        if user_id is not None:
            query = query.where(SessionBooking.user_id == user_id)
        if trainer_id is not None:
            query = query.where(SessionBooking.trainer_id == trainer_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def flush(self) -> None:
        self.session.flush()

    def with_trainer_name(self, client_id: int, booking_id: int, user_id: int, lock: bool = False) -> Row | None:
        """One of the user's bookings and its trainer's name (locking the booking row when asked)."""
        query = self._with_trainer().where(SessionBooking.client_id == client_id, SessionBooking.id == booking_id,
                                           SessionBooking.user_id == user_id)
        return self.session.execute(query.with_for_update(of=SessionBooking) if lock else query).first()

    @staticmethod
    def _with_trainer() -> Select:
        return select(SessionBooking, Trainer.name.label("trainer_name")).outerjoin(
            Trainer, and_(Trainer.id == SessionBooking.trainer_id, Trainer.client_id == SessionBooking.client_id))

    def of_user(self, client_id: int, user_id: int, filters: SessionFilter,
                starting_after: datetime | None = None) -> tuple[list[Row], dict[str, int]]:
        """A page of the user's bookings (rows of the booking's shown columns and trainer_name), soonest first:
        one statement, a read's first, so in autocommit on PostgreSQL (`single_read`)."""
        query = _users_page(bool(filters.status), bool(filters.trainer_id), bool(filters.start_date),
                            bool(filters.end_date), starting_after is not None)
        params = {"client_id": client_id, "user_id": user_id, "status": filters.status,
                  "trainer_id": filters.trainer_id, "start_date": filters.start_date, "end_date": filters.end_date,
                  "after": starting_after, "limit": filters.limit, "offset": (filters.page - 1) * filters.limit}
        rows = single_read(self.session, query, params)
        return counted_page(rows, filters.page, filters.limit)

    def of_trainer(self, client_id: int, trainer_id: int, filters: SessionFilter) -> tuple[list[Row], dict[str, int]]:
        """A page of the trainer's bookings with each client's name, soonest first."""
        query = select(SessionBooking, User.name.label("user_name"), User.email.label("user_email")).outerjoin(
            User, and_(User.id == SessionBooking.user_id, User.client_id == SessionBooking.client_id))
        query = _filtered(query, client_id, filters).where(SessionBooking.trainer_id == trainer_id)
        return self._page(query.order_by(SessionBooking.starts_at, SessionBooking.id), filters)

    def _page(self, query: Select, filters: SessionFilter) -> tuple[list[Row], dict[str, int]]:
        return page_of(self.session, query, filters.page, filters.limit)

    def of_user_with_trainer(self, client_id: int, user_id: int, trainer_id: int) -> list[Row]:
        query = self._with_trainer().where(SessionBooking.client_id == client_id, SessionBooking.user_id == user_id,
                                           SessionBooking.trainer_id == trainer_id)
        return list(self.session.execute(query.order_by(SessionBooking.starts_at, SessionBooking.id)))

    def summary(self, client_id: int, user_id: int, after: datetime, classes: Any, programmes: Any) -> Row:
        return upcoming_summary(self.session, client_id, user_id, after, classes, programmes)

    def next_session(self, client_id: int, user_id: int, after: datetime) -> Row | None:
        """The user's soonest upcoming confirmed session and its trainer's name."""
        query = self._with_trainer().where(SessionBooking.client_id == client_id, SessionBooking.user_id == user_id,
                                           SessionBooking.status == "confirmed", SessionBooking.starts_at > after)
        return self.session.execute(query.order_by(SessionBooking.starts_at).limit(1)).first()

    def set_meeting(self, client_id: int, booking_id: int, trainer_id: int, room: str, url: str) -> bool:
        result = self.session.execute(update(SessionBooking).where(
            SessionBooking.id == booking_id, SessionBooking.client_id == client_id,
            SessionBooking.trainer_id == trainer_id).values(room=room, video_url=url)
            .execution_options(synchronize_session=False))
        return result.rowcount > 0


def _filtered(query: Select, client_id: int, filters: SessionFilter) -> Select:
    query = query.where(SessionBooking.client_id == client_id)
    if filters.status:
        query = query.where(SessionBooking.status == filters.status)
    if filters.trainer_id:
        query = query.where(SessionBooking.trainer_id == filters.trainer_id)
    if filters.start_date:
        query = query.where(SessionBooking.local_date >= filters.start_date)
    if filters.end_date:
        query = query.where(SessionBooking.local_date <= filters.end_date)
    return query



def page_of(session: Session, query: Select, page: int, limit: int) -> tuple[list[Row], dict[str, int]]:
    """One page of a row query (several columns each) and its pagination block: two queries."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(query.limit(limit).offset((page - 1) * limit)).all()
    return list(rows), pagination(page, limit, total)


def upcoming_summary(session: Session, client_id: int, user_id: int, after: datetime, classes_count: Any,
                     programmes_count: Any) -> Row:
    """(upcoming sessions, upcoming classes, active programmes) in one query of scalar subqueries."""
    sessions_count = (select(func.count()).select_from(SessionBooking)
                      .where(SessionBooking.client_id == client_id, SessionBooking.user_id == user_id,
                             SessionBooking.status == "confirmed", SessionBooking.starts_at > after).scalar_subquery())
    return session.execute(select(sessions_count.label("sessions"), classes_count.label("classes"),
                                  programmes_count.label("programmes"))).one()
