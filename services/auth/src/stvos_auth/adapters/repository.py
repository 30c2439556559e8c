"""Queries on the auth tables; every tenant query filters by client_id."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.db import utcnow

from .orm import clients, trainer_records, users


def get_client(session: Session, client_id: int) -> Row | None:
    return session.execute(select(clients).where(clients.c.id == client_id)).first()


def clients_by_ids(session: Session, client_ids: list[int]) -> list[Row]:
    return list(session.execute(select(clients.c.id, clients.c.name).where(clients.c.id.in_(client_ids))
                                .order_by(clients.c.id)))


def user_by_email(session: Session, client_id: int, email: str) -> Row | None:
    query = select(users).where(users.c.client_id == client_id, users.c.email == email)
    return session.execute(query).first()


def user_by_id(session: Session, client_id: int, user_id: int) -> Row | None:
    query = select(users).where(users.c.client_id == client_id, users.c.id == user_id)
    return session.execute(query).first()


def user_with_client_name(session: Session, client_id: int, user_id: int) -> Row | None:
    """The user and their client's name in one query (GET /auth/me)."""
    query = (select(users, clients.c.name.label("client_name")).join(clients, clients.c.id == users.c.client_id)
             .where(users.c.client_id == client_id, users.c.id == user_id))
    return session.execute(query).first()


def trainer_accounts_by_email(session: Session, email: str) -> list[Row]:
    """Trainer accounts with this email in every tenant (master trainer key only)."""
    query = select(users).where(users.c.email == email, users.c.role == "trainer").order_by(users.c.client_id)
    return list(session.execute(query))


def email_taken(session: Session, client_id: int, email: str) -> bool:
    query = select(users.c.id).where(users.c.client_id == client_id, users.c.email == email)
    return session.execute(query).first() is not None


def insert_user(session: Session, client_id: int, values: dict[str, Any]) -> int:
    result = session.execute(insert(users).values(client_id=client_id, failed_logins=0, created_at=utcnow(),
                                                  **values))
    return int(result.inserted_primary_key[0])


def record_failed_login(session: Session, user_id: int, threshold: int, lock_until: datetime) -> bool:
    """Count a failure atomically; the threshold-th consecutive failure locks the account. True if locked now."""
    failures = session.execute(
        update(users).where(users.c.id == user_id).values(failed_logins=users.c.failed_logins + 1)
        .returning(users.c.failed_logins)).scalar_one()
    if failures < threshold:
        return False
    session.execute(update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=lock_until))
    return True


def record_successful_login(session: Session, user_id: int, new_hash: str | None) -> None:
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    if new_hash:
        values["password_hash"] = new_hash
    session.execute(update(users).where(users.c.id == user_id).values(**values))


def trainer_record(session: Session, client_id: int, trainer_id: int) -> Row | None:
    query = select(trainer_records).where(trainer_records.c.client_id == client_id,
                                          trainer_records.c.trainer_id == trainer_id)
    return session.execute(query).first()


def trainer_records_by_email(session: Session, email: str, client_id: int | None) -> list[Row]:
    """Trainer records with this email, in one tenant or (master key) in all of them."""
    query = select(trainer_records).where(trainer_records.c.email == email)
    if client_id is not None:
        query = query.where(trainer_records.c.client_id == client_id)
    return list(session.execute(query.order_by(trainer_records.c.client_id, trainer_records.c.trainer_id)))


def trainer_account(session: Session, client_id: int, trainer_id: int) -> Row | None:
    """The account linked to a trainer record, whatever its email."""
    query = select(users).where(users.c.client_id == client_id, users.c.trainer_id == trainer_id)
    return session.execute(query).first()
