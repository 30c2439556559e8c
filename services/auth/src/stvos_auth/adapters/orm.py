"""The auth service's tables. Every row of tenant data carries client_id."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from stvos_shared.db import UtcDateTime, new_metadata, utcnow
from stvos_shared.events import Inbox, Outbox
from stvos_shared.ratelimit import rate_limit_table
from stvos_shared.signing_keys import signing_keys_table

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
signing_keys = signing_keys_table(metadata)
rate_limits = rate_limit_table(metadata)


def _created() -> Column:
    return Column("created_at", UtcDateTime, nullable=False, default=utcnow)


clients = Table(
    "clients", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    Column("branding", JSON, nullable=False, default=dict),
    _created(),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", Integer, ForeignKey("clients.id"), nullable=False, index=True),
    # SHA-256 (hex) of a 256-bit random key: the raw key is shown once and never stored.
    Column("key_hash", String(64), nullable=False, unique=True),
    _created(),
    Column("revoked_at", UtcDateTime, nullable=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", Integer, ForeignKey("clients.id"), nullable=False),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("name", String(120), nullable=True),
    Column("role", String(16), nullable=False),
    Column("trainer_id", Integer, nullable=True),
    Column("profile", JSON, nullable=False, default=dict),
    Column("settings", JSON, nullable=False, default=dict),
    Column("coach_id", Integer, nullable=True),
    Column("session_id", String(200), nullable=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    _created(),
    UniqueConstraint("client_id", "email"),
    Index("ix_users_email", "email"),
    # One account per trainer record, decided by the database when two registrations race.
    Index("uq_users_client_id_trainer_id", "client_id", "trainer_id", unique=True,
          sqlite_where=text("trainer_id IS NOT NULL"), postgresql_where=text("trainer_id IS NOT NULL")),
)

refresh_families = Table(
    "refresh_families", metadata,
    Column("id", String(32), primary_key=True),
    Column("client_id", Integer, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    _created(),
    # Absolute end of the session: rotation never extends it.
    Column("expires_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_reason", String(32), nullable=True),
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("jti", String(32), primary_key=True),
    Column("family_id", String(32), ForeignKey("refresh_families.id"), nullable=False, index=True),
    Column("client_id", Integer, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("replaced_by", String(32), nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

# What the partner service told us about trainer records (partner.trainer.* events).
trainer_records = Table(
    "trainer_records", metadata,
    Column("trainer_id", Integer, primary_key=True, autoincrement=False),
    Column("client_id", Integer, nullable=False),
    Column("email", String(254), nullable=False),
    Column("name", String(120), nullable=False),
    Column("specialisations", JSON, nullable=False, default=list),
    Column("active", Boolean, nullable=False, default=True),
    Column("source_updated_at", UtcDateTime, nullable=False),
    Index("ix_trainer_records_email", "email"),
    Index("ix_trainer_records_client_id_email", "client_id", "email"),
)

service_settings = Table(
    "settings", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, default=utcnow),
)
