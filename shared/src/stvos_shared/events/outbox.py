"""The outbox (events written in the same transaction as the change) and the inbox (events handled)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..domain import DomainEvent
from ..tracing import current_traceparent
from .envelope import Event

_ID = BigInteger().with_variant(Integer, "sqlite")


class Outbox:
    """A service's outbox table; `add` is called inside the unit of work that makes the change.

    Each event keeps the trace it was written in (`traceparent`), so the relay and every consumer continue it.
    """

    def __init__(self, metadata: MetaData) -> None:
        self.table = Table(
            "outbox", metadata,
            Column("seq", _ID, primary_key=True, autoincrement=True),
            Column("event_id", String(32), nullable=False, unique=True),
            Column("type", String(120), nullable=False),
            Column("client_id", Integer, nullable=True),
            Column("version", Integer, nullable=False, default=1),
            Column("payload", Text, nullable=False),
            Column("occurred_at", DateTime(timezone=True), nullable=False),
            Column("sent_at", DateTime(timezone=True), nullable=True, index=True),
            Column("traceparent", String(55), nullable=True),
        )

    def add(self, session: Session, event: DomainEvent, client_id: int | None) -> Event:
        """Write `event` (its TYPE, VERSION and payload) to be published once the transaction commits."""
        envelope = Event(type=event.TYPE, data=event.payload(), client_id=client_id, version=event.VERSION,
                         traceparent=current_traceparent())
        session.execute(insert(self.table).values(
            event_id=envelope.id, type=envelope.type, client_id=client_id, version=envelope.version,
            payload=json.dumps(envelope.data), occurred_at=envelope.occurred_at, traceparent=envelope.traceparent,
        ))
        return envelope

    def has_pending(self, session: Session) -> bool:
        query = select(self.table.c.seq).where(self.table.c.sent_at.is_(None)).limit(1)
        return session.execute(query).first() is not None

    def pending(self, session: Session, limit: int, lock: bool) -> list[tuple[int, Event]]:
        query = select(self.table).where(self.table.c.sent_at.is_(None)).order_by(self.table.c.seq).limit(limit)
        if lock:
            query = query.with_for_update(skip_locked=True)
        return [(row.seq, Event(type=row.type, data=json.loads(row.payload), client_id=row.client_id,
                                version=row.version, id=row.event_id, occurred_at=_utc(row.occurred_at),
                                traceparent=row.traceparent))
                for row in session.execute(query)]

    def backlog(self, session: Session) -> tuple[int, datetime | None]:
        """How many events wait to be published, and when the oldest of them was written."""
        query = select(func.count(), func.min(self.table.c.occurred_at)).where(self.table.c.sent_at.is_(None))
        count, oldest = session.execute(query).one()
        return count, _utc(oldest) if oldest is not None else None

    def mark_sent(self, session: Session, seqs: list[int]) -> None:
        session.execute(update(self.table).where(self.table.c.seq.in_(seqs)).values(sent_at=datetime.now(UTC)))


class Inbox:
    """Event ids a consumer has handled, recorded in the same transaction as the effect."""

    def __init__(self, metadata: MetaData) -> None:
        self.table = Table(
            "inbox", metadata,
            Column("consumer", String(60), primary_key=True),
            Column("event_id", String(32), primary_key=True),
            Column("handled_at", DateTime(timezone=True), nullable=False),
        )

    def seen(self, session: Session, consumer: str, event_id: str) -> bool:
        query = select(self.table.c.event_id).where(
            self.table.c.consumer == consumer, self.table.c.event_id == event_id)
        return session.execute(query).first() is not None

    def record(self, session: Session, consumer: str, event_id: str) -> None:
        """Raises IntegrityError (at flush) if a concurrent delivery recorded it first."""
        session.execute(insert(self.table).values(consumer=consumer, event_id=event_id,
                                                  handled_at=datetime.now(UTC)))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

