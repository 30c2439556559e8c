"""The composition root of the partner service: settings become objects here, and only here."""
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
from .adapters.auth import AuthTrainerAccounts
from .adapters.repository import Repositories
from .config import Settings
from .service.handlers import HANDLERS
from .service.redemptions import Redemptions
from .service.sessions import StaffSessions
from .service.staff import StaffAccounts
from .service.trainers import Trainers
from .service.vouchers import Vouchers

ISSUER = AUDIENCE = "stvos-partner"


@dataclass(kw_only=True)
class PartnerContainer(ServiceContainer):
    """The partner service's adapters and the use cases built on them."""

    settings: Settings
    uow: UnitOfWork[Repositories]
    keys: SigningKeys
    verifier: TokenVerifier
    sessions: StaffSessions
    staff: StaffAccounts
    trainers: Trainers
    vouchers: Vouchers
    redemptions: Redemptions


def build(settings: Settings, apps: InProcApps | None = None) -> PartnerContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    credentials = settings.credentials
    keys = SigningKeys(db, orm.signing_keys, KeyWrap(settings.signing_key_kek), ISSUER, AUDIENCE)
    verifier = keys.verifier()
    families = RefreshFamilies(db, orm.refresh, keys, verifier, credentials, family_claim=True)
    repositories = partial(Repositories, families=families)
    uow = UnitOfWork(db, repositories)
    passwords = credentials.hasher()
    guard = LoginGuard(db, orm.login_failures, passwords, DatabaseRateLimiter(db, orm.rate_limits), credentials)
    auth_accounts = AuthTrainerAccounts(ServiceClient(settings.auth_url, apps=apps))
    return PartnerContainer(
        name="partner", db=db, outbox=orm.outbox, settings=settings, uow=uow, keys=keys, verifier=verifier,
        consumer=Consumer("partner", db, orm.inbox, HANDLERS, context=repositories),
        sessions=StaffSessions(uow, guard, passwords, families), staff=StaffAccounts(uow, passwords),
        trainers=Trainers(uow, auth_accounts), vouchers=Vouchers(uow), redemptions=Redemptions(uow),
    )
