"""The common shape of every service app: errors, request ids, health, OpenAPI, blueprints."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, jsonify

from .api import Api, Blueprint
from .error_handlers import register_error_handlers
from .errors import error_body
from .json_provider import MoneyJSONProvider
from .observability import install_request_ids

DEFAULT_MAX_BODY = 1024 * 1024


def create_service_app(service: str, *, title: str, blueprints: Iterable[Blueprint],
                       ready: Callable[[], bool] = lambda: True, max_body_bytes: int = DEFAULT_MAX_BODY,
                       version: str = "1.0.0") -> Flask:
    """A Flask app for `service` with the platform's conventions; nothing connects here."""
    app = Flask(f"stvos_{service}")
    app.config.update(
        API_TITLE=title, API_VERSION=version, OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", MAX_CONTENT_LENGTH=max_body_bytes,
    )
    app.json = MoneyJSONProvider(app)
    register_error_handlers(app)
    install_request_ids(app, service)

    @app.get("/healthz")
    def healthz():
        """Liveness: the process serves requests."""
        return jsonify({"success": True, "data": {"status": "ok", "service": service}})

    @app.get("/readyz")
    def readyz():
        """Readiness: the service's database answers."""
        if ready():
            return jsonify({"success": True, "data": {"status": "ready", "service": service}})
        return jsonify(error_body("SERVICE_UNAVAILABLE", "The database is not reachable.")), 503

    api = Api(app)
    api.spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.extensions["stvos.api"] = api
    return app
