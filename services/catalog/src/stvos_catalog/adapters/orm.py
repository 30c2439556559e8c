"""The catalog service's tables. Every row of tenant data carries client_id.

Trainer rows take their id from the partner service's trainer record (partner.trainer.*), the id a
trainer's token carries as `tid`. On PostgreSQL, search over names and specialisations is served by a
trigram index (pg_trgm) on the lower-cased `search_text`; SQLite scans the tenant's rows with LIKE.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    DDL,
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.db import UtcDateTime, new_metadata, utcnow
from stvos_shared.events import Inbox, Outbox
from stvos_shared.ratelimit import rate_limit_table
from stvos_shared.reservations import ReservationColumns

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
rate_limits = rate_limit_table(metadata)

# The migration creates the extension; this does the same for create_all (tests, embedded on PostgreSQL).
event.listen(metadata, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))

UNIQUE_CODE = "uq_invite_codes_code"
Money = Numeric(10, 2)
Currency = CHAR(3)


class Base(DeclarativeBase):
    metadata = metadata


class TrainerOwned:
    """The columns of a trainer's offering: its id, tenant and trainer first, when it was made and changed last
    (sort_order keeps the tables' column order what the migrations built)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    client_id: Mapped[int] = mapped_column(Integer, sort_order=-1)
    trainer_id: Mapped[int] = mapped_column(Integer, sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, sort_order=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow, sort_order=1)


class Trainer(Base):
    """A trainer's public profile, and what the merge of its two sources needs (domain/profiles.py)."""

    __tablename__ = "trainers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    client_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str | None] = mapped_column(Text, nullable=True)
    image: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    specialisations: Mapped[list[str]] = mapped_column(JSON)
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean)
    search_text: Mapped[str] = mapped_column(Text)
    stamps: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> ISO time its value was set
    partner_record: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    partner_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # The list walks this in order; carrying search_text lets SQLite match a search without reading rows.
        Index("ix_trainers_listing", "client_id", "active", "name", "id", "search_text"),
        Index("ix_trainers_active", "client_id", "active"),  # narrow: Trainers.changed counts a tenant from it
        Index("ix_trainers_search", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
    )


class TrainerCount(Base):
    """How many active and inactive trainers a tenant has (the unsearched list's total without counting rows), and
    the version of its directory: one more with every change the list shows (service/directory.py's pages).

    Recounted under this row's lock whenever a trainer is added or its active flag changes (Trainers.changed).
    """

    __tablename__ = "trainer_counts"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    active: Mapped[int] = mapped_column(Integer, default=0)
    inactive: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Service(TrainerOwned, Base):
    """A 1-on-1 service a trainer offers."""

    __tablename__ = "services"
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration: Mapped[int] = mapped_column(Integer)  # minutes
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    cancellation_cutoff_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("duration > 0", name="duration_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_services_trainer", "client_id", "trainer_id", "name"),
    )


class RecordedClass(TrainerOwned, Base):
    """A recorded class users watch on demand."""

    __tablename__ = "recorded_classes"
    name: Mapped[str] = mapped_column(String(120))
    duration: Mapped[int] = mapped_column(Integer)
    intensity: Mapped[str] = mapped_column(String(10))
    video_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        CheckConstraint("duration > 0", name="duration_positive"),
        CheckConstraint("intensity IN ('low', 'medium', 'high')", name="intensity_known"),
        Index("ix_recorded_classes_trainer", "client_id", "trainer_id", "name"),
    )


class GroupClass(TrainerOwned, Base):
    """A scheduled group class; `participants` follows booking.class_participation.* (newest seat_version)."""

    __tablename__ = "group_classes"
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64))  # the wall clock scheduledDate/scheduledTime are read on
    duration: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    cancellation_cutoff_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # false once cancelled
    participants: Mapped[int] = mapped_column(Integer, default=0)
    seat_version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("duration > 0", name="duration_positive"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_group_classes_trainer_time", "client_id", "trainer_id", "starts_at"),
    )


class Programme(TrainerOwned, Base):
    """A multi-week programme; `subscribers` follows booking.programme_subscription.* (newest version)."""

    __tablename__ = "programmes"
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    weeks: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(Currency)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    subscribers: Mapped[int] = mapped_column(Integer, default=0)
    subscribers_version: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("weeks > 0", name="weeks_positive"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_programmes_trainer", "client_id", "trainer_id", "name"),
    )


class InviteCode(TrainerOwned, Base):
    """A code that brings a user to a trainer; unique across tenants, since the public check has no tenant.
    `uses` counts reservations (InviteRedemption) and is raised only conditionally."""

    __tablename__ = "invite_codes"
    code: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    max_uses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (
        Index(UNIQUE_CODE, "code", unique=True),
        Index("ix_invite_codes_trainer", "client_id", "trainer_id", "created_at"),
    )


class InviteRedemption(ReservationColumns, Base):
    """One use of an invite code: reserved at registration (counted in `uses` at once), confirmed by
    auth.user.registered, or released (registration failed, or abandoned for longer than the TTL)."""

    __tablename__ = "invite_redemptions"
    invite_code_id: Mapped[int] = mapped_column(ForeignKey("invite_codes.id"), index=True)
