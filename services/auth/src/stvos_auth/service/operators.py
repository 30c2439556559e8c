"""What operators do (the `stvos admin` CLI and the demo seed): clients, API keys, the master trainer key,
signing keys. Every secret is returned once and stored only as its SHA-256 digest."""
from __future__ import annotations

from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.emails import normalise_email
from stvos_shared.errors import NotFound, invalid_fields
from stvos_shared.passwords import Passwords
from stvos_shared.signing_keys import SigningKeys

from ..adapters.repository import Repositories
from ..domain.credentials import digest, new_api_key, new_master_key
from ..domain.events import ClientCreated
from .keycheck import MASTER_KEY_SETTING, KeyCheck

MAX_NAME = 120
MAX_RATE = 1_000_000


class Operators:
    def __init__(self, uow: UnitOfWork[Repositories], keys: KeyCheck, signing: SigningKeys,
                 passwords: Passwords) -> None:
        self._uow, self._keys, self._signing, self._passwords = uow, keys, signing, passwords

    def create_client(self, name: str, branding: dict[str, Any] | None = None) -> dict[str, Any]:
        """A tenant and its first API key: {"clientId", "apiKey"} (the key is shown only here)."""
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME:
            raise invalid_fields(name=f"A client needs a name of 1 to {MAX_NAME} characters.")
        if branding is not None and not isinstance(branding, dict):
            raise invalid_fields(branding="Branding must be a JSON object.")
        api_key = new_api_key()
        with self._uow() as repos:
            client_id = repos.clients.add(name, branding or {})
            repos.api_keys.add(client_id, digest(api_key))
            repos.outbox.add(ClientCreated(client_id, name, branding or {}), client_id)
        return {"clientId": client_id, "apiKey": api_key}

    def client_exists(self, client_id: int) -> bool:
        with self._uow(write=False) as repos:
            return repos.clients.exists(client_id)

    def issue_api_key(self, client_id: int) -> dict[str, Any]:
        """An additional API key for a client (to rotate: issue, deploy, then revoke the old one)."""
        api_key = new_api_key()
        with self._uow() as repos:
            if not repos.clients.exists(client_id):
                raise NotFound(f"No client with id {client_id}.", code="CLIENT_NOT_FOUND")
            repos.api_keys.add(client_id, digest(api_key))
        return {"clientId": client_id, "apiKey": api_key}

    def revoke_api_key(self, client_id: int, api_key: str) -> dict[str, bool]:
        """Revoke one of a client's keys, named by the key itself (only its digest is stored); 404 if not theirs."""
        with self._uow() as repos:
            if not repos.api_keys.revoke(client_id, digest(api_key)):
                raise NotFound(f"Client {client_id} has no such API key.", code="API_KEY_NOT_FOUND")
        self._keys.forget()
        return {"revoked": True}

    def set_password(self, client_id: int, email: str, password: str) -> bool:
        """Give an account of the tenant a new password and end its sessions; False if there is no such account."""
        password_hash = self._passwords.hash(password)  # before the write lock: hashing takes a while
        with self._uow() as repos:
            user = repos.users.by_email(client_id, normalise_email(email))
            if user is None:
                return False
            repos.users.set_password_hash(user.id, password_hash)
            repos.sessions.end_all(user.id, "password_set")
        return True

    def set_rate_limit(self, client_id: int, rate: int | None) -> dict[str, Any]:
        """The requests per second the gateways allow the client's whole app (None: their default); in force
        at every gateway within its key cache's second."""
        if rate is not None and not 1 <= rate <= MAX_RATE:
            raise invalid_fields(rate=f"A rate is 1 to {MAX_RATE} requests per second.")
        with self._uow() as repos:
            if not repos.clients.set_rate_limit(client_id, rate):
                raise NotFound(f"No client with id {client_id}.", code="CLIENT_NOT_FOUND")
        return {"clientId": client_id, "rateLimit": rate}

    def set_master_trainer_key(self) -> dict[str, str]:
        """Create or rotate the master trainer key: {"masterTrainerKey"} (shown only here; the old one stops)."""
        master_key = new_master_key()
        with self._uow() as repos:
            repos.settings.put(MASTER_KEY_SETTING, digest(master_key))
        self._keys.forget()
        return {"masterTrainerKey": master_key}

    def rotate_signing_key(self) -> dict[str, str]:
        """Sign new tokens with a fresh key; the old keys stay in the JWKS so their tokens still verify."""
        return {"kid": self._signing.rotate()}
