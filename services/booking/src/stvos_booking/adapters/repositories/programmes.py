"""Programme replicas with their subscriber counts, and the users' subscriptions."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ...domain.model import COMPLETABLE_STATUS, LIVE_SUBSCRIPTION_STATUSES
from ..orm import Programme, ProgrammeSubscription, Trainer
from .bookings import page_of

_COUNT = (Programme.subscribers, Programme.subscribers_version)


class Programmes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, client_id: int, programme_id: int, trainer_id: int) -> Programme | None:
        return self.session.scalar(select(Programme).where(
            Programme.id == programme_id, Programme.client_id == client_id, Programme.trainer_id == trainer_id))

    def live_subscription(self, client_id: int, programme_id: int, user_id: int) -> int | None:
        return self.session.scalar(select(ProgrammeSubscription.id).where(
            ProgrammeSubscription.client_id == client_id, ProgrammeSubscription.programme_id == programme_id,
            ProgrammeSubscription.user_id == user_id,
            ProgrammeSubscription.status.in_(LIVE_SUBSCRIPTION_STATUSES)).limit(1))

    def add_subscription(self, **values: Any) -> ProgrammeSubscription:
        subscription = ProgrammeSubscription(**values)
        self.session.add(subscription)
        self.session.flush()  # the partial unique index decides a race
        return subscription

    def count_subscriber(self, programme_id: int, change: int) -> Row:
        """Add `change` (+1 / -1) to the live subscriptions of a programme; the count's version grows with it."""
        return self.session.execute(
            update(Programme).where(Programme.id == programme_id)
            .values(subscribers=Programme.subscribers + change, subscribers_version=Programme.subscribers_version + 1)
            .returning(*_COUNT).execution_options(synchronize_session=False)).one()

    def subscribers(self, programme_id: int) -> Row:
        return self.session.execute(select(*_COUNT).where(Programme.id == programme_id)).one()

    def due(self, today: date, limit: int, skip_locked: bool, passed_over: Collection[int] = ()) -> list[Row]:
        """Up to `limit` active subscriptions whose end date has come (oldest first) with their programme's name,
        but for those `passed_over`; with `skip_locked` (PostgreSQL) each is locked and those another transaction
        holds are passed over too."""
        query = (select(ProgrammeSubscription, Programme.name.label("programme_name"))
                 .outerjoin(Programme, Programme.id == ProgrammeSubscription.programme_id)
                 .where(ProgrammeSubscription.status == COMPLETABLE_STATUS, ProgrammeSubscription.end_date <= today)
                 .order_by(ProgrammeSubscription.end_date, ProgrammeSubscription.id).limit(limit))
        if passed_over:
            query = query.where(ProgrammeSubscription.id.not_in(passed_over))
        if skip_locked:
            query = query.with_for_update(of=ProgrammeSubscription, skip_locked=True)
        return list(self.session.execute(query))

    def complete(self, subscriptions: list[ProgrammeSubscription]) -> list[ProgrammeSubscription]:
        """Mark these subscriptions `completed` where they are still active (a conditional UPDATE: what another
        transaction completed, paused or cancelled first stays as it is); those it changed, now `completed`."""
        if not subscriptions:
            return []
        changed = set(self.session.scalars(
            update(ProgrammeSubscription)
            .where(ProgrammeSubscription.id.in_([s.id for s in subscriptions]),
                   ProgrammeSubscription.status == COMPLETABLE_STATUS)
            .values(status="completed").returning(ProgrammeSubscription.id)
            .execution_options(synchronize_session=False)))
        completed = [subscription for subscription in subscriptions if subscription.id in changed]
        for subscription in completed:
            set_committed_value(subscription, "status", "completed")  # as stored: nothing left to flush
        return completed

    def subscription(self, client_id: int, subscription_id: int, user_id: int, lock: bool = False) -> Row | None:
        """The user's subscription, its programme's name and its trainer's name."""
        query = self._with_names().where(ProgrammeSubscription.id == subscription_id,
                                         ProgrammeSubscription.client_id == client_id,
                                         ProgrammeSubscription.user_id == user_id)
        if lock:
            query = query.with_for_update(of=ProgrammeSubscription)
        return self.session.execute(query).first()

    @staticmethod
    def _with_names():
        return (select(ProgrammeSubscription, Programme.name.label("programme_name"),
                       Trainer.name.label("trainer_name"))
                .outerjoin(Programme, Programme.id == ProgrammeSubscription.programme_id)
                .outerjoin(Trainer, and_(Trainer.id == ProgrammeSubscription.trainer_id,
                                         Trainer.client_id == ProgrammeSubscription.client_id)))

    def of_user(self, client_id: int, user_id: int, status: str | None, page: int,
                limit: int) -> tuple[list[Row], dict[str, int]]:
        query = self._with_names().where(ProgrammeSubscription.client_id == client_id,
                                         ProgrammeSubscription.user_id == user_id)
        if status:
            query = query.where(ProgrammeSubscription.status == status)
        return page_of(self.session, query.order_by(ProgrammeSubscription.id.desc()), page, limit)

    def of_user_with_trainer(self, client_id: int, user_id: int, trainer_id: int) -> list[Row]:
        query = self._with_names().where(ProgrammeSubscription.client_id == client_id,
                                         ProgrammeSubscription.user_id == user_id,
                                         ProgrammeSubscription.trainer_id == trainer_id)
        return list(self.session.execute(query.order_by(ProgrammeSubscription.id.desc())))

    def upsert(self, values: dict[str, Any], occurred_at: datetime) -> bool:
        """Apply a catalog programme unless a newer event was applied (counts are booking's own)."""
        current = self.session.get(Programme, values["id"])
        if current is None:
            self.session.add(Programme(**values, subscribers=0, subscribers_version=0, source_updated_at=occurred_at))
            return True
        if current.client_id != values["client_id"] or current.source_updated_at > occurred_at:
            return False
        for name, value in values.items():
            setattr(current, name, value)
        current.source_updated_at = occurred_at
        return True

    def active_count(self, client_id: int, user_id: int) -> Any:
        """The user's active subscriptions, as a scalar subquery (the summary's one query)."""
        return (select(func.count()).select_from(ProgrammeSubscription)
                .where(ProgrammeSubscription.client_id == client_id, ProgrammeSubscription.user_id == user_id,
                       ProgrammeSubscription.status == "active").scalar_subquery())
