"""The composition root of the partner service: picks adapters from the settings."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database
from stvos_shared.events.consumer import Consumer
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .adapters.passwords import Passwords
from .adapters.ratelimit import InMemoryRateLimiter, RateLimiter
from .adapters.signing import AUDIENCE, ISSUER, SigningKeys
from .config import Settings
from .service import handlers


@dataclass(kw_only=True)
class PartnerContainer(ServiceContainer):
    """The partner service's adapters: database, outbox, consumer, passwords, keys and login limits."""

    settings: Settings
    passwords: Passwords
    keys: SigningKeys
    verifier: TokenVerifier
    ip_limiter: RateLimiter
    account_limiter: RateLimiter


def build(settings: Settings) -> PartnerContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    consumer = Consumer("partner", db, orm.inbox, handlers.handlers(orm.outbox))
    keys = SigningKeys(db)
    return PartnerContainer(
        name="partner", db=db, outbox=orm.outbox, consumer=consumer, settings=settings,
        passwords=Passwords(settings.password_memory_kib, settings.password_time_cost,
                            settings.password_parallelism),
        keys=keys, verifier=TokenVerifier(keys.verification_keys(), ISSUER, AUDIENCE),
        ip_limiter=InMemoryRateLimiter(settings.login_ip_limit, settings.login_window_seconds),
        account_limiter=InMemoryRateLimiter(settings.login_account_limit, settings.login_window_seconds),
    )
