"""Settings of the stvos command, read from the environment once."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from stvos_gateway.routes import TableSettings
from stvos_shared.keywrap import parse_keks

from .services import SERVICES


@dataclass(frozen=True)
class RunnerSettings:
    """STVOS_VAR_DIR, STVOS_HOST, STVOS_PORT, STVOS_ROUTES, STVOS_<SERVICE>_DATABASE_URL and SIGNING_KEY_KEK."""

    var_dir: str = "var"
    host: str = "127.0.0.1"
    port: int = 8080
    routes: Path = field(default_factory=lambda: TableSettings().path)
    # Production databases the admin commands act on instead of the embedded ones (by service).
    database_urls: dict[str, str] = field(default_factory=dict)
    # The KEKs of those databases' signing keys (SIGNING_KEY_KEK, as the services read it); unset: var/'s.
    signing_key_kek: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_env(cls) -> RunnerSettings:
        env = os.environ
        urls = {name: env.get(f"STVOS_{name.upper()}_DATABASE_URL", "") for name in SERVICES}
        return cls(var_dir=env.get("STVOS_VAR_DIR", "var"), host=env.get("STVOS_HOST", "127.0.0.1"),
                   port=int(env.get("STVOS_PORT", "8080")), routes=TableSettings.from_env().path,
                   database_urls={name: url for name, url in urls.items() if url},
                   signing_key_kek=parse_keks(kek) if (kek := env.get("SIGNING_KEY_KEK", "")) else ())
