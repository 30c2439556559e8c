"""The composition root of the portal service: picks adapters from the settings."""
from __future__ import annotations

from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database
from stvos_shared.service_client import InProcApps

from .adapters import orm
from .config import Settings


def build(settings: Settings, apps: InProcApps | None = None) -> ServiceContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    return ServiceContainer(name="portal", db=db, outbox=orm.outbox, consumer=None)
