"""Prometheus metrics, with the official client: what every API, relay and consumer counts.

Metrics are served on a port of their own (METRICS_PORT), never on a path of an API, so the gateway
cannot route to them and a network policy can open them to the scraper alone. One process (a relay,
a consumer, `stvos run`) serves its own registry; under gunicorn the workers write their values to
PROMETHEUS_MULTIPROC_DIR and the master serves them summed (stvos_shared.gunicorn_conf).
"""
from __future__ import annotations

import logging
import os

from flask import current_app, has_app_context
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from .settings import MetricsSettings

log = logging.getLogger("stvos.metrics")
_HTTP = ["service", "route", "method", "status"]

REQUESTS = Counter("stvos_http_requests", "Requests answered, by route template, method and status.", _HTTP)
LATENCY = Histogram("stvos_http_request_duration_seconds", "Time to answer a request, by route template.", _HTTP)
EVENTS_PUBLISHED = Counter("stvos_events_published", "Events the broker confirmed, by type.", ["service", "type"])
EVENTS_CONSUMED = Counter("stvos_events_consumed", "Events a consumer handled (applied, or a duplicate ignored).",
                          ["consumer", "type", "outcome"])
EVENTS_RETRIED = Counter("stvos_events_retried", "Deliveries that failed and were parked for a retry.",
                         ["queue", "type"])
EVENTS_DEAD_LETTERED = Counter("stvos_events_dead_lettered", "Events moved to a dead-letter queue, and why.",
                               ["queue", "type", "reason"])
DB_POOL_IN_USE = Gauge("stvos_db_pool_in_use", "Database connections checked out of the pool.", ["database"],
                       multiprocess_mode="livesum")
RATE_LIMIT_REFUSALS = Counter("stvos_rate_limit_refusals", "Requests refused by a rate limit (429), by rule.",
                              ["service", "rule"])
JOB_ITEMS = Counter("stvos_job_items", "Rows a scheduled job changed (e.g. subscriptions completed).",
                    ["service", "job"])
JOB_FAILURES = Counter("stvos_job_failures", "Passes of a scheduled job that failed (retried with a back-off).",
                       ["service", "job"])
LOGIN_FAILURES = Counter("stvos_login_failures", "Sign-ins refused for a wrong password or unknown account.",
                         ["service"])
LOGIN_LOCKOUTS = Counter("stvos_login_lockouts", "Sign-in attempts refused because the account is backing off.",
                         ["service"])


def serve_metrics(settings: MetricsSettings, registry: CollectorRegistry = REGISTRY) -> bool:
    """Serve `registry` at http://0.0.0.0:PORT/metrics from a daemon thread; False when no port is set."""
    if not settings.port:
        return False
    start_http_server(settings.port, registry=registry)
    log.info("metrics on port %d", settings.port)
    return True


def service_label() -> str:
    """The service whose request is being served (its Flask app is named stvos_<service>), else ""."""
    return current_app.name.removeprefix("stvos_") if has_app_context() else ""


def instrument_pool(engine: Engine) -> None:
    """Keep stvos_db_pool_in_use{database} at the number of connections checked out of the engine's pool."""
    gauge = DB_POOL_IN_USE.labels(database_label(engine.url))
    event.listen(engine, "checkout", lambda *_: gauge.inc())
    event.listen(engine, "checkin", lambda *_: gauge.dec())  # also for a connection invalidated while out


def database_label(url: URL) -> str:
    """The database's name (PostgreSQL) or file name without its extension (SQLite): never credentials."""
    database = url.database or ""
    return os.path.splitext(os.path.basename(database))[0] if url.get_backend_name() == "sqlite" else database
