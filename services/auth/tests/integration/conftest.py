"""Fixtures for the identity service's integration tests: tenants, trainer records, tuned platforms."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from stvos_auth import admin
from stvos_auth.config import Settings
from stvos_gateway.routes import load_table
from stvos_runner.platform import EmbeddedPlatform
from stvos_shared.events import Event

from tests.fixtures.platform import Gateway
from tests.fixtures.settings import tuned

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Tenant:
    client_id: int
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}

    def bearer(self, token: str) -> dict[str, str]:
        return {"X-API-Key": self.api_key, "Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(platform: EmbeddedPlatform):
    """The auth service's container inside the embedded platform."""
    return platform.containers["auth"]


@pytest.fixture
def new_tenant(auth) -> Callable[..., Tenant]:
    def create(name: str = "Studio One", branding: dict[str, Any] | None = None) -> Tenant:
        created = admin.create_client(auth, name=name, branding=branding)
        return Tenant(created["clientId"], created["apiKey"])

    return create


@pytest.fixture
def tenant(new_tenant) -> Tenant:
    return new_tenant("Studio One", {"primaryColor": "#112233"})


@pytest.fixture
def add_trainer(auth) -> Callable[..., int]:
    """A trainer record as the partner service announces it (partner.trainer.* through the auth consumer)."""

    def publish(client_id: int, trainer_id: int, email: str, name: str = "Coach Mike",
                specialisations: tuple[str, ...] = ("strength", "hiit"), event: str = "created") -> int:
        data = {"trainerId": trainer_id, "name": name, "email": email, "bio": "", "image": None,
                "specialisations": list(specialisations), "timezone": "Europe/London",
                "active": event != "deactivated"}
        auth.consumer.handle(Event(type=f"partner.trainer.{event}", data=data, client_id=client_id))
        return trainer_id

    return publish


@pytest.fixture
def register(gateway: Gateway) -> Callable[..., dict[str, Any]]:
    """Register a user through the gateway and return the response data (asserting 201)."""

    def call(tenant: Tenant, email: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
        response = gateway.post("/auth/register", json={"email": email, "password": password, **extra},
                                headers=tenant.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["data"]

    return call


@pytest.fixture
def tuned_gateway(tmp_path, monkeypatch) -> Iterator[Callable[..., Gateway]]:
    """A platform whose auth service runs with some settings changed (small limits, short lockouts)."""
    platforms: list[EmbeddedPlatform] = []

    def build(**overrides: Any) -> Gateway:
        original, embedded = Settings.__dict__["embedded"], Settings.embedded
        monkeypatch.setattr(Settings, "embedded", classmethod(lambda cls, var: tuned(embedded(var), **overrides)))
        instance = EmbeddedPlatform(str(tmp_path / f"var{len(platforms)}"), table=load_table().unlimited())
        monkeypatch.setattr(Settings, "embedded", original)
        platforms.append(instance)
        return Gateway(instance)

    yield build
    for instance in platforms:
        instance.stop()


def outbox_events(auth, event_type: str) -> list[dict[str, Any]]:
    """Events of `event_type` the auth service has written to its outbox, oldest first."""
    table = auth.outbox.table
    with auth.db.unit_of_work(write=False) as session:
        rows = session.execute(select(table).where(table.c.type == event_type).order_by(table.c.seq)).all()
    return [{"clientId": row.client_id, **json.loads(row.payload)} for row in rows]


@pytest.fixture
def events(auth) -> Callable[[str], list[dict[str, Any]]]:
    return lambda event_type: outbox_events(auth, event_type)
