"""The auth service's tables (declarative ORM), and the shared tables it keeps. Every row of tenant data
carries client_id."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.credentials.login import login_failures_table
from stvos_shared.credentials.refresh import refresh_tables
from stvos_shared.db import UtcDateTime, new_metadata, utcnow
from stvos_shared.events import Inbox, Outbox
from stvos_shared.ratelimit import rate_limit_table
from stvos_shared.signing_keys import signing_keys_table

from ..domain.model import OPEN_REGISTRATION

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
signing_keys = signing_keys_table(metadata)
rate_limits = rate_limit_table(metadata)
login_failures = login_failures_table(metadata)
refresh = refresh_tables(metadata, subjects="users")


class Base(DeclarativeBase):
    metadata = metadata


class Client(Base):
    """A tenant: one studio or partner and its members' app."""

    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    branding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Requests per second the gateways allow the tenant's whole app (`stvos admin set-rate-limit`); NULL: their default.
    rate_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ApiKey(Base):
    """A tenant's app key, stored as the SHA-256 (hex) of a 256-bit random key shown once."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class User(Base):
    """A user or trainer account of one tenant."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("client_id", "email"),
        Index("ix_users_email", "email"),
        # One account per trainer record, decided by the database when two registrations race.
        Index("uq_users_client_id_trainer_id", "client_id", "trainer_id", unique=True,
              sqlite_where=text("trainer_id IS NOT NULL"), postgresql_where=text("trainer_id IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    trainer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    coach_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class TrainerRecord(Base):
    """What the partner service told us of a trainer record (partner.trainer.*), and its invitation."""

    __tablename__ = "trainer_records"
    __table_args__ = (
        Index("ix_trainer_records_email", "email"),
        Index("ix_trainer_records_client_id_email", "client_id", "email"),
    )
    trainer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    client_id: Mapped[int] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    specialisations: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source_updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # SHA-256 of the one-time invitation code a partner admin was shown (partner.trainer.invitation_issued).
    invitation_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    invitation_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    invitation_issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RegistrationPolicy(Base):
    """How trainers of a tenant may claim their accounts (partner.registration_policy.updated)."""

    __tablename__ = "registration_policies"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    trainer_registration: Mapped[str] = mapped_column(String(16), default=OPEN_REGISTRATION)
    source_updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServiceSetting(Base):
    """Service-wide values (the master trainer key's digest)."""

    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
