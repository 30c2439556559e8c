"""Credentials: API key and master key digests (password length and hashing are stvos_shared.passwords)."""
from __future__ import annotations

import hashlib
import hmac
import secrets

API_KEY_PREFIX = "stv_"
MASTER_KEY_PREFIX = "stvm_"


def digest(secret: str) -> str:
    """SHA-256 (hex) of a high-entropy secret (API keys, the master key): fast and sufficient for them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_master_key() -> str:
    return MASTER_KEY_PREFIX + secrets.token_urlsafe(32)
