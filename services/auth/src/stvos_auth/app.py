"""create_app: the auth service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.security import BearerAuth

from . import bootstrap
from .api import auth, internal, trainer_auth
from .bootstrap import AuthContainer
from .config import Settings


def create_app(settings: Settings | None = None, container: AuthContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("auth", title="stvos Identity API", ready=container.db.ping,
                             blueprints=[auth.blp, trainer_auth.blp, internal.blp])
    app.extensions["stvos.api"].spec.components.security_scheme(
        "masterTrainerKey", {"type": "apiKey", "in": "header", "name": "X-Master-Trainer-Key"})
    app.extensions["stvos.container"] = container
    BearerAuth(container.verifier).init_app(app)
    return app
