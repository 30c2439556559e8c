"""Session bookings: the trainer's taken time, the guarded insert, and the lists users and trainers read."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, literal, select, union_all, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.errors import invalid_fields
from stvos_shared.pagination import pagination

from ...domain.commands import SessionFilter
from ...domain.errors import SlotTaken
from ...domain.timerange import InvalidTimeRange, TimeRange
from ..orm import GroupClass, SessionBooking, Trainer, User
from ..sql import minutes_after_epoch


def _taken_queries() -> tuple[Select, Select]:
    """Live bookings' [start, blocked_until) and active classes' [start, end + buffer) touching [since, until);
    built once (the hot path only binds values)."""
    bookings = select(SessionBooking.starts_at.label("start"), SessionBooking.blocked_until.label("end")).where(
        SessionBooking.client_id == bindparam("client_id"), SessionBooking.trainer_id == bindparam("trainer_id"),
        SessionBooking.status != "cancelled", SessionBooking.starts_at < bindparam("until"),
        SessionBooking.blocked_until > bindparam("since"), SessionBooking.id != bindparam("ignore_id"))
    classes = select(GroupClass.starts_at.label("start"), GroupClass.ends_at.label("end")).where(
        GroupClass.client_id == bindparam("client_id"), GroupClass.trainer_id == bindparam("trainer_id"),
        GroupClass.active.is_(True), GroupClass.starts_at < bindparam("until"),
        GroupClass.ends_at > bindparam("class_since"))
    return bookings, classes


_BOOKINGS, _CLASSES = _taken_queries()
_BUSY = union_all(
    _BOOKINGS.with_only_columns(minutes_after_epoch(SessionBooking.starts_at),
                                minutes_after_epoch(SessionBooking.blocked_until, up=True), literal(False)),
    _CLASSES.with_only_columns(minutes_after_epoch(GroupClass.starts_at),
                               minutes_after_epoch(GroupClass.ends_at, up=True), literal(True)))
_TAKEN = union_all(_BOOKINGS.with_only_columns(literal(1)), _CLASSES.with_only_columns(literal(1))).limit(1)


def _taken(client_id: int, trainer_id: int, since: datetime, until: datetime, buffer: timedelta,
           ignore_id: int | None = None) -> dict[str, Any]:
    return {"client_id": client_id, "trainer_id": trainer_id, "since": since, "until": until,
            "class_since": since - buffer, "ignore_id": ignore_id or 0}


class SessionBookings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def busy(self, client_id: int, trainer_id: int, since: datetime, until: datetime,
             buffer: timedelta) -> list[tuple[int, int]]:
        """The trainer's taken time touching [since, until) in minutes after the slots' EPOCH, one query (the
        database counts the minutes: no datetime is made per row; classes carry today's buffer)."""
        rows = self.session.connection().execute(_BUSY, _taken(client_id, trainer_id, since, until, buffer))
        extra = int(buffer.total_seconds() // 60)
        return [(start, end + extra if is_class else end) for start, end, is_class in rows]

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
        """A page of the user's bookings (with trainer names), soonest first."""
        query = _filtered(self._with_trainer(), client_id, filters).where(SessionBooking.user_id == user_id)
        if starting_after is not None:
            query = query.where(SessionBooking.starts_at > starting_after)
        query = query.order_by(SessionBooking.starts_at, SessionBooking.id)
        return self._page(query, filters)

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
