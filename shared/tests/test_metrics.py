"""Prometheus metrics: what an operator scrapes from every API, relay and consumer."""
from __future__ import annotations

import socket

import pytest
import requests
from prometheus_client import REGISTRY
from sqlalchemy import Column, Integer, Table
from stvos_shared.app_factory import create_service_app, lifecycle
from stvos_shared.credentials.login import LoginGuard, login_failures_table
from stvos_shared.credentials.settings import CredentialSettings
from stvos_shared.db import Database, new_metadata
from stvos_shared.errors import RateLimited
from stvos_shared.events import Event, InProcessTransport, Outbox
from stvos_shared.events.backlog import OutboxBacklog
from stvos_shared.events.relay import Relay
from stvos_shared.metrics import serve_metrics
from stvos_shared.passwords import Passwords
from stvos_shared.ratelimit import DatabaseRateLimiter, Rule, rate_limit_table
from stvos_shared.settings import MetricsSettings

from shared.tests.test_rabbitmq_transport import Pipeline


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app():
    made = create_service_app("metered", title="Metered", blueprints=[])

    @made.get("/things/<int:thing_id>")
    def thing(thing_id: int):
        return {"id": thing_id}

    return made


def test_requests_are_counted_and_timed_by_route_template_method_and_status(app):
    route = {"service": "metered", "route": "/things/<int:thing_id>", "method": "GET", "status": "200"}
    unmatched = {**route, "route": "unmatched", "status": "404"}
    before = value("stvos_http_requests_total", **route), value("stvos_http_requests_total", **unmatched)
    timed = value("stvos_http_request_duration_seconds_count", **route)
    client = app.test_client()
    for path in ("/things/1", "/things/2", "/no/such/thing"):
        client.get(path)
    assert value("stvos_http_requests_total", **route) == before[0] + 2
    assert value("stvos_http_requests_total", **unmatched) == before[1] + 1
    assert value("stvos_http_request_duration_seconds_count", **route) == timed + 2


def test_liveness_never_asks_the_database_and_readiness_fails_without_it_or_once_stopping():
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/nothing", new_metadata())
    app = create_service_app("lonely", title="Lonely", blueprints=[], ready=unreachable.ping)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").get_json()["error"]["message"] == "The database is not reachable."
    ready = create_service_app("fine", title="Fine", blueprints=[], ready=lambda: True)
    assert ready.test_client().get("/readyz").status_code == 200
    lifecycle(ready).begin_stop()
    stopping = ready.test_client().get("/readyz")
    assert stopping.status_code == 503 and stopping.get_json()["error"]["message"] == "The service is stopping."
    assert ready.test_client().get("/healthz").status_code == 200


def test_connections_in_use_follow_the_pool(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'pooled.db'}", new_metadata())
    with db.engine.connect(), db.engine.connect():
        assert value("stvos_db_pool_in_use", database="pooled") == 2
    assert value("stvos_db_pool_in_use", database="pooled") == 0
    db.dispose()


def test_events_are_counted_as_published_consumed_retried_and_dead_lettered_by_type(tmp_path):
    def apply(session, event: Event) -> None:
        if event.data["n"] == 2:
            raise RuntimeError("a handler bug")
        pipeline.apply(session, event)

    pipeline = Pipeline(tmp_path, handlers={"test.#": apply})
    transport = InProcessTransport(max_attempts=3)
    transport.subscribe("metered", pipeline.consumer.bindings, pipeline.consumer.handle)
    kind = "test.thing.happened"
    counts = lambda: (value("stvos_events_published_total", service="producer", type=kind),  # noqa: E731
                      value("stvos_events_consumed_total", consumer="test", type=kind, outcome="applied"),
                      value("stvos_events_consumed_total", consumer="test", type=kind, outcome="duplicate"),
                      value("stvos_events_retried_total", queue="metered", type=kind),
                      value("stvos_events_dead_lettered_total", queue="metered", type=kind, reason="failed"))
    before = counts()
    pipeline.write(3)
    Relay(pipeline.producer, pipeline.outbox, transport, service="producer").run_once()
    transport.drain()
    assert pipeline.pending() == 0
    pipeline.consumer.handle(Event(kind, {"n": 0}, client_id=1, id=pipeline.applied()[0]))  # delivered again
    after = counts()
    assert [a - b for a, b in zip(after, before, strict=True)] == [3, 2, 1, 2, 1]


def test_the_outbox_backlog_and_the_age_of_its_oldest_event_are_read_at_each_scrape(tmp_path):
    metadata = new_metadata()
    outbox = Outbox(metadata)
    db = Database(f"sqlite:///{tmp_path / 'backlog.db'}", metadata)
    db.create_all()
    from shared.tests.numbered import numbered

    with db.unit_of_work() as session:
        for n in range(3):
            outbox.add(session, numbered("test.thing.happened", n), client_id=1)
    samples = lambda: {s.name: s.value for family in OutboxBacklog("backlog", db, outbox).collect()  # noqa: E731
                       for s in family.samples}
    pending = samples()
    assert pending["stvos_outbox_pending"] == 3 and pending["stvos_outbox_oldest_pending_age_seconds"] >= 0
    Relay(db, outbox, InProcessTransport()).run_once()
    assert samples() == {"stvos_outbox_pending": 0, "stvos_outbox_oldest_pending_age_seconds": 0.0}
    db.dispose()


def test_rate_limit_refusals_login_failures_and_lockouts_are_counted(open_database):
    metadata = new_metadata()
    Table("people", metadata, Column("id", Integer, primary_key=True))
    failures, limits = login_failures_table(metadata), rate_limit_table(metadata)
    db = open_database(metadata)
    limiter = DatabaseRateLimiter(db, limits)
    refusals = value("stvos_rate_limit_refusals_total", service="", rule="once")
    limiter.enforce(Rule("once", 1, 60), "caller")
    with pytest.raises(RateLimited):
        limiter.enforce(Rule("once", 1, 60), "caller")
    assert value("stvos_rate_limit_refusals_total", service="", rule="once") == refusals + 1
    settings = CredentialSettings(login_pair_failures=2, login_pair_window=60)
    hasher = Passwords()
    guard = LoginGuard(db, failures, hasher, limiter, settings)
    before = value("stvos_login_failures_total", service=""), value("stvos_login_lockouts_total", service="")
    stored = hasher.hash("the right one")
    assert not guard.verify("jane", "10.0.0.1", stored, "wrong") and not guard.verify("jane", "10.0.0.1", None, "x")
    with pytest.raises(RateLimited):
        guard.verify("jane", "10.0.0.1", stored, "the right one")
    assert value("stvos_login_failures_total", service="") == before[0] + 2
    assert value("stvos_login_lockouts_total", service="") == before[1] + 1


def test_a_process_serves_its_metrics_on_its_own_port():
    port = free_port()
    assert not serve_metrics(MetricsSettings(port=0))
    assert serve_metrics(MetricsSettings(port=port))
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    assert "# TYPE stvos_http_requests_total counter" in text and "stvos_db_pool_in_use" in text
