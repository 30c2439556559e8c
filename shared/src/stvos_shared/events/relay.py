"""The outbox relay: publishes pending rows and marks them sent only after the transport confirms."""
from __future__ import annotations

import logging
import threading

from .. import tracing
from ..db import Database
from ..metrics import EVENTS_PUBLISHED
from .outbox import Outbox
from .transport import Transport

log = logging.getLogger("stvos.relay")


class Relay:
    """Moves one service's outbox to the transport, in order, at least once."""

    def __init__(self, db: Database, outbox: Outbox, transport: Transport, batch_size: int = 200,
                 service: str = "") -> None:
        self.db, self.outbox, self.transport, self.batch_size = db, outbox, transport, batch_size
        self.service = service

    def run_once(self) -> int:
        """Publish one batch; returns how many rows were sent. Raises if the transport fails."""
        with self.db.unit_of_work(write=False) as session:  # idle: no write lock taken (SQLite has one)
            if not self.outbox.has_pending(session):
                return 0
        with self.db.unit_of_work() as session:
            rows = self.outbox.pending(session, self.batch_size, lock=not self.db.is_sqlite)
            if not rows:
                return 0
            with tracing.publishing([event for _, event in rows], self.service) as events:
                self.transport.publish(events)
            self.outbox.mark_sent(session, [seq for seq, _ in rows])
        for _, event in rows:
            EVENTS_PUBLISHED.labels(self.service, event.type).inc()
        return len(rows)

    def run(self, stop: threading.Event, wake: threading.Event | None = None, interval: float = 1.0,
            max_backoff: float = 30.0) -> None:
        """Relay until `stop` is set: drain batches, then wait for `wake` or `interval`; back off on failure.

        `wake` is cleared before each drain, so a commit that sets it while a drain runs is not missed.
        A stop finishes the batch in hand (published and marked sent, or left pending) and no more.
        """
        backoff = interval
        while not stop.is_set():
            if wake is not None:
                wake.clear()
            try:
                while self.run_once() == self.batch_size and not stop.is_set():
                    pass
                backoff = interval
            except Exception:
                log.exception("relay failed; retrying", extra={"service": self.service})
                stop.wait(backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            (wake or stop).wait(interval)
