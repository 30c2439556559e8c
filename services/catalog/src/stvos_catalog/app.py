"""create_app: the catalog service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.container import ServiceContainer

from . import bootstrap
from .config import Settings


def create_app(settings: Settings | None = None, container: ServiceContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("catalog", title="stvos Catalog API", blueprints=[], ready=container.db.ping)
    app.extensions["stvos.container"] = container
    return app
