"""The idempotent consumer: an event's effect and its inbox row commit together, or not at all."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import Database
from .envelope import Event, matches
from .outbox import Inbox

log = logging.getLogger("stvos.consumer")
EventHandler = Callable[[Session, Event], None]


class Consumer:
    """Dispatches events to handlers by routing-key pattern and applies each event id once."""

    def __init__(self, name: str, db: Database, inbox: Inbox, handlers: Mapping[str, EventHandler]) -> None:
        self.name, self.db, self.inbox, self.handlers = name, db, inbox, dict(handlers)

    @property
    def bindings(self) -> list[str]:
        return list(self.handlers)

    def handle(self, event: Event) -> None:
        """Apply `event` once; raising tells the transport to redeliver (and later dead-letter)."""
        handler = next((h for pattern, h in self.handlers.items() if matches(pattern, event.type)), None)
        if handler is None:
            return
        try:
            with self.db.unit_of_work() as session:
                if self.inbox.seen(session, self.name, event.id):
                    return
                handler(session, event)
                self.inbox.record(session, self.name, event.id)
        except IntegrityError:
            if not self._already_handled(event):
                raise

    def _already_handled(self, event: Event) -> bool:
        """A concurrent delivery won the race for the inbox row: this one was a duplicate."""
        with self.db.unit_of_work(write=False) as session:
            return self.inbox.seen(session, self.name, event.id)
