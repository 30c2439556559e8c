"""Writes of the read models: one atomic upsert per event, whatever order events arrive in.

A booking, participation or subscription row takes the incoming state only when its event is newer
(occurredAt, then the state's rank); `first_seen_at` and a client's `since` keep the earliest instant
seen. Each is one INSERT ... ON CONFLICT DO UPDATE, so concurrent deliveries cannot interleave.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_
from sqlalchemy.orm import Session

from ..orm import Participation, Subscription, Trainer, TrainerClient, User
from ..orm import Session as SessionBooking
from ._sql import upsert

_STATE_KEYS = {
    SessionBooking: ("client_id", "booking_id"),
    Participation: ("client_id", "participation_id"),
    Subscription: ("client_id", "subscription_id"),
}


def _earliest(excluded: Any, table: Any, column: str) -> Any:
    return case((excluded[column] < table.c[column], excluded[column]), else_=table.c[column])


class ReadModel:
    """The replicas portal keeps of users, trainers, sessions, participations and subscriptions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def keep_newest(self, model: type, values: dict[str, Any]) -> None:
        """Insert the row, or take `values` where they are newer than the row's state."""
        keys = _STATE_KEYS[model]
        statement = upsert(self.session, model).values(**values)
        excluded, table = statement.excluded, model.__table__
        newer = or_(excluded.state_at > table.c.state_at,
                    and_(excluded.state_at == table.c.state_at, excluded.state_rank >= table.c.state_rank))
        changes = {name: case((newer, excluded[name]), else_=table.c[name])
                   for name in values if name not in keys and name != "first_seen_at"}
        changes["first_seen_at"] = _earliest(excluded, table, "first_seen_at")
        self.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changes))

    def session_booking(self, values: dict[str, Any]) -> None:
        self.keep_newest(SessionBooking, values)

    def participation(self, values: dict[str, Any]) -> None:
        self.keep_newest(Participation, values)

    def subscription(self, values: dict[str, Any]) -> None:
        self.keep_newest(Subscription, values)

    def user(self, client_id: int, user_id: int, name: str | None, email: str, at: datetime) -> None:
        statement = upsert(self.session, User).values(client_id=client_id, user_id=user_id, name=name, email=email,
                                                      registered_at=at)
        excluded = statement.excluded
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["client_id", "user_id"],
            set_={"name": excluded.name, "email": excluded.email, "registered_at": excluded.registered_at}))

    def trainer_profile(self, client_id: int, trainer_id: int, name: str, timezone: str, at: datetime) -> None:
        """The trainer's name and zone from catalog, unless a newer catalog event was applied already."""
        statement = upsert(self.session, Trainer).values(client_id=client_id, trainer_id=trainer_id, name=name,
                                                         timezone=timezone, profile_at=at)
        excluded, table = statement.excluded, Trainer.__table__
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["client_id", "trainer_id"],
            set_={"name": excluded.name, "timezone": excluded.timezone, "profile_at": excluded.profile_at},
            where=or_(table.c.profile_at.is_(None), excluded.profile_at >= table.c.profile_at)))

    def trainer_zone_hint(self, client_id: int, trainer_id: int, timezone: str) -> None:
        """A session's zone stands in for the trainer's until catalog tells it (never overrides catalog)."""
        statement = upsert(self.session, Trainer).values(client_id=client_id, trainer_id=trainer_id, name=None,
                                                         timezone=timezone, profile_at=None)
        self.session.execute(statement.on_conflict_do_nothing(index_elements=["client_id", "trainer_id"]))

    def client(self, client_id: int, trainer_id: int, user_id: int, at: datetime) -> None:
        """The user is the trainer's client since the earliest event that said so."""
        statement = upsert(self.session, TrainerClient).values(client_id=client_id, trainer_id=trainer_id,
                                                               user_id=user_id, since=at, notes=None, tags=[])
        excluded, table = statement.excluded, TrainerClient.__table__
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["client_id", "trainer_id", "user_id"], set_={"since": _earliest(excluded, table, "since")}))
