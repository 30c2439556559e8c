"""The composition root of the auth service: settings become objects here, and only here."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from stvos_shared.container import ServiceContainer
from stvos_shared.credentials.login import LoginGuard
from stvos_shared.credentials.refresh import RefreshFamilies
from stvos_shared.db import Database, UnitOfWork
from stvos_shared.events.consumer import Consumer
from stvos_shared.keywrap import KeyWrap
from stvos_shared.ratelimit import DatabaseRateLimiter
from stvos_shared.service_client import InProcApps, ServiceClient
from stvos_shared.signing_keys import SigningKeys
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .adapters.catalog import catalog_invites
from .adapters.partner import partner_vouchers
from .adapters.repository import Repositories
from .config import Settings
from .service.accounts import Accounts
from .service.handlers import HANDLERS
from .service.keycheck import KeyCheck
from .service.operators import Operators
from .service.signin import SignIn
from .service.trainers import TrainerAccounts

ISSUER, AUDIENCE = "stvos-auth", "stvos-api"


@dataclass(kw_only=True)
class AuthContainer(ServiceContainer):
    """The auth service's adapters and the use cases built on them."""

    settings: Settings
    uow: UnitOfWork[Repositories]
    signing: SigningKeys
    verifier: TokenVerifier
    keys: KeyCheck
    accounts: Accounts
    trainers: TrainerAccounts
    operators: Operators


def build(settings: Settings, apps: InProcApps | None = None) -> AuthContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    credentials = settings.credentials
    signing = SigningKeys(db, orm.signing_keys, KeyWrap(settings.signing_key_kek), ISSUER, AUDIENCE)
    verifier = signing.verifier()
    families = RefreshFamilies(db, orm.refresh, signing, verifier, credentials)
    uow = UnitOfWork(db, partial(Repositories, families=families))
    passwords = credentials.hasher()
    guard = LoginGuard(db, orm.login_failures, passwords, DatabaseRateLimiter(db, orm.rate_limits), credentials)
    signin = SignIn(uow, passwords, families)
    keys = KeyCheck(uow, settings.key_cache_ok_seconds, settings.key_cache_denied_seconds)
    vouchers = partner_vouchers(ServiceClient(settings.partner_url, apps=apps))
    invites = catalog_invites(ServiceClient(settings.catalog_url, apps=apps))
    return AuthContainer(
        name="auth", db=db, outbox=orm.outbox, settings=settings, uow=uow, signing=signing, verifier=verifier,
        keys=keys,
        consumer=Consumer("auth", db, orm.inbox, HANDLERS, context=partial(Repositories, families=families)),
        accounts=Accounts(uow, guard, passwords, vouchers, invites, signin, families),
        trainers=TrainerAccounts(uow, guard, passwords, signin, families),
        operators=Operators(uow, keys, signing, passwords),
    )
