"""The booking service's tables (one declarative Base). Every row of tenant data carries client_id.

The guards against double booking and overselling are constraints here: on PostgreSQL exclusion
constraints over each trainer's taken time (bookings with their buffer), weekly hours, date overrides
and time slots; on both databases partial unique indexes (one live participation / subscription per
user) and capacity CHECKs. Replicas of other services' facts are in replicas.py.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column
from stvos_shared.db import UtcDateTime, utcnow

from ..domain.model import LIVE_SUBSCRIPTION_STATUSES, PARTICIPATION_STATUSES, SESSION_STATUSES, SUBSCRIPTION_STATUSES
from ..domain.slots import SLOT_ID_BASE
from .base import Base, Currency, Money, inbox, metadata, one_of, outbox
from .replicas import GroupClass, Programme, Service, Trainer, User

__all__ = [
    "AvailabilityOverride",
    "AvailabilityWindow",
    "Base",
    "BookingPolicy",
    "ClassParticipation",
    "GroupClass",
    "IdempotencyKey",
    "Programme",
    "ProgrammeSubscription",
    "Service",
    "SessionBooking",
    "TimeSlot",
    "Trainer",
    "User",
    "inbox",
    "metadata",
    "outbox",
    "utcnow",
]

# Names repository.py maps to stable error codes.
NO_OVERLAP = "ex_session_bookings_no_overlap"
ONE_JOINED = "uq_class_participations_joined"
ONE_LIVE_SUBSCRIPTION = "uq_programme_subscriptions_live"
WINDOWS_APART = "ex_availability_windows_no_overlap"
OVERRIDES_APART = "ex_availability_overrides_no_overlap"
TIME_SLOTS_APART = "ex_time_slots_no_overlap"


def _int_range(start: str, end: str):
    return func.int4range(literal_column(start), literal_column(end))


def _time_range(start: str, end: str):
    return func.tstzrange(literal_column(start), literal_column(end), literal_column("'[)'"))


class SessionBooking(Base):
    """A 1-on-1 session: while not cancelled, the trainer's time [starts_at, blocked_until) is taken
    (the session and the buffer after it)."""

    __tablename__ = "session_bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    slot_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    meeting_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    room: Mapped[str | None] = mapped_column(String(200), nullable=True)
    video_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    cancellation_cutoff_hours: Mapped[int] = mapped_column(Integer, default=24)
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_by: Mapped[str | None] = mapped_column(String(10), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("blocked_until >= ends_at", name="blocked_through_end"),
        CheckConstraint(one_of("status", SESSION_STATUSES), name="status_known"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_session_bookings_trainer_time", "client_id", "trainer_id", "starts_at"),
        Index("ix_session_bookings_user_time", "client_id", "user_id", "starts_at"),
        # No two live bookings of one trainer share an instant of their time plus buffer. '[)' ranges.
        ExcludeConstraint(("client_id", "="), ("trainer_id", "="), (_time_range("starts_at", "blocked_until"), "&&"),
                          where="status <> 'cancelled'", using="gist", name=NO_OVERLAP).ddl_if(dialect="postgresql"),
    )


class ClassParticipation(Base):
    """One user's place in a group class; at most one `joined` row per class and user."""

    __tablename__ = "class_participations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    class_id: Mapped[int] = mapped_column(ForeignKey("group_classes.id"))
    user_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="joined")
    payment_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    cancellation_cutoff_hours: Mapped[int] = mapped_column(Integer, default=24)
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_by: Mapped[str | None] = mapped_column(String(10), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(one_of("status", PARTICIPATION_STATUSES), name="status_known"),
        CheckConstraint("payment_amount >= 0", name="payment_not_negative"),
        Index("ix_class_participations_user", "client_id", "user_id"),
        Index(ONE_JOINED, "class_id", "user_id", unique=True,
              postgresql_where=text("status = 'joined'"), sqlite_where=text("status = 'joined'")),
    )


class ProgrammeSubscription(Base):
    """A user's subscription to a programme; at most one active or paused per programme and user."""

    __tablename__ = "programme_subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    programme_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    paused_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    payment_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(one_of("status", SUBSCRIPTION_STATUSES), name="status_known"),
        CheckConstraint("payment_amount >= 0", name="payment_not_negative"),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        Index("ix_programme_subscriptions_user", "client_id", "user_id"),
        # The completion job's scan: active subscriptions by end date.
        Index("ix_programme_subscriptions_due", "end_date", postgresql_where=text("status = 'active'"),
              sqlite_where=text("status = 'active'")),
        Index(ONE_LIVE_SUBSCRIPTION, "programme_id", "user_id", unique=True,
              postgresql_where=text(one_of("status", LIVE_SUBSCRIPTION_STATUSES)),
              sqlite_where=text(one_of("status", LIVE_SUBSCRIPTION_STATUSES))),
    )


class AvailabilityWindow(Base):
    """Weekly hours: [start_minute, end_minute) of a weekday (0 = Monday) in the trainer's time zone."""

    __tablename__ = "availability_windows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    day_of_week: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_known"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute", name="within_day"),
        Index("ix_availability_windows_trainer", "client_id", "trainer_id", "day_of_week"),
        ExcludeConstraint(("client_id", "="), ("trainer_id", "="), ("day_of_week", "="),
                          (_int_range("start_minute", "end_minute"), "&&"), using="gist",
                          name=WINDOWS_APART).ddl_if(dialect="postgresql"),
    )


class AvailabilityOverride(Base):
    """One date's hours instead of the weekly ones: a day off (available false, no times) or other hours."""

    __tablename__ = "availability_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    available: Mapped[bool] = mapped_column(Boolean)
    start_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        CheckConstraint("(available AND start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute)"
                        " OR (NOT available AND start_minute IS NULL AND end_minute IS NULL)", name="hours_or_day_off"),
        Index("ix_availability_overrides_trainer", "client_id", "trainer_id", "date"),
        # A day off covers the whole date, so it shares the date with nothing else.
        ExcludeConstraint(("client_id", "="), ("trainer_id", "="), ("date", "="),
                          (_int_range("coalesce(start_minute, 0)", "coalesce(end_minute, 1440)"), "&&"),
                          using="gist", name=OVERRIDES_APART).ddl_if(dialect="postgresql"),
    )


class TimeSlot(Base):
    """A one-off bookable time the trainer created; ids stay below the generated slots' id space."""

    __tablename__ = "time_slots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        CheckConstraint(f"id < {SLOT_ID_BASE}", name="id_below_generated"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_time_slots_trainer_time", "client_id", "trainer_id", "starts_at"),
        ExcludeConstraint(("client_id", "="), ("trainer_id", "="), (_time_range("starts_at", "ends_at"), "&&"),
                          using="gist", name=TIME_SLOTS_APART).ddl_if(dialect="postgresql"),
    )


class BookingPolicy(Base):
    """A trainer's own booking policy (without a row, the defaults of domain.model.Policy hold)."""

    __tablename__ = "booking_policies"
    trainer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    client_id: Mapped[int] = mapped_column(Integer)
    buffer_minutes: Mapped[int] = mapped_column(Integer)
    min_notice_hours: Mapped[int] = mapped_column(Integer)
    max_advance_days: Mapped[int] = mapped_column(Integer)
    slot_step_minutes: Mapped[int] = mapped_column(Integer)
    cancellation_cutoff_hours: Mapped[int] = mapped_column(Integer)


class IdempotencyKey(Base):
    """The first successful response to a write sent with an Idempotency-Key, kept to replay it."""

    __tablename__ = "idempotency_keys"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
