"""create_app: the booking service's Flask app."""
from __future__ import annotations

from flask import Flask
from stvos_shared.app_factory import create_service_app
from stvos_shared.security import BearerAuth

from . import bootstrap
from .api import internal, my_bookings, portal, public
from .bootstrap import BookingContainer
from .config import Settings


def create_app(settings: Settings | None = None, container: BookingContainer | None = None) -> Flask:
    """Build the app; nothing connects until a request needs it."""
    container = container or bootstrap.build(settings or Settings.from_env())
    app = create_service_app("booking", title="stvos Booking API", ready=container.db.ping,
                             blueprints=[public.blp, my_bookings.blp, portal.blp, internal.blp])
    app.extensions["stvos.container"] = container
    BearerAuth(container.verifier).init_app(app)
    return app
