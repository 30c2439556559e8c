"""Settings of the auth service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass, field

from stvos_shared.credentials.settings import CredentialSettings
from stvos_shared.keywrap import embedded_kek
from stvos_shared.settings import env_int, env_keks, env_str, sqlite_url


@dataclass(frozen=True)
class Settings:
    database_url: str
    partner_url: str = "inproc://partner"
    catalog_url: str = "inproc://catalog"
    broker_url: str = ""
    log_level: str = "INFO"
    # The key-encryption keys sealing the signing keys at rest (SIGNING_KEY_KEK: the first seals, all open).
    signing_key_kek: tuple[str, ...] = field(default=(), repr=False)
    # Passwords, token lifetimes and the login guard (same knob names as the partner service).
    credentials: CredentialSettings = field(default_factory=CredentialSettings)
    # How long this process trusts its answer for a valid API key: 0, as the gateways cache it for a second
    # and a revoked key must stop within two.
    key_cache_ok_seconds: int = 0
    key_cache_denied_seconds: int = 2

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "auth")),
            partner_url=env_str("PARTNER_URL", "http://127.0.0.1:8105"),
            catalog_url=env_str("CATALOG_URL", "http://127.0.0.1:8102"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            signing_key_kek=env_keks("SIGNING_KEY_KEK"),  # none: refuse to start (KekError says why)
            credentials=CredentialSettings.from_env(),
            key_cache_ok_seconds=env_int("KEY_CACHE_OK_SECONDS", 0),
            key_cache_denied_seconds=env_int("KEY_CACHE_DENIED_SECONDS", 2),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`, the KEK var/signing-key.kek."""
        return cls(database_url=sqlite_url(var_dir, "auth"), signing_key_kek=embedded_kek(var_dir))
