"""Operator functions (the `stvos admin` CLI and the demo seed): clients, API keys, the master trainer key.

Every secret is returned once and stored only as its SHA-256 digest.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select, update
from stvos_shared.db import utcnow
from stvos_shared.errors import NotFound, ValidationFailed

from .adapters.orm import api_keys, clients, service_settings
from .bootstrap import AuthContainer
from .domain.credentials import digest, new_api_key, new_master_key
from .domain.events import ClientCreated
from .service.keycheck import MASTER_KEY_SETTING

MAX_NAME = 120


def create_client(container: AuthContainer, name: str, branding: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create a tenant and its first API key: {"clientId", "apiKey"} (the key is shown only here)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        message = f"A client needs a name of 1 to {MAX_NAME} characters."
        raise ValidationFailed(message, details={"fields": {"name": [message]}})
    if branding is not None and not isinstance(branding, dict):
        message = "Branding must be a JSON object."
        raise ValidationFailed(message, details={"fields": {"branding": [message]}})
    api_key = new_api_key()
    with container.db.unit_of_work() as session:
        client_id = int(session.execute(insert(clients).values(name=name, branding=branding or {},
                                                               created_at=utcnow())).inserted_primary_key[0])
        session.execute(insert(api_keys).values(client_id=client_id, key_hash=digest(api_key), created_at=utcnow()))
        container.outbox.add(session, ClientCreated(client_id, name, branding or {}), client_id)
    return {"clientId": client_id, "apiKey": api_key}


def client_exists(container: AuthContainer, client_id: int) -> bool:
    with container.db.unit_of_work(write=False) as session:
        return session.execute(select(clients.c.id).where(clients.c.id == client_id)).first() is not None


def issue_api_key(container: AuthContainer, client_id: int) -> dict[str, Any]:
    """An additional API key for a client (to rotate: issue, deploy, then revoke the old one)."""
    if not client_exists(container, client_id):
        raise NotFound(f"No client with id {client_id}.", code="CLIENT_NOT_FOUND")
    api_key = new_api_key()
    with container.db.unit_of_work() as session:
        session.execute(insert(api_keys).values(client_id=client_id, key_hash=digest(api_key), created_at=utcnow()))
    return {"clientId": client_id, "apiKey": api_key}


def revoke_api_key(container: AuthContainer, client_id: int, api_key: str) -> dict[str, bool]:
    """Revoke one of a client's keys: {"revoked": true} (again for a key already revoked); 404 if it is not theirs.

    The key itself names it (only its digest is stored). Caches elsewhere forget it within their TTL (seconds).
    """
    key_hash = digest(api_key)
    with container.db.unit_of_work() as session:
        found = session.execute(select(api_keys.c.id).where(api_keys.c.client_id == client_id,
                                                            api_keys.c.key_hash == key_hash)).first()
        if found is None:
            raise NotFound(f"Client {client_id} has no such API key.", code="API_KEY_NOT_FOUND")
        session.execute(update(api_keys).where(api_keys.c.id == found.id, api_keys.c.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    container.keys.forget()
    return {"revoked": True}


def set_master_trainer_key(container: AuthContainer) -> dict[str, str]:
    """Create or rotate the master trainer key: {"masterTrainerKey"} (shown only here; the old one stops working)."""
    master_key = new_master_key()
    with container.db.unit_of_work() as session:
        session.execute(delete(service_settings).where(service_settings.c.name == MASTER_KEY_SETTING))
        session.execute(insert(service_settings).values(name=MASTER_KEY_SETTING, value=digest(master_key),
                                                        updated_at=utcnow()))
    container.keys.forget()
    return {"masterTrainerKey": master_key}


def rotate_signing_key(container: AuthContainer) -> dict[str, str]:
    """Sign new tokens with a fresh key; the old keys stay in the JWKS so their tokens still verify."""
    return {"kid": container.signing.rotate()}
