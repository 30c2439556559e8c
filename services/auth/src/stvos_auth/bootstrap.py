"""The composition root of the auth service: picks adapters from the settings."""
from __future__ import annotations

from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database

from .adapters import orm
from .config import Settings


def build(settings: Settings) -> ServiceContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    return ServiceContainer(name="auth", db=db, outbox=orm.outbox, consumer=None)
