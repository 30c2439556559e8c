"""How events travel: the Transport interface and the in-process transport of the embedded mode."""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..metrics import EVENTS_DEAD_LETTERED, EVENTS_RETRIED
from .envelope import Event, UndeliverableEvent, matches

log = logging.getLogger("stvos.events")
Handler = Callable[[Event], None]


class Transport(Protocol):
    """Publish with confirmation; deliver at least once to every queue whose bindings match."""

    def publish(self, events: Sequence[Event]) -> None:
        """Return only when every event is safely with the transport; raise otherwise."""

    def subscribe(self, queue_name: str, bindings: Sequence[str], handler: Handler) -> None:
        """Deliver matching events to `handler`; a handler that raises gets the event again later."""


@dataclass
class _Queue:
    name: str
    bindings: list[str]
    handler: Handler
    messages: queue.Queue = field(default_factory=queue.Queue)
    dead: list[Event] = field(default_factory=list)


class InProcessTransport:
    """Queues in memory with the broker's semantics: bindings, redelivery, then a dead-letter list.

    Messages are serialised on publish, as on the wire. `drain()` delivers on the caller's
    thread (tests); `start()` delivers on one thread per queue (the embedded runner).
    """

    def __init__(self, max_attempts: int = 5, retry_delay: float = 0.2) -> None:
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self._queues: dict[str, _Queue] = {}
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    def subscribe(self, queue_name: str, bindings: Sequence[str], handler: Handler) -> None:
        self._queues[queue_name] = _Queue(queue_name, list(bindings), handler)

    def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            body = event.to_json()
            for q in self._queues.values():
                if any(matches(binding, event.type) for binding in q.bindings):
                    q.messages.put((body, 1))

    def dead_letters(self, queue_name: str) -> list[Event]:
        return list(self._queues[queue_name].dead)

    def _deliver(self, q: _Queue, body: bytes, attempt: int) -> bool:
        event = Event.from_json(body)
        try:
            q.handler(event)
            return True
        except UndeliverableEvent:
            q.dead.append(event)
            EVENTS_DEAD_LETTERED.labels(q.name, event.type, "undeliverable").inc()
            return False
        except Exception:
            log.exception("handler failed", extra={"eventId": event.id, "eventType": event.type})
            if attempt >= self.max_attempts:
                q.dead.append(event)
                EVENTS_DEAD_LETTERED.labels(q.name, event.type, "failed").inc()
            else:
                q.messages.put((body, attempt + 1))
                EVENTS_RETRIED.labels(q.name, event.type).inc()
            return False

    def drain(self, max_rounds: int = 10_000) -> int:
        """Deliver everything queued, including what handlers publish meanwhile; returns deliveries."""
        delivered = 0
        for _ in range(max_rounds):
            progressed = False
            for q in self._queues.values():
                try:
                    body, attempt = q.messages.get_nowait()
                except queue.Empty:
                    continue
                progressed = True
                delivered += self._deliver(q, body, attempt)
            if not progressed:
                break
        return delivered

    def start(self) -> None:
        for q in self._queues.values():
            thread = threading.Thread(target=self._work, args=(q,), name=f"events-{q.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _work(self, q: _Queue) -> None:
        while not self._stop.is_set():
            try:
                body, attempt = q.messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if not self._deliver(q, body, attempt):
                self._stop.wait(self.retry_delay)
