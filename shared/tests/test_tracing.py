"""Traces: one request followed through a service call, the outbox, the relay and the consumer; logs name the trace."""
from __future__ import annotations

import io
import json
import logging

import pytest
from flask import g
from sqlalchemy import insert
from stvos_shared.app_factory import create_service_app
from stvos_shared.db import Database, new_metadata
from stvos_shared.events import Event, Inbox, InProcessTransport, Outbox
from stvos_shared.events.consumer import Consumer
from stvos_shared.events.relay import Relay
from stvos_shared.observability import JsonFormatter
from stvos_shared.service_client import InProcApps, ServiceClient

from shared.tests.numbered import numbered
from tests.fixtures.tracing import hex_trace, parent_id, span_id

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER = f"00-{TRACE}-00f067aa0ba902b7-01"


@pytest.fixture
def services(tmp_path):
    """`front` writes an event to its traced outbox and asks `back`, which answers with the traceparent it got."""
    metadata = new_metadata()
    outbox = Outbox(metadata)
    db = Database(f"sqlite:///{tmp_path / 'front.db'}", metadata)
    db.create_all()
    apps = InProcApps()
    back = create_service_app("back", title="Back", blueprints=[])
    back.get("/echo")(lambda: {"traceparent": g.get("seen_traceparent")})
    back.before_request(lambda: setattr(g, "seen_traceparent", _header("traceparent")))
    front = create_service_app("front", title="Front", blueprints=[])
    client = ServiceClient("inproc://back", apps=apps)

    @front.post("/things")
    def make_thing():
        with db.unit_of_work() as session:
            outbox.add(session, numbered("test.thing.happened", 1), client_id=1)
        return client.get("/echo").body or {}

    apps.register("back", back)
    yield front, db, outbox
    db.dispose()


def _header(name: str) -> str | None:
    from flask import request

    return request.headers.get(name)


def test_a_request_continues_the_callers_trace_into_the_service_it_calls(services, spans):
    front, *_ = services
    answer = front.test_client().post("/things", headers={"traceparent": CALLER}).get_json()
    finished = {span.name: span for span in spans.get_finished_spans()}
    server, client, downstream = finished["POST /things"], finished["GET inproc://back"], finished["GET /echo"]
    assert {hex_trace(server), hex_trace(client), hex_trace(downstream)} == {TRACE}
    assert parent_id(server) == "00f067aa0ba902b7"
    assert parent_id(client) == span_id(server) and parent_id(downstream) == span_id(client)
    assert answer["traceparent"] == f"00-{TRACE}-{span_id(client)}-01"


def test_an_event_carries_its_trace_from_the_request_through_the_relay_to_the_consumer(services, spans, tmp_path):
    front, db, outbox = services
    metadata = new_metadata()
    consumer_db = Database(f"sqlite:///{tmp_path / 'consumer.db'}", metadata)
    inbox = Inbox(metadata)
    consumer_db.create_all()
    seen: list[str | None] = []
    consumer = Consumer("listener", consumer_db, inbox, {"test.#": lambda session, event: seen.append(_log_line())})
    transport = InProcessTransport()
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    front.test_client().post("/things", headers={"traceparent": CALLER})
    Relay(db, outbox, transport, service="front").run_once()
    transport.drain()
    finished = {span.name: span for span in spans.get_finished_spans()}
    server, publish = finished["POST /things"], finished["publish test.thing.happened"]
    process = finished["process test.thing.happened"]
    assert {hex_trace(server), hex_trace(publish), hex_trace(process)} == {TRACE}
    assert parent_id(publish) == span_id(server) and parent_id(process) == span_id(publish)
    assert json.loads(seen[0])["traceId"] == TRACE  # the handler's log lines name the trace too
    consumer_db.dispose()


def test_logs_carry_the_trace_id_beside_the_request_id(services, spans):
    front, *_ = services
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("stvos.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        front.test_client().post("/things", headers={"traceparent": CALLER, "X-Request-ID": "req-42"})
    finally:
        access.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert {(line["requestId"], line["traceId"]) for line in lines} == {("req-42", TRACE)}


def test_an_envelope_without_a_trace_still_parses_and_one_with_it_keeps_it():
    old = b'{"id":"e1","type":"a.b.c","occurredAt":"2026-01-01T00:00:00+00:00","version":1,"clientId":1,"data":{}}'
    assert Event.from_json(old).traceparent is None
    traced = Event("a.b.c", {}, client_id=1, traceparent=CALLER)
    assert Event.from_json(traced.to_json()) == traced
    assert "traceparent" not in json.loads(Event("a.b.c", {}).to_json())


def test_an_event_written_outside_any_trace_carries_none(tmp_path, spans):
    metadata = new_metadata()
    outbox = Outbox(metadata)
    db = Database(f"sqlite:///{tmp_path / 'plain.db'}", metadata)
    db.create_all()
    with db.unit_of_work() as session:
        assert outbox.add(session, numbered("test.thing.happened", 1), client_id=1).traceparent is None
        session.execute(insert(outbox.table).values(event_id="x" * 32, type="test.thing.happened", version=1,
                                                    payload='{"n": 2}', occurred_at=Event("t", {}).occurred_at))
    with db.unit_of_work() as session:
        assert [event.traceparent for _, event in outbox.pending(session, 10, lock=False)] == [None, None]
    db.dispose()


def _log_line() -> str:
    record = logging.LogRecord("stvos.test", logging.INFO, __file__, 1, "handled", None, None)
    return JsonFormatter().format(record)
