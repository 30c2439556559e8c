"""The idempotent consumer: an event's effect and its inbox row commit together, or not at all."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import contracts, tracing
from ..db import Database
from ..metrics import EVENTS_CONSUMED
from .envelope import Event, UndeliverableEvent, matches
from .outbox import Inbox

log = logging.getLogger("stvos.consumer")
EventHandler = Callable[[Any, Event], None]


class Consumer:
    """Dispatches events to handlers by routing-key pattern and applies each event id once.

    Handlers get `context(session)` (the service's repositories bound to the transaction) and the event.
    """

    def __init__(self, name: str, db: Database, inbox: Inbox, handlers: Mapping[str, EventHandler],
                 context: Callable[[Session], Any] = lambda session: session) -> None:
        self.name, self.db, self.inbox, self.handlers = name, db, inbox, dict(handlers)
        self.context = context

    @property
    def bindings(self) -> list[str]:
        return list(self.handlers)

    def handle(self, event: Event) -> None:
        """Apply `event` once, in the trace it was published in; raising tells the transport to redeliver."""
        handler = next((h for pattern, h in self.handlers.items() if matches(pattern, event.type)), None)
        if handler is None:
            return
        with tracing.consuming(event, self.name):
            self._require_contract(event)
            outcome = self._apply(handler, event)
            log.info("event %s", outcome, extra={"eventId": event.id, "eventType": event.type, "service": self.name})
        EVENTS_CONSUMED.labels(self.name, event.type, outcome).inc()

    def _apply(self, handler: EventHandler, event: Event) -> str:
        """"applied", or "duplicate" when the inbox already has the event (the effect is not repeated)."""
        try:
            with self.db.unit_of_work() as session:
                if self.inbox.seen(session, self.name, event.id):
                    return "duplicate"
                handler(self.context(session), event)
                self.inbox.record(session, self.name, event.id)
        except IntegrityError:
            if not self._already_handled(event):
                raise
            return "duplicate"
        return "applied"

    def _require_contract(self, event: Event) -> None:
        try:
            contracts.contract_for(event.type, event.version)
        except contracts.UnknownContract as error:
            log.error("dead-lettered: %s; this consumer cannot read it", error,
                      extra={"eventId": event.id, "eventType": event.type, "service": self.name})
            raise UndeliverableEvent(str(error)) from error

    def _already_handled(self, event: Event) -> bool:
        """A concurrent delivery won the race for the inbox row: this one was a duplicate."""
        with self.db.unit_of_work(write=False) as session:
            return self.inbox.seen(session, self.name, event.id)
