"""Repositories of the auth service: the only place that builds queries. Every tenant query filters by client_id."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.credentials.refresh import Grant, RefreshFamilies, Subject
from stvos_shared.db import single_read, utcnow
from stvos_shared.domain import DomainEvent

from ..domain.errors import EmailTaken
from ..domain.model import OPEN_REGISTRATION, token_claims
from . import orm
from .orm import ApiKey, Client, RegistrationPolicy, ServiceSetting, TrainerRecord, User

# Built once (GET /auth/me is the hottest read of auth): building a statement costs more than running it.
ME = (select(User.id, User.email, User.name, User.role, User.profile, User.settings, User.coach_id, User.session_id,
             User.client_id, Client.name.label("client_name"))
      .join(Client, Client.id == User.client_id)
      .where(User.client_id == bindparam("client_id"), User.id == bindparam("user_id")))


class Clients:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, client_id: int) -> Client | None:
        return self._s.get(Client, client_id)

    def exists(self, client_id: int) -> bool:
        return self._s.scalar(select(Client.id).where(Client.id == client_id)) is not None

    def names(self, client_ids: list[int]) -> list[Row]:
        return list(self._s.execute(select(Client.id, Client.name).where(Client.id.in_(client_ids))
                                    .order_by(Client.id)))

    def set_rate_limit(self, client_id: int, rate: int | None) -> bool:
        """Give the client its own rate (None: the gateways' default); False when there is no such client."""
        return self._s.execute(update(Client).where(Client.id == client_id).values(rate_limit=rate)).rowcount > 0

    def add(self, name: str, branding: dict[str, Any]) -> int:
        client = Client(name=name, branding=branding)
        self._s.add(client)
        self._s.flush()
        return client.id


class ApiKeys:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, client_id: int, key_hash: str) -> None:
        self._s.add(ApiKey(client_id=client_id, key_hash=key_hash))

    def client_for(self, key_hash: str) -> Row | None:
        """The client (client_id, rate_limit) of a live key: the gateway's key check on a cache miss."""
        return self._s.execute(select(ApiKey.client_id, Client.rate_limit).join(Client, Client.id == ApiKey.client_id)
                               .where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))).first()

    def revoke(self, client_id: int, key_hash: str) -> bool:
        """Revoke the client's key (again is harmless); False when the client has no such key."""
        key = self._s.scalar(select(ApiKey).where(ApiKey.client_id == client_id, ApiKey.key_hash == key_hash))
        if key is None:
            return False
        key.revoked_at = key.revoked_at or utcnow()
        return True


class Users:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_email(self, client_id: int, email: str) -> User | None:
        return self._s.scalar(select(User).where(User.client_id == client_id, User.email == email))

    def by_id(self, client_id: int, user_id: int) -> User | None:
        return self._s.scalar(select(User).where(User.client_id == client_id, User.id == user_id))

    def me(self, client_id: int, user_id: int) -> Row | None:
        """The user and their client's name in one statement (GET /auth/me): no ORM, no transaction around it."""
        rows = single_read(self._s, ME, {"client_id": client_id, "user_id": user_id})
        return rows[0] if rows else None

    def trainer_accounts_by_email(self, email: str) -> list[User]:
        """Trainer accounts with this email in every tenant (master trainer key only)."""
        query = select(User).where(User.email == email, User.role == "trainer").order_by(User.client_id)
        return list(self._s.scalars(query))

    def email_taken(self, client_id: int, email: str) -> bool:
        return self._s.scalar(select(User.id).where(User.client_id == client_id, User.email == email)) is not None

    def trainer_account(self, client_id: int, trainer_id: int) -> User | None:
        """The account linked to a trainer record, whatever its email."""
        return self._s.scalar(select(User).where(User.client_id == client_id, User.trainer_id == trainer_id))

    def add(self, client_id: int, **values: Any) -> User:
        """A new account; a concurrent twin fails here (IntegrityError) on the unique email or trainer index."""
        user = User(client_id=client_id, **values)
        self._s.add(user)
        try:
            self._s.flush()
        except IntegrityError as error:  # a concurrent registration took the email or the trainer record
            raise EmailTaken() from error
        return user

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._s.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))

    def delete(self, user: User) -> None:
        """The account and, by cascade, its sessions."""
        self._s.delete(user)
        self._s.flush()


class TrainerRecords:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, client_id: int, trainer_id: int) -> TrainerRecord | None:
        return self._s.scalar(select(TrainerRecord).where(TrainerRecord.client_id == client_id,
                                                          TrainerRecord.trainer_id == trainer_id))

    def any_tenant(self, trainer_id: int) -> TrainerRecord | None:
        """The record with this id in whichever tenant holds it (the replica checks the tenant itself)."""
        return self._s.get(TrainerRecord, trainer_id)

    def by_email(self, email: str, client_id: int | None) -> list[TrainerRecord]:
        """Records with this email, in one tenant or (master key) in all of them."""
        query = select(TrainerRecord).where(TrainerRecord.email == email)
        if client_id is not None:
            query = query.where(TrainerRecord.client_id == client_id)
        return list(self._s.scalars(query.order_by(TrainerRecord.client_id, TrainerRecord.trainer_id)))

    def add(self, record: TrainerRecord) -> None:
        self._s.add(record)


class RegistrationPolicies:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, client_id: int) -> RegistrationPolicy | None:
        return self._s.get(RegistrationPolicy, client_id)

    def mode(self, client_id: int) -> str:
        policy = self.get(client_id)
        return policy.trainer_registration if policy is not None else OPEN_REGISTRATION

    def add(self, policy: RegistrationPolicy) -> None:
        self._s.add(policy)


class ServiceSettings:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, name: str) -> str | None:
        return self._s.scalar(select(ServiceSetting.value).where(ServiceSetting.name == name))

    def put(self, name: str, value: str) -> None:
        self._s.execute(delete(ServiceSetting).where(ServiceSetting.name == name))
        self._s.add(ServiceSetting(name=name, value=value, updated_at=utcnow()))


class Outbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, event: DomainEvent, client_id: int) -> None:
        orm.outbox.add(self._s, event, client_id)


class Sessions:
    """Refresh-token families, inside this unit of work."""

    def __init__(self, session: Session, families: RefreshFamilies) -> None:
        self._s, self._families = session, families

    def start(self, user: User, record: TrainerRecord | None = None) -> Grant:
        return self._families.start(self._s, Subject(user.id, user.client_id, token_claims(user, record)))

    def end_all(self, user_id: int, reason: str) -> None:
        self._families.end_all(self._s, user_id, reason)


class Repositories:
    """One unit of work's view of the auth database: one attribute per aggregate."""

    def __init__(self, session: Session, families: RefreshFamilies) -> None:
        self.clients, self.api_keys, self.users = Clients(session), ApiKeys(session), Users(session)
        self.trainers, self.policies = TrainerRecords(session), RegistrationPolicies(session)
        self.settings, self.outbox = ServiceSettings(session), Outbox(session)
        self.sessions = Sessions(session, families)


def load_subject(session: Session, user_id: int, client_id: int) -> Subject | None:
    """Whom a rotated refresh token speaks for now (a trainer whose record went inactive: TrainerInactive)."""
    user = Users(session).by_id(client_id, user_id)
    if user is None:
        return None
    record = TrainerRecords(session).get(client_id, user.trainer_id) if user.trainer_id is not None else None
    return Subject(user.id, user.client_id, token_claims(user, record))



