"""The two topologies as fixtures, each checking at teardown that every event was consumed once by every subscriber.

  embedded   the embedded gateway (SQLite, then PostgreSQL: the `platform` fixture's params), events in-process
  on_stack   the production stack through nginx (started once a session), events over RabbitMQ

Test modules import these fixtures (`from tests.proofs.topologies import embedded, on_stack`).
"""
from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures.figures import highest
from tests.fixtures.stack import METRICS, database_url, operator
from tests.proofs.events import (
    Ledger,
    assert_events_consumed_once,
    consumed_metrics,
    handlers_of,
    rabbit_backlog,
    read_ledger,
)
from tests.proofs.flow_steps import EmbeddedHttp, StackHttp, Tenant, Topology

SERVICES = ("auth", "catalog", "booking", "portal", "partner")
STACK_PATIENCE = 30.0  # seconds a step waits for the events it depends on over RabbitMQ
_tenants = itertools.count(1)


def _admin(number: int) -> dict[str, str]:
    return {"email": f"admin{number}-{secrets.token_hex(3)}@proofs.example", "password": "proof-admin-password"}


@pytest.fixture
def embedded(platform, gateway) -> Iterator[Topology]:
    from stvos_auth import admin as auth_admin
    from stvos_partner import admin as partner_admin

    def new_tenant(name: str) -> Tenant:
        number = next(_tenants)
        made = auth_admin.create_client(platform.containers["auth"], name=f"{name} {number}")
        admin = _admin(number)
        partner_admin.create_partner_staff(platform.containers["partner"], made["clientId"], role="admin", **admin)
        return Tenant(made["clientId"], made["apiKey"], admin)

    yield Topology(f"embedded-{platform.containers['auth'].db.engine.dialect.name}", EmbeddedHttp(gateway),
                   new_tenant, patience=0.0)

    def read() -> Ledger:
        platform.flush()
        consumers = {name: c.consumer.bindings for name, c in platform.containers.items() if c.consumer is not None}
        dead = {f"{name}.dead": len(platform.transport.dead_letters(name)) for name in consumers}
        return read_ledger({name: c.db.engine for name, c in platform.containers.items()}, consumers, dead)

    assert_events_consumed_once(read, "embedded", patience=0.0)


def stack_topology(stack: dict[str, Any]) -> Topology:
    """The stack through nginx; the operator's steps run `stvos admin` on its databases."""

    def new_tenant(name: str) -> Tenant:
        number = next(_tenants)
        made = operator(stack, "create-client", f"{name} {number}")
        admin = _admin(number)
        operator(stack, "create-partner-staff", "--client-id", str(made["clientId"]),
                 "--email", admin["email"], "--password", admin["password"])
        return Tenant(made["clientId"], made["apiKey"], admin)

    return Topology("stack", StackHttp(stack["url"]), new_tenant, patience=STACK_PATIENCE)


@pytest.fixture
def on_stack(production_stack) -> Iterator[Topology]:
    yield stack_topology(production_stack)

    engines = {name: stack_database(production_stack, name) for name in SERVICES}
    prefix = production_stack["prefix"]
    queues = [f"{prefix}.{name}{suffix}" for name in SERVICES for suffix in (".dead", ".retry")]

    metrics = {name: f"http://127.0.0.1:{port + METRICS['consumer']}/metrics"
               for name, port in production_stack["ports"].items()}

    def read() -> Ledger:
        ledger = read_ledger(engines, handlers_of(SERVICES), rabbit_backlog(production_stack["amqp"], queues))
        ledger.applied, duplicates = consumed_metrics(metrics)
        highest("redeliveries the inboxes ignored (stack)", duplicates)
        return ledger

    try:
        assert_events_consumed_once(read, "stack", patience=60.0, session_wide=True)
    finally:
        for engine in engines.values():
            engine.dispose()


def stack_database(stack: dict[str, Any], service: str):
    """An engine on one of the stack's databases (the caller disposes of it)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(database_url(stack, service), poolclass=NullPool)
