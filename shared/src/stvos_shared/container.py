"""What the runners (embedded, gunicorn, consumer, relay) need from each service's composition root."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .db import Database
from .events.consumer import Consumer
from .events.outbox import Outbox
from .jobs import Job
from .service_client import InProcApps, ServiceClient
from .tokens import JwksKeys


@dataclass
class ServiceContainer:
    """The adapters of one service: its database, outbox, (if it listens) its consumer and its scheduled jobs."""

    name: str
    db: Database
    outbox: Outbox
    consumer: Consumer | None = None
    jobs: tuple[Job, ...] = ()


def jwks_keys(auth_url: str, apps: InProcApps | None = None) -> JwksKeys:
    """The identity service's public keys, fetched lazily and refreshed on an unknown kid."""
    client = ServiceClient(auth_url, apps=apps, read_timeout=3.0)

    def fetch() -> dict[str, Any]:
        return client.get("/.well-known/jwks.json", forward_caller=False).body or {}

    return JwksKeys(fetch)


