"""The booking service's tables. Every row of tenant data carries client_id.

The guards against double booking and overselling live here, as constraints of the database:
on PostgreSQL an exclusion constraint over each trainer's booked time ranges; on both databases
partial unique indexes (one live participation / subscription per user) and a capacity CHECK.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CHAR,
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.db import UtcDateTime, new_metadata, utcnow
from stvos_shared.events import Inbox, Outbox

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)

SESSION_STATUSES = ("confirmed", "completed", "cancelled", "no_show")
PARTICIPATION_STATUSES = ("joined", "cancelled")
SUBSCRIPTION_STATUSES = ("active", "paused", "cancelled", "completed")
LIVE_SUBSCRIPTION_STATUSES = ("active", "paused")

# Names the guards map to stable error codes (service/conflicts.py).
NO_OVERLAP = "ex_session_bookings_no_overlap"
ONE_JOINED = "uq_class_participations_joined"
ONE_LIVE_SUBSCRIPTION = "uq_programme_subscriptions_live"
WITHIN_CAPACITY = "participants_within_capacity"




def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


Money = Numeric(10, 2)
Currency = CHAR(3)


class Base(DeclarativeBase):
    metadata = metadata


class SessionBooking(Base):
    """A 1-on-1 session: the trainer's time range [starts_at, ends_at) while it is not cancelled."""

    __tablename__ = "session_bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    slot_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    meeting_link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(_one_of("status", SESSION_STATUSES), name="status_known"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_session_bookings_trainer_time", "client_id", "trainer_id", "starts_at"),
        Index("ix_session_bookings_user_time", "client_id", "user_id", "starts_at"),
        # No two live bookings of one trainer overlap. '[)' ranges: 10:00-11:00 and 11:00-12:00 both fit.
        ExcludeConstraint(
            ("client_id", "="),
            ("trainer_id", "="),
            (func.tstzrange(literal_column("starts_at"), literal_column("ends_at"), literal_column("'[)'")), "&&"),
            where="status <> 'cancelled'", using="gist", name=NO_OVERLAP,
        ).ddl_if(dialect="postgresql"),
    )


class GroupClass(Base):
    """The booking service's replica of a catalog group class; `participants` counts joined users."""

    __tablename__ = "group_classes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    client_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("participants >= 0 AND participants <= capacity", name=WITHIN_CAPACITY),
        Index("ix_group_classes_trainer_time", "client_id", "trainer_id", "starts_at"),
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
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(_one_of("status", PARTICIPATION_STATUSES), name="status_known"),
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
    payment_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(_one_of("status", SUBSCRIPTION_STATUSES), name="status_known"),
        CheckConstraint("payment_amount >= 0", name="payment_not_negative"),
        Index("ix_programme_subscriptions_user", "client_id", "user_id"),
        Index(ONE_LIVE_SUBSCRIPTION, "programme_id", "user_id", unique=True,
              postgresql_where=text(_one_of("status", LIVE_SUBSCRIPTION_STATUSES)),
              sqlite_where=text(_one_of("status", LIVE_SUBSCRIPTION_STATUSES))),
    )


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
