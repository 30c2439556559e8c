"""The composition root of the auth service: picks adapters from the settings."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database
from stvos_shared.events.consumer import Consumer
from stvos_shared.passwords import Passwords
from stvos_shared.ratelimit import DatabaseRateLimiter, RateLimiter
from stvos_shared.service_client import InProcApps, ServiceClient
from stvos_shared.signing_keys import SigningKeys
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .adapters.partner import PartnerVouchers, Vouchers
from .config import Settings
from .service.keycheck import KeyCheck
from .service.login import LoginGuard
from .service.replica import apply_trainer_event
from .service.sessions import Sessions

ISSUER, AUDIENCE = "stvos-auth", "stvos-api"


@dataclass(kw_only=True)
class AuthContainer(ServiceContainer):
    """The auth service's adapters and the services built on them."""

    settings: Settings
    passwords: Passwords
    signing: SigningKeys
    verifier: TokenVerifier
    sessions: Sessions
    keys: KeyCheck
    limiter: RateLimiter
    guard: LoginGuard
    vouchers: Vouchers


def build(settings: Settings, apps: InProcApps | None = None) -> AuthContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    passwords = Passwords(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism)
    signing = SigningKeys(db, orm.signing_keys, ISSUER, AUDIENCE)
    verifier = signing.verifier()
    limiter = DatabaseRateLimiter(db, orm.rate_limits)
    return AuthContainer(
        name="auth", db=db, outbox=orm.outbox,
        consumer=Consumer("auth", db, orm.inbox, {"partner.trainer.*": apply_trainer_event}),
        settings=settings, passwords=passwords, signing=signing, verifier=verifier,
        sessions=Sessions(db, signing, verifier, settings.access_ttl_seconds, settings.refresh_ttl_seconds,
                          settings.refresh_reuse_grace_seconds),
        keys=KeyCheck(db, settings.key_cache_ok_seconds, settings.key_cache_denied_seconds),
        limiter=limiter, guard=LoginGuard(db, passwords, limiter, settings),
        vouchers=PartnerVouchers(ServiceClient(settings.partner_url, apps=apps)),
    )
