"""Alembic, one migration environment per service: the shared env logic, upgrade/downgrade, a revision maker.

Each service keeps `services/<svc>/alembic.ini` and `services/<svc>/migrations/`, whose env.py passes
the service's own metadata: `run_env(metadata)`. The database URL comes from (first wins):
`upgrade_head(service, url)`, `alembic -x url=...`, the DATABASE_URL environment variable.

    python -m stvos_shared.migrations upgrade <service> [--url URL]
    python -m stvos_shared.migrations downgrade <service> [--url URL] [--to base]
    python -m stvos_shared.migrations revision <service> "<message>" [--admin-url URL]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

SERVICES = ("auth", "catalog", "booking", "portal", "partner")
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class MigrationSettings:
    """STVOS_SERVICES_DIR (where services/<svc>/alembic.ini live, in an image), DATABASE_URL, POSTGRES_URL."""

    services_dir: str = ""
    database_url: str = ""
    admin_url: str = DEFAULT_ADMIN_URL

    @classmethod
    def from_env(cls) -> MigrationSettings:
        return cls(services_dir=os.environ.get("STVOS_SERVICES_DIR", ""),
                   database_url=os.environ.get("DATABASE_URL", ""),
                   admin_url=os.environ.get("POSTGRES_URL", DEFAULT_ADMIN_URL))


def service_dir(service: str) -> Path:
    """services/<svc>: where alembic.ini and migrations/ live (STVOS_SERVICES_DIR overrides the lookup)."""
    if root := MigrationSettings.from_env().services_dir:
        return Path(root) / service
    spec = importlib.util.find_spec(f"stvos_{service}")
    if spec is None or spec.origin is None:
        raise LookupError(f"stvos_{service} is not installed")
    directory = Path(spec.origin).resolve().parents[2]  # services/<svc>/src/stvos_<svc>/__init__.py
    if not (directory / "alembic.ini").is_file():
        raise LookupError(f"no alembic.ini in {directory}: set STVOS_SERVICES_DIR to the services/ folder")
    return directory


def alembic_config(service: str, url: str | None = None) -> Config:
    config = Config(str(service_dir(service) / "alembic.ini"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade_head(service: str, url: str) -> None:
    """Bring `service`'s database at `url` to the newest revision."""
    command.upgrade(alembic_config(service, url), "head")


def downgrade(service: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(service, url), revision)


# -- env.py ---------------------------------------------------------------------------------

def run_env(metadata: MetaData) -> None:
    """The whole of an env.py: migrate to the service's `metadata`, online or offline (--sql)."""
    url = _configured_url(context.config)
    options = {"target_metadata": metadata, "compare_type": True, "render_item": _render_item}
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"), **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite",
                              **options)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def _render_item(kind: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Write a service's own TypeDecorator as its plain SQLAlchemy type: revisions never import services."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def _configured_url(config: Config) -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url") \
        or MigrationSettings.from_env().database_url
    if not url:
        raise SystemExit("no database URL: pass -x url=... or set DATABASE_URL")
    return url


# -- scratch databases and new revisions ----------------------------------------------------

@contextmanager
def scratch_database(admin_url: str, prefix: str = "stvos_scratch", template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of `template`) on the server of `admin_url`; dropped after."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as connection:
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_revision(service: str, message: str, admin_url: str = DEFAULT_ADMIN_URL) -> None:
    """Autogenerate a revision of `service` against a scratch PostgreSQL database at the current head."""
    with scratch_database(admin_url) as url:
        upgrade_head(service, url)
        command.revision(alembic_config(service, url), message=message, autogenerate=True)


def main(argv: list[str] | None = None) -> None:
    settings = MigrationSettings.from_env()
    parser = argparse.ArgumentParser(prog="python -m stvos_shared.migrations", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("upgrade", "downgrade", "revision"))
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("message", nargs="?", default="")
    parser.add_argument("--url", default=settings.database_url)
    parser.add_argument("--to", default="base", help="downgrade target (default: base)")
    parser.add_argument("--admin-url", default=settings.admin_url)
    args = parser.parse_args(argv)
    if args.action == "revision":
        if not args.message:
            parser.error("revision needs a message")
        make_revision(args.service, args.message, args.admin_url)
    elif not args.url:
        parser.error("no database URL: pass --url or set DATABASE_URL")
    elif args.action == "upgrade":
        upgrade_head(args.service, args.url)
    else:
        downgrade(args.service, args.url, args.to)


if __name__ == "__main__":
    main()
