"""Settings of the partner service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass, field

from stvos_shared.credentials.settings import CredentialSettings
from stvos_shared.keywrap import embedded_kek
from stvos_shared.settings import env_keks, env_str, sqlite_url

# Partner staff tokens live a working day (the auth service's are 15 minutes); the other knobs are shared.
STAFF_ACCESS_TTL = 8 * 3600


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"
    # The key-encryption keys sealing the signing keys at rest (SIGNING_KEY_KEK: the first seals, all open).
    signing_key_kek: tuple[str, ...] = field(default=(), repr=False)
    # Passwords, token lifetimes and the login guard (same knob names as the auth service).
    credentials: CredentialSettings = field(default_factory=lambda: CredentialSettings(
        access_ttl_seconds=STAFF_ACCESS_TTL))

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "partner")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            signing_key_kek=env_keks("SIGNING_KEY_KEK"),  # none: refuse to start (KekError says why)
            credentials=CredentialSettings.from_env(access_ttl_seconds=STAFF_ACCESS_TTL),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`, the KEK var/signing-key.kek."""
        return cls(database_url=sqlite_url(var_dir, "partner"), signing_key_kek=embedded_kek(var_dir))
