"""The operator entry points the `stvos admin` CLI and the demo seed call (each takes the service's container)."""
from __future__ import annotations

from typing import Any

from .bootstrap import AuthContainer


def create_client(container: AuthContainer, name: str, branding: dict[str, Any] | None = None) -> dict[str, Any]:
    return container.operators.create_client(name, branding)


def client_exists(container: AuthContainer, client_id: int) -> bool:
    return container.operators.client_exists(client_id)


def issue_api_key(container: AuthContainer, client_id: int) -> dict[str, Any]:
    return container.operators.issue_api_key(client_id)


def revoke_api_key(container: AuthContainer, client_id: int, api_key: str) -> dict[str, bool]:
    return container.operators.revoke_api_key(client_id, api_key)


def set_password(container: AuthContainer, client_id: int, email: str, password: str) -> bool:
    return container.operators.set_password(client_id, email, password)


def set_rate_limit(container: AuthContainer, client_id: int, rate: int | None) -> dict[str, Any]:
    return container.operators.set_rate_limit(client_id, rate)


def set_master_trainer_key(container: AuthContainer) -> dict[str, str]:
    return container.operators.set_master_trainer_key()


def rotate_signing_key(container: AuthContainer) -> dict[str, str]:
    return container.operators.rotate_signing_key()


def rewrap_signing_keys(container: AuthContainer) -> dict[str, int]:
    return {"rewrapped": container.signing.rewrap()}


def retire_unreadable_signing_keys(container: AuthContainer) -> dict[str, list[str]]:
    return {"retired": container.signing.retire_unreadable()}
