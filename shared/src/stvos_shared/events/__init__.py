"""Integration events: envelope, transactional outbox, relay, idempotent consumer, transports."""
from .envelope import Event
from .outbox import Inbox, Outbox
from .transport import InProcessTransport, Transport

__all__ = ["Event", "InProcessTransport", "Inbox", "Outbox", "Transport"]
