"""create_app: the portal service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.security import BearerAuth

from . import bootstrap
from .api import clients, dashboard, launches, profile
from .bootstrap import PortalContainer
from .config import Settings

BLUEPRINTS = (profile.blp, clients.blp, dashboard.blp, launches.blp)


def create_app(settings: Settings | None = None, container: PortalContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("portal", title="stvos Trainer portal API", blueprints=BLUEPRINTS,
                             ready=container.db.ping)
    app.extensions["stvos.container"] = container
    BearerAuth(container.verifier).init_app(app)
    return app
