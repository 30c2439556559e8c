"""The portal service's tables: read models built from other services' events, the trainer's notes and tags
about clients, and the video rooms launched. Every row carries client_id (the tenant).

Rows built from events keep the state of the newest event applied (`state_at`, `state_rank`) and the
earliest instant seen (`first_seen_at`), so that events may arrive in any order (repository.py).
Money is kept in minor units (`*_minor`), so sums are exact on SQLite as on PostgreSQL.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.db import UtcDateTime, new_metadata
from stvos_shared.events import Inbox, Outbox

metadata = new_metadata()
outbox = Outbox(metadata, traced=True)  # events keep the trace they were written in
inbox = Inbox(metadata)

Currency = String(3)


class Base(DeclarativeBase):
    metadata = metadata


class User(Base):
    """A user of the tenant as auth.user.registered told it: who a client is."""

    __tablename__ = "users"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Trainer(Base):
    """A trainer's name and timezone (catalog.trainer.*); the zone of a session stands in until then."""

    __tablename__ = "trainers"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    profile_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the newest catalog event applied


class Session(Base):
    """A 1-on-1 session booking (booking.session.*)."""

    __tablename__ = "sessions"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    booking_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    service_name: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Currency)
    late_cancellation: Mapped[bool] = mapped_column(Boolean)
    state_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state_rank: Mapped[int] = mapped_column(SmallInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_sessions_trainer_starts", "client_id", "trainer_id", "starts_at"),
        Index("ix_sessions_trainer_user", "client_id", "trainer_id", "user_id"),
    )


class Participation(Base):
    """A user's place in a group class (booking.class_participation.*)."""

    __tablename__ = "participations"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    class_name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))
    payment_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Currency)
    state_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state_rank: Mapped[int] = mapped_column(SmallInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_participations_trainer_starts", "client_id", "trainer_id", "starts_at"),
        Index("ix_participations_trainer_user", "client_id", "trainer_id", "user_id"),
    )


class Subscription(Base):
    """A user's programme subscription (booking.programme_subscription.*); `first_seen_at` is when it began."""

    __tablename__ = "subscriptions"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(Integer)
    trainer_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    programme_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    payment_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Currency)
    state_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state_rank: Mapped[int] = mapped_column(SmallInteger)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_subscriptions_trainer_first_seen", "client_id", "trainer_id", "first_seen_at"),
        Index("ix_subscriptions_trainer_user", "client_id", "trainer_id", "user_id"),
    )


class TrainerClient(Base):
    """A user who booked, joined or subscribed with the trainer, or registered with them as coach."""

    __tablename__ = "trainer_clients"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime)  # the earliest event that made them a client
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)

    __table_args__ = (Index("ix_trainer_clients_since", "client_id", "trainer_id", "since"),)


class Room(Base):
    """A launched video room (no token is ever stored): launching again answers the same room."""

    __tablename__ = "rooms"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "booking" or "class"
    target_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(80), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    meeting_link: Mapped[str | None] = mapped_column(String(600))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
