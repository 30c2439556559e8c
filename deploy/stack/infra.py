"""What the stack stands on: its settings, and the machine's PostgreSQL, RabbitMQ and nginx.

Environment (defaults): STVOS_STACK_POSTGRES_URL (postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
STVOS_STACK_BROKER_URL (amqp://guest:guest@127.0.0.1:5672/%2F), STVOS_STACK_DB_PREFIX (stvos: databases
stvos_auth, ...; also names the stack's exchange and queues), STVOS_STACK_HOST (127.0.0.1), STVOS_STACK_PORT
(8088), STVOS_STACK_PORT_OFFSET (0, added to the service ports of routes.toml), STVOS_STACK_WORKERS (2
gunicorn workers per API), STVOS_STACK_SEED (1), STVOS_VAR_DIR (var), SIGNING_KEY_KEK (the key-encryption
keys of auth's and partner's signing keys; unset: var/signing-key.kek, made once, as `make run` does);
STVOS_ROUTES (gateway/routes.toml: the route table, its limits and ports, as `stvos run` reads it).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from procs import Processes

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("auth", "catalog", "booking", "portal", "partner")
ISSUERS = ("auth", "partner")  # the services that sign tokens, with keys sealed by the KEK
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Stack:
    admin_url: str
    broker_url: str
    prefix: str
    host: str
    port: int
    port_offset: int
    workers: int
    seed: bool
    var_dir: Path

    @property
    def keks(self) -> tuple[str, ...]:
        """The signing keys' KEKs: SIGNING_KEY_KEK, else var/signing-key.kek (made on first use, its owner's only)."""
        from stvos_shared.keywrap import embedded_kek, parse_keks

        given = os.environ.get("SIGNING_KEY_KEK", "")
        return parse_keks(given) if given else embedded_kek(str(self.var_dir))

    @classmethod
    def from_env(cls) -> Stack:
        env = os.environ.get
        prefix = env("STVOS_STACK_DB_PREFIX") or "stvos"
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", prefix):
            raise SystemExit(f"STVOS_STACK_DB_PREFIX must be a lower-case identifier, not {prefix!r}")
        return cls(admin_url=env("STVOS_STACK_POSTGRES_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                   broker_url=env("STVOS_STACK_BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672/%2F",
                   prefix=prefix, host=env("STVOS_STACK_HOST") or "127.0.0.1",
                   port=int(env("STVOS_STACK_PORT") or 8088), port_offset=int(env("STVOS_STACK_PORT_OFFSET") or 0),
                   workers=int(env("STVOS_STACK_WORKERS") or 2), seed=(env("STVOS_STACK_SEED") or "1") != "0",
                   var_dir=(ROOT / (env("STVOS_VAR_DIR") or "var")).resolve())

    @property
    def state_dir(self) -> Path:
        return self.var_dir / "stack"

    @property
    def socket_dir(self) -> Path:
        """Where each API's gunicorn also listens, on a unix socket, for nginx on this host (<service>.sock)."""
        return self.state_dir / "sockets"

    def sockets(self) -> dict[str, str]:
        """Each service's unix socket; a path too long for one (a deep STVOS_VAR_DIR), or for nginx's own
        key-check socket, stops the stack here."""
        from stvos_gateway.nginx import NginxOptions, key_check_socket, upstream_socket

        try:
            sockets = {name: upstream_socket(self.socket_dir, name) for name in self.ports()}
            key_check_socket(self.state_dir / "nginx", NginxOptions.run_dir)
            return sockets
        except ValueError as error:
            raise SystemExit(f"stack: {error} (it lives under STVOS_VAR_DIR, {self.var_dir})") from None

    @property
    def gateway_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def database_url(self, service: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=self.database(service)).render_as_string(hide_password=False)

    def table(self):
        """The route table (STVOS_ROUTES, else gateway/routes.toml)."""
        from stvos_gateway.routes import TableSettings, load_table

        return load_table(TableSettings.from_env().path)

    def ports(self) -> dict[str, int]:
        return {name: port + self.port_offset for name, port in self.table().services.items()}

    def service_env(self, service: str) -> dict[str, str]:
        peers = {f"{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in self.ports().items()}
        return {**os.environ, **peers, "DATABASE_URL": self.database_url(service), "BROKER_URL": self.broker_url,
                "BROKER_EXCHANGE": f"{self.prefix}.events", "BROKER_QUEUE_PREFIX": f"{self.prefix}.",
                "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
                **({"SIGNING_KEY_KEK": ",".join(self.keks)} if service in ISSUERS else {})}


# -- the servers this stack stands on -------------------------------------------------------------

def ensure_nginx() -> str:
    """The nginx binary, installed from Debian's packages if missing (needs root)."""
    from stvos_gateway.nginx import find_nginx

    if binary := find_nginx():
        return binary
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("nginx is not installed: run `sudo apt-get install -y nginx-light` and try again")
    print("stack: installing nginx-light from Debian's packages", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run(["apt-get", "update", "-qq"], **quiet)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], env={**os.environ,  # noqa: S607
                   "DEBIAN_FRONTEND": "noninteractive"}, **quiet)
    return find_nginx() or sys.exit("nginx-light installed, but no nginx binary found")


def ensure_broker(stack: Stack) -> None:
    import pika

    try:
        pika.BlockingConnection(pika.URLParameters(stack.broker_url)).close()
    except Exception as error:
        raise SystemExit(f"RabbitMQ is not reachable at {stack.broker_url}: {error}") from error


def create_databases(stack: Stack) -> None:
    """One database per service, created if missing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(stack.admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool,
                           connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            existing = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
            for service in SERVICES:
                if stack.database(service) not in existing:
                    connection.execute(text(f'CREATE DATABASE "{stack.database(service)}"'))
    except Exception as error:
        raise SystemExit(f"PostgreSQL at {stack.admin_url}: {error}") from error
    finally:
        engine.dispose()


def migrate(stack: Stack, processes: Processes) -> None:
    for service in SERVICES:
        processes.logs.mkdir(parents=True, exist_ok=True)
        with open(processes.logs / f"migrate-{service}.log", "ab") as log:
            done = subprocess.run([sys.executable, "-m", "stvos_shared.migrations", "upgrade", service],  # noqa: S603
                                  env=stack.service_env(service), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            raise SystemExit(f"migrating {service} failed:\n{processes.log_tail(f'migrate-{service}')}")


def drop_databases(stack: Stack) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(stack.admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        for service in SERVICES:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{stack.database(service)}" WITH (FORCE)'))
    engine.dispose()


def delete_broker_objects(stack: Stack) -> None:
    """The stack's own exchange and queues (named by its prefix); nothing else on the broker."""
    import pika

    exchange = f"{stack.prefix}.events"
    connection = pika.BlockingConnection(pika.URLParameters(stack.broker_url))
    try:
        channel = connection.channel()
        for service in SERVICES:
            for suffix in ("", ".retry", ".dead"):
                channel.queue_delete(f"{stack.prefix}.{service}{suffix}")
        channel.queue_delete(f"{exchange}.unrouted")
        channel.exchange_delete(exchange)
        channel.exchange_delete(f"{exchange}.unrouted")
    finally:
        connection.close()
