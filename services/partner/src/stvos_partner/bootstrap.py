"""The composition root of the partner service: picks adapters from the settings."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database
from stvos_shared.events.consumer import Consumer
from stvos_shared.passwords import Passwords
from stvos_shared.ratelimit import DatabaseRateLimiter, RateLimiter
from stvos_shared.service_client import InProcApps
from stvos_shared.signing_keys import SigningKeys
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .config import Settings
from .service import handlers

ISSUER = AUDIENCE = "stvos-partner"


@dataclass(kw_only=True)
class PartnerContainer(ServiceContainer):
    """The partner service's adapters: database, outbox, consumer, passwords, keys and login limits."""

    settings: Settings
    passwords: Passwords
    keys: SigningKeys
    verifier: TokenVerifier
    limiter: RateLimiter


def build(settings: Settings, apps: InProcApps | None = None) -> PartnerContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    consumer = Consumer("partner", db, orm.inbox, handlers.handlers(orm.outbox))
    keys = SigningKeys(db, orm.signing_keys, ISSUER, AUDIENCE)
    return PartnerContainer(
        name="partner", db=db, outbox=orm.outbox, consumer=consumer, settings=settings,
        passwords=Passwords(settings.password_memory_kib, settings.password_time_cost,
                            settings.password_parallelism),
        keys=keys, verifier=keys.verifier(), limiter=DatabaseRateLimiter(db, orm.rate_limits),
    )
