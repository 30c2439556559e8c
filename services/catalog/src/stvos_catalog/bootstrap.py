"""The composition root of the catalog service: only here do settings become objects."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from stvos_shared.container import ServiceContainer, jwks_keys
from stvos_shared.db import Database, UnitOfWork, utcnow
from stvos_shared.events.consumer import Consumer
from stvos_shared.ratelimit import DatabaseRateLimiter, Rule
from stvos_shared.service_client import InProcApps
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .adapters.repository import Repositories
from .config import Settings
from .service.directory import TrainerDirectory
from .service.group_classes import GroupClasses
from .service.handlers import HANDLERS
from .service.invite_codes import InviteCheck, InviteCodes
from .service.invite_redemptions import InviteRedemptions
from .service.offerings import Programmes, RecordedClasses, Services
from .service.profiles import TrainerProfiles

ISSUER, AUDIENCE = "stvos-auth", "stvos-api"


@dataclass(kw_only=True)
class CatalogContainer(ServiceContainer):
    """The catalog's adapters and the use cases built on them."""

    verifier: TokenVerifier
    directory: TrainerDirectory
    profiles: TrainerProfiles
    services: Services
    recorded_classes: RecordedClasses
    group_classes: GroupClasses
    programmes: Programmes
    invite_codes: InviteCodes
    invite_check: InviteCheck
    invite_redemptions: InviteRedemptions


def build(settings: Settings, apps: InProcApps | None = None,
          clock: Callable[[], datetime] = utcnow) -> CatalogContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    uow = UnitOfWork(db, Repositories)
    invite_rule = Rule("invite-check", settings.invite_check_limit, settings.invite_check_window_seconds)
    return CatalogContainer(
        name="catalog", db=db, outbox=orm.outbox,
        consumer=Consumer("catalog", db, orm.inbox, HANDLERS, context=Repositories),
        verifier=TokenVerifier(jwks_keys(settings.auth_url, apps), ISSUER, AUDIENCE),
        directory=TrainerDirectory(uow, clock, settings.directory_cache_trainers), profiles=TrainerProfiles(uow, clock),
        services=Services(uow), recorded_classes=RecordedClasses(uow), group_classes=GroupClasses(uow, clock),
        programmes=Programmes(uow), invite_codes=InviteCodes(uow),
        invite_check=InviteCheck(uow, clock, DatabaseRateLimiter(db, orm.rate_limits), invite_rule),
        invite_redemptions=InviteRedemptions(uow, clock),
    )
