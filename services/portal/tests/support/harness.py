"""The portal app on its own database, with auth, catalog and booking doubles in-process and a clock it sets."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from stvos_portal import bootstrap
from stvos_portal.adapters import orm
from stvos_portal.app import create_app
from stvos_portal.bootstrap import PortalContainer
from stvos_portal.config import Settings
from stvos_shared.events import Event
from stvos_shared.service_client import InProcApps

from .doubles import AuthDouble, BookingDouble, CatalogDouble
from .events import TENANT, TRAINER, utc


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: utc(2026, 3, 4, 12, 0))  # a Wednesday

    def __call__(self) -> datetime:
        return self.now


class Doubles:
    """auth (its keys), catalog and booking as the portal meets them."""

    def __init__(self) -> None:
        self.auth = AuthDouble()
        self.catalog = CatalogDouble(self.auth.verifier())
        self.booking = BookingDouble(self.auth.verifier())


class Portal:
    """The app, its container and the doubles; requests carry a token and the tenant the gateway would set."""

    def __init__(self, database_url: str, clock: Clock | None = None, doubles: Doubles | None = None,
                 **settings: Any) -> None:
        self.clock = clock or Clock()
        doubles = doubles or Doubles()
        self.auth, self.catalog, self.booking = doubles.auth, doubles.catalog, doubles.booking
        self.apps = InProcApps()
        for name, double in (("auth", self.auth), ("catalog", self.catalog), ("booking", self.booking)):
            self.apps.register(name, double.app)
        self.settings = replace(Settings(database_url=database_url), **settings)
        self.container: PortalContainer = bootstrap.build(self.settings, self.apps, clock=self.clock)
        self.app = create_app(container=self.container)
        self.client: FlaskClient = self.app.test_client()

    def deliver(self, *events: Event) -> None:
        """Hand events to the portal's consumer, as the transport would."""
        for event in events:
            self.container.consumer.handle(event)

    def trainer_token(self, trainer_id: int = TRAINER, client_id: int = TENANT, user_id: int | None = None) -> str:
        return self.auth.token(user_id or 1000 + trainer_id, client_id, trainer_id)

    def headers(self, token: str | None, client_id: int = TENANT) -> dict[str, str]:
        headers = {"X-Client-Id": str(client_id)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def call(self, method: str, path: str, token: str | None = None, client_id: int = TENANT, **kwargs: Any):
        if token is None:
            token = self.trainer_token(client_id=client_id)
        return self.client.open(path, method=method, headers=self.headers(token, client_id), **kwargs)

    def data(self, method: str, path: str, status: int = 200, **kwargs: Any) -> dict[str, Any]:
        """The `data` of a call that must answer `status`."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.get_json()
        return response.get_json()["data"]

    def outbox(self, type_: str) -> list[dict[str, Any]]:
        """Payloads the portal wrote to its outbox, with their clientId."""
        table = orm.outbox.table
        with self.container.db.unit_of_work(write=False) as session:
            rows = session.execute(select(table.c.payload, table.c.client_id).where(table.c.type == type_)
                                   .order_by(table.c.seq)).all()
        return [{"clientId": row.client_id, **json.loads(row.payload)} for row in rows]

    def close(self) -> None:
        self.container.db.dispose()
