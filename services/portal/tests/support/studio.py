"""A tenant with a trainer, made through the embedded platform the way operators and people make them."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@dataclass
class Studio:
    client_id: int
    api_key: str
    trainer_id: int
    trainer_token: str

    @property
    def key(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key}

    def bearer(self, token: str | None = None) -> dict[str, str]:
        return {**self.key, "Authorization": f"Bearer {token or self.trainer_token}"}


def _ok(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()["data"]


def open_studio(platform: Any, gateway: Any, name: str = "Studio") -> Studio:
    """A tenant, its partner admin, a trainer record (partner API) and the trainer's account (trainer-auth)."""
    n = next(_numbers)
    tenant = auth_admin.create_client(platform.containers["auth"], name=f"{name} {n}")
    admin = {"email": f"admin{n}@studio.test", "password": PASSWORD}
    partner_admin.create_partner_staff(platform.containers["partner"], tenant["clientId"], role="admin", **admin)
    staff = _ok(gateway.post("/partner-auth/login", json=admin), 200)["accessToken"]
    trainer_email = f"coach{n}@studio.test"
    trainer = _ok(gateway.post("/partner/trainers", json={"name": f"Coach {n}", "email": trainer_email,
                                                          "timezone": "Europe/London"},
                               headers={"Authorization": f"Bearer {staff}"}), 201)["trainer"]
    key = {"X-API-Key": tenant["apiKey"]}
    account = _ok(gateway.post("/trainer-auth/register", json={"email": trainer_email, "password": PASSWORD},
                               headers=key), 201)
    return Studio(tenant["clientId"], tenant["apiKey"], trainer["id"], account["accessToken"])


def register_user(gateway: Any, studio: Studio, email: str, name: str, coach_id: int | None = None) -> dict:
    """A user of the studio (a client of `coach_id` when given): the registration's data, tokens included."""
    body: dict[str, Any] = {"email": email, "password": PASSWORD, "name": name}
    if coach_id is not None:
        body["coachId"] = coach_id
    return _ok(gateway.post("/auth/register", json=body, headers=studio.key), 201)


def route_missing(platform: Any, service: str, path: str) -> bool:
    """`service` has no such route yet (a bare 404 NOT_FOUND rather than its own answer)."""
    response = platform.apps[service].test_client().get(path)
    return response.status_code == 404 and (response.get_json() or {}).get("error", {}).get("code") == "NOT_FOUND"
