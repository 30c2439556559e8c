"""Partner-service fixtures: tenants made the way the platform makes them (auth's event + the operator command)."""
from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from stvos_partner.adapters import orm
from stvos_partner.admin import create_partner_staff

from services.partner.tests.support import PASSWORD, Tenant, announce_client, bearer


@pytest.fixture
def partner(platform):
    """The partner service's container inside the embedded platform."""
    return platform.containers["partner"]


@pytest.fixture
def login(gateway) -> Callable[[str, str], dict[str, Any]]:
    def do(email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = gateway.post("/partner-auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]

    return do


@pytest.fixture
def make_tenant(partner, login) -> Callable[..., Tenant]:
    """A tenant with an admin and a staff member logged in through the gateway."""
    ids = itertools.count(1)

    def make(name: str | None = None) -> Tenant:
        client_id = next(ids)
        announce_client(partner, client_id, name or f"Studio {client_id}")
        admin_email, staff_email = f"admin{client_id}@partner.test", f"staff{client_id}@partner.test"
        create_partner_staff(partner, client_id, admin_email, PASSWORD)
        create_partner_staff(partner, client_id, staff_email, PASSWORD, role="staff")
        return Tenant(client_id, admin_email, bearer(login(admin_email)["accessToken"]),
                      bearer(login(staff_email)["accessToken"]))

    return make


@pytest.fixture
def outbox_events(partner) -> Callable[[str], list[dict[str, Any]]]:
    """The events the partner service wrote to its outbox, by type."""
    def read(type_: str) -> list[dict[str, Any]]:
        table = orm.outbox.table
        with partner.db.unit_of_work(write=False) as session:
            rows = session.execute(select(table.c.payload, table.c.client_id).where(table.c.type == type_)
                                   .order_by(table.c.seq)).all()
        return [{"clientId": row.client_id, **json.loads(row.payload)} for row in rows]

    return read
