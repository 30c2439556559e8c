"""create_app: the catalog service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.security import BearerAuth

from . import bootstrap
from .api import (
    internal,
    internal_invites,
    invite,
    portal_group_classes,
    portal_invite_codes,
    portal_programmes,
    portal_recorded_classes,
    portal_services,
    trainers,
)
from .bootstrap import CatalogContainer
from .config import Settings

BLUEPRINTS = (trainers, invite, portal_services, portal_recorded_classes, portal_group_classes, portal_programmes,
              portal_invite_codes, internal, internal_invites)


def create_app(settings: Settings | None = None, container: CatalogContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("catalog", title="stvos Catalog API", ready=container.db.ping,
                             blueprints=[module.blp for module in BLUEPRINTS])
    app.extensions["stvos.container"] = container
    BearerAuth(container.verifier).init_app(app)
    return app
