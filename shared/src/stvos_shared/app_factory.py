"""The common shape of every service app: errors, request ids, metrics, traces, health, OpenAPI, blueprints."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from flask import Flask, jsonify

from .api import Api, Blueprint
from .error_handlers import register_error_handlers
from .errors import error_body
from .json_provider import MoneyJSONProvider
from .observability import install_request_ids, install_request_metrics, install_request_spans
from .tracing import configure_tracing

DEFAULT_MAX_BODY = 1024 * 1024


class Lifecycle:
    """Whether the app's process is stopping: from then on readiness fails, so no new traffic is sent here."""

    def __init__(self) -> None:
        self._stopping = threading.Event()

    def begin_stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()


def lifecycle(app: Flask) -> Lifecycle:
    """The app's lifecycle (a server calls begin_stop() when it is told to stop)."""
    return app.extensions["stvos.lifecycle"]


def create_service_app(service: str, *, title: str, blueprints: Iterable[Blueprint],
                       ready: Callable[[], bool] = lambda: True, max_body_bytes: int = DEFAULT_MAX_BODY,
                       version: str = "1.0.0") -> Flask:
    """A Flask app for `service` with the platform's conventions; nothing connects here.

    Liveness (/healthz) depends on nothing but the process; readiness (/readyz) fails while the database
    does not answer and once the process is stopping.
    """
    app = Flask(f"stvos_{service}")
    app.config.update(
        API_TITLE=title, API_VERSION=version, OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", MAX_CONTENT_LENGTH=max_body_bytes,
    )
    app.json = MoneyJSONProvider(app)
    register_error_handlers(app)
    configure_tracing(service)
    install_request_ids(app, service)
    install_request_metrics(app, service)
    install_request_spans(app, service)
    app.extensions["stvos.lifecycle"] = state = Lifecycle()
    _health(app, service, ready, state)
    api = Api(app)
    api.spec.components.security_scheme("apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.extensions["stvos.api"] = api
    return app


def _health(app: Flask, service: str, ready: Callable[[], bool], state: Lifecycle) -> None:
    """/healthz and /readyz."""

    @app.get("/healthz")
    def healthz():
        """Liveness: the process serves requests."""
        return jsonify({"success": True, "data": {"status": "ok", "service": service}})

    @app.get("/readyz")
    def readyz():
        """Readiness: the service is not stopping and its database answers."""
        if state.stopping:
            return jsonify(error_body("SERVICE_UNAVAILABLE", "The service is stopping.")), 503
        if ready():
            return jsonify({"success": True, "data": {"status": "ready", "service": service}})
        return jsonify(error_body("SERVICE_UNAVAILABLE", "The database is not reachable.")), 503
