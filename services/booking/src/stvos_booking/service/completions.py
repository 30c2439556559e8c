"""The completion job: subscriptions whose programme's length has run become `completed`, a batch at a time.

Due: active, and end_date (start + weeks x 7 days, moved on by the days paused when resumed) today or past
(domain/model.py `completion_due`); a paused subscription waits until it is resumed. Each batch is one
transaction: the due rows are claimed (FOR UPDATE SKIP LOCKED on PostgreSQL, so two replicas never take one
row; SQLite's BEGIN IMMEDIATE admits one writer), marked by a conditional UPDATE (only still-active ones),
counted out of the programme's subscribers, and each completion's `booking.programme_subscription.completed`
goes to the outbox in that same transaction. Running it again changes nothing until another one is due.

A batch the database refuses for its data (a programme's count out of step with its subscriptions, a
programme missing) is done again one subscription at a time: the one that cannot complete is logged as an
error and passed over by this process until it restarts, so that it never holds back the others (of every
tenant). A failure of the database itself (a lost connection) passes nothing over: the pass fails and the
runner tries again later.
"""
from __future__ import annotations

import logging

from ..adapters.repository import REFUSED_FOR_DATA, Repositories
from ..adapters.unit_of_work import UnitOfWork
from .clock import Clock
from .programmes import subscription_event

log = logging.getLogger("stvos.booking.completions")
BATCH_SIZE = 100


class Completions:
    """A scheduled job (stvos_shared.jobs): `run_once()` completes up to `batch_size` due subscriptions."""

    name = "complete-subscriptions"

    def __init__(self, uow: UnitOfWork, clock: Clock, batch_size: int = BATCH_SIZE) -> None:
        self.uow, self.clock, self.batch_size = uow, clock, batch_size
        self.passed_over: set[int] = set()  # subscriptions that could not complete, by id
        self._claimed: list[int] = []

    def run_once(self) -> int:
        """Complete one batch of due subscriptions in one transaction; how many it completed (a batch refused
        for its data: one subscription at a time, passing over the one that cannot complete)."""
        try:
            return self.uow.run(lambda repos: self._complete_batch(repos, self.batch_size))
        except REFUSED_FOR_DATA:
            log.warning("a batch of completions was refused; completing them one at a time", exc_info=True)
        completed = 0
        for _ in range(self.batch_size):
            try:
                done = self.uow.run(lambda repos: self._complete_batch(repos, 1))
            except REFUSED_FOR_DATA:
                log.exception("subscription %s cannot complete; passed over until restarted", self._claimed)
                self.passed_over.update(self._claimed)
                continue
            if not done:
                break
            completed += done
        return completed

    def _complete_batch(self, repos: Repositories, limit: int) -> int:
        today = self.clock.now().date()
        rows = repos.programmes.due(today, limit, skip_locked=not self.uow.db.is_sqlite, passed_over=self.passed_over)
        self._claimed = [row.ProgrammeSubscription.id for row in rows]
        names = {row.ProgrammeSubscription.id: row.programme_name or "" for row in rows}
        completed = repos.programmes.complete([row.ProgrammeSubscription for row in rows])
        # Programme rows are counted in one order, so two passes never wait on each other's counts.
        for subscription in sorted(completed, key=lambda s: (s.programme_id, s.id)):
            count = tuple(repos.programmes.count_subscriber(subscription.programme_id, -1))
            repos.outbox.add(subscription_event("complete", subscription, names[subscription.id], count),
                             subscription.client_id)
        return len(completed)
