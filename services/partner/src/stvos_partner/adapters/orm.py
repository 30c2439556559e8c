"""The partner service's tables, mapped to plain classes (SQLAlchemy declarative)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.credentials.login import login_failures_table
from stvos_shared.credentials.refresh import refresh_tables
from stvos_shared.db import UtcDateTime, new_metadata, utcnow
from stvos_shared.events import Inbox, Outbox
from stvos_shared.ratelimit import rate_limit_table
from stvos_shared.reservations import ReservationColumns
from stvos_shared.signing_keys import signing_keys_table

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
signing_keys = signing_keys_table(metadata)
rate_limits = rate_limit_table(metadata)
login_failures = login_failures_table(metadata)
refresh = refresh_tables(metadata, subjects="staff")


class Base(DeclarativeBase):
    metadata = metadata


class Client(Base):
    """A tenant as auth announced it (auth.client.created): the name /partner-auth/me shows."""

    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    branding: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class Partner(Base):
    """The partner that runs one tenant; `name` None means "the client's name"."""

    __tablename__ = "partners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # How the tenant's trainers claim their accounts: "open" or "invitation" (domain.model.REGISTRATION_MODES).
    trainer_registration: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Staff(Base):
    """A partner staff account. Login carries no tenant, so an email is unique across tenants."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Trainer(Base):
    """A trainer record created by a partner admin; auth and catalog learn of it through events."""

    __tablename__ = "trainers"
    __table_args__ = (UniqueConstraint("client_id", "email"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    bio: Mapped[str | None] = mapped_column(Text, nullable=True)
    image: Mapped[str | None] = mapped_column(String(500), nullable=True)
    specialisations: Mapped[list] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The latest one-time invitation (its code was shown once; only auth keeps its digest).
    invitation_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Voucher(Base):
    """A code users register with; `redemptions` counts reservations and is raised only conditionally."""

    __tablename__ = "vouchers"
    __table_args__ = (UniqueConstraint("client_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    code: Mapped[str] = mapped_column(String(64))
    max_redemptions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    redemptions: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Redemption(ReservationColumns, Base):
    """One use of a voucher: reserved at registration, confirmed by auth.user.registered, or released."""

    __tablename__ = "redemptions"
    voucher_id: Mapped[int] = mapped_column(ForeignKey("vouchers.id"), index=True)


class TrainerAccount(Base):
    """A trainer who claimed their account (auth.trainer_account.registered): when, and from which address."""

    __tablename__ = "trainer_accounts"
    client_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    email: Mapped[str] = mapped_column(String(254))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    claimed_from: Mapped[str | None] = mapped_column(String(64), nullable=True)
