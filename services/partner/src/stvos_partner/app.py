"""create_app: the partner service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.security import BearerAuth

from . import bootstrap
from .api import internal, partner_auth, settings, staff, trainers, voucher_validation, vouchers
from .bootstrap import PartnerContainer
from .config import Settings

BLUEPRINTS = (partner_auth.blp, trainers.blp, vouchers.blp, staff.blp, settings.blp, voucher_validation.blp,
              internal.blp)


def create_app(settings: Settings | None = None, container: PartnerContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("partner", title="stvos Partner API", blueprints=BLUEPRINTS, ready=container.db.ping)
    app.extensions["stvos.container"] = container
    # Partner routes carry no API key: the tenant is the one in the partner token.
    BearerAuth(container.verifier, principal_from_claims=container.sessions.principal,
               tenant_from_gateway=False).init_app(app)
    return app
