"""Helpers the partner tests share (imported, unlike conftest.py)."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.events import Event

PASSWORD = "correct horse battery"


@dataclass
class Tenant:
    client_id: int
    admin_email: str
    admin: dict[str, str]
    staff: dict[str, str]


def announce_client(container, client_id: int, name: str) -> None:
    """What auth.client.created does when a tenant is made."""
    container.consumer.handle(Event(type="auth.client.created", client_id=client_id,
                                    data={"clientId": client_id, "name": name, "branding": {}}))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def announce_registration(container, client_id: int, user_id: int, code: str | None, redemption_id: int | None,
                          email: str = "user@example.com") -> None:
    """What auth.user.registered does when a user registers (with a voucher when `code` is given)."""
    voucher = {"code": code, "redemptionId": redemption_id} if code else None
    container.consumer.handle(Event(type="auth.user.registered", client_id=client_id, data={
        "userId": user_id, "email": email, "name": None, "role": "user", "coachId": None, "sessionId": None,
        "voucher": voucher}))
