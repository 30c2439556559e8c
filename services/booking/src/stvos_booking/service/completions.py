"""The completion job: subscriptions whose programme's length has run become `completed`, a batch at a time.

Due: active, and end_date (start + weeks x 7 days, moved on by the days paused when resumed) today or past
(domain/model.py `completion_due`); a paused subscription waits until it is resumed. Each batch is one
transaction: the due rows are claimed (FOR UPDATE SKIP LOCKED on PostgreSQL, so two replicas never take one
row; SQLite's BEGIN IMMEDIATE admits one writer), marked by a conditional UPDATE (only still-active ones),
counted out of the programme's subscribers, and each completion's `booking.programme_subscription.completed`
goes to the outbox in that same transaction. Running it again changes nothing until another one is due.
"""
from __future__ import annotations

from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from .clock import Clock
from .programmes import subscription_event

BATCH_SIZE = 100


class Completions:
    """A scheduled job (stvos_shared.jobs): `run_once()` completes up to `batch_size` due subscriptions."""

    name = "complete-subscriptions"

    def __init__(self, uow: UnitOfWork, clock: Clock, batch_size: int = BATCH_SIZE) -> None:
        self.uow, self.clock, self.batch_size = uow, clock, batch_size

    def run_once(self) -> int:
        """Complete one batch of due subscriptions in one transaction; how many it completed."""
        return self.uow.run(self._complete_batch)

    def _complete_batch(self, repos: Repositories) -> int:
        today = self.clock.now().date()
        rows = repos.programmes.due(today, self.batch_size, skip_locked=not self.uow.db.is_sqlite)
        names = {row.ProgrammeSubscription.id: row.programme_name or "" for row in rows}
        completed = repos.programmes.complete([row.ProgrammeSubscription for row in rows])
        # Programme rows are counted in one order, so two passes never wait on each other's counts.
        for subscription in sorted(completed, key=lambda s: (s.programme_id, s.id)):
            count = tuple(repos.programmes.count_subscriber(subscription.programme_id, -1))
            repos.outbox.add(subscription_event("complete", subscription, names[subscription.id], count),
                             subscription.client_id)
        return len(completed)
