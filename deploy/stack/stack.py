"""`make stack`: the production topology on this host, without containers.

    python deploy/stack/stack.py start | stop [--drop-databases] | status

Per service: a database on the machine's PostgreSQL (migrated by Alembic), a gunicorn API, the event
consumer and the outbox relay on the machine's RabbitMQ (and booking's scheduled jobs); in front, nginx
rendered from gateway/routes.toml.
`start` returns once every API is ready and nginx answers; it seeds the demo tenant (var/demo.json) and
writes var/stack.env, from which the `stvos` CLI takes the databases. `stop` ends what `start` started,
and only that. Settings come from the environment: see infra.py.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from infra import (
    BIN,
    ISSUERS,
    ROOT,
    SERVICES,
    Stack,
    create_databases,
    delete_broker_objects,
    drop_databases,
    ensure_broker,
    ensure_nginx,
    migrate,
)
from procs import Processes
from stack_ports import METRICS_PORT_OFFSETS

STACK_ENV = "stack.env"
JOB_RUNNERS = ("booking",)  # the services with scheduled jobs (entrypoints.jobs)
READY_TIMEOUT = float(os.environ.get("STVOS_STACK_TIMEOUT", "120"))


def start_services(stack: Stack, processes: Processes) -> None:
    """Per service: the gunicorn API, the consumer and the relay (and booking's scheduled jobs), all on the
    service's own database.

    The API listens on its TCP port (readiness, the services' calls to each other) and on its unix socket
    under the state directory, where nginx reaches it: on one host that costs both less CPU a request.
    Metrics: the API's (every worker's, summed by gunicorn's master) on the service's port + 1000, the
    consumer's on + 1100, the relay's on + 1200, the jobs' on + 1300.
    """
    ports, sockets = stack.ports(), stack.sockets()
    for service in SERVICES:
        env = stack.service_env(service)
        metrics = {role: str(ports[service] + offset) for role, offset in METRICS_PORT_OFFSETS.items()}
        processes.spawn(f"{service}-api", [
            str(BIN / "gunicorn"), "--config", "python:stvos_shared.gunicorn_conf",
            "--bind", f"127.0.0.1:{ports[service]}", "--bind", f"unix:{sockets[service]}",
            "--workers", str(stack.workers),
            "--threads", "4", "--graceful-timeout", "10", "--name", f"stvos-{service}", f"stvos_{service}.wsgi:app",
        ], {**env, "METRICS_PORT": metrics["api"]}, ROOT)
        for role in ("consumer", "relay", "jobs") if service in JOB_RUNNERS else ("consumer", "relay"):
            processes.spawn(f"{service}-{role}", [sys.executable, "-m", f"stvos_{service}.entrypoints.{role}"],
                            {**env, "METRICS_PORT": metrics[role]}, ROOT)


def start_gateway(stack: Stack, processes: Processes) -> None:
    """nginx rendered from the route table (with the merged OpenAPI document), on the stack's port; it reaches
    each API on the API's unix socket."""
    from stvos_gateway import nginx
    from stvos_runner.openapi_merge import merged_spec
    from stvos_runner.platform import EmbeddedPlatform

    log_dir = processes.logs / "nginx"
    log_dir.mkdir(parents=True, exist_ok=True)
    options = nginx.local_options(f"{stack.host}:{stack.port}", log_dir=str(log_dir),
                                  status_listen=f"127.0.0.1:{stack.port + 1}",  # stub_status, for an exporter
                                  upstream_sockets=str(stack.socket_dir))
    table = replace(stack.table(), services=stack.ports())
    with tempfile.TemporaryDirectory() as scratch:
        platform = EmbeddedPlatform(scratch, table=table, create_schema=False)  # the apps, for their documents
        try:
            openapi = merged_spec(platform.apps, table)
        finally:
            platform.stop()
    directory = nginx.write(stack.state_dir / "nginx", nginx.render(table, options, openapi), options)
    checked = nginx.check(directory)
    if checked.returncode != 0:
        raise SystemExit(f"the rendered nginx configuration is invalid:\n{checked.stderr}")
    processes.spawn("nginx", nginx.command(directory), dict(os.environ), ROOT)


def _exited(processes: Processes, finished: dict[str, int | None]) -> None:
    """Fail on any process that ended, except a consumer that ended cleanly (its service listens to nothing)."""
    for record in processes.records():
        if record.name not in finished and not record.alive:
            finished[record.name] = record.exit_status()
            if not (record.name.endswith("-consumer") and finished[record.name] == 0):
                raise SystemExit(f"{record.name} exited ({finished[record.name]}):\n{processes.log_tail(record.name)}")


def wait_until_ready(stack: Stack, processes: Processes, timeout: float = READY_TIMEOUT) -> float:
    """Every API's /readyz and the gateway's /healthz answer 200; returns the seconds it took."""
    import requests

    started = time.monotonic()
    pending = {f"{name}-api": f"http://127.0.0.1:{port}/readyz" for name, port in stack.ports().items()}
    pending["nginx"] = f"{stack.gateway_url}/healthz"
    finished: dict[str, int | None] = {}
    while pending and time.monotonic() - started < timeout:
        _exited(processes, finished)
        for name, url in list(pending.items()):
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    del pending[name]
            except requests.RequestException:
                pass
        time.sleep(0.25)
    if pending:
        tails = "\n".join(f"--- {name}:\n{processes.log_tail(name)}" for name in pending)
        raise SystemExit(f"not ready after {timeout:.0f}s: {', '.join(pending)}\n{tails}")
    return time.monotonic() - started


def write_stack_env(stack: Stack) -> None:
    """var/stack.env, readable by its owner only: it holds the databases' and the broker's credentials."""
    from stvos_shared.files import write_private

    lines = ["# Written by `make stack`, removed by `make stack-stop`: the stvos CLI acts on these databases."]
    lines += [f"STVOS_{service.upper()}_DATABASE_URL={stack.database_url(service)}" for service in SERVICES]
    lines += [f"STVOS_GATEWAY_URL={stack.gateway_url}", f"STVOS_BROKER_URL={stack.broker_url}"]
    write_private(stack.var_dir / STACK_ENV, "\n".join(lines) + "\n")


@contextmanager
def operator_containers(stack: Stack) -> Iterator[dict]:
    """Every service's composition root on the stack's databases and KEKs, as the `stvos admin` commands use."""
    from stvos_runner.services import build_containers

    databases = {service: stack.database_url(service) for service in SERVICES}
    containers = build_containers(str(stack.var_dir), databases, keks=stack.keks)
    try:
        yield containers
    finally:
        for container in containers.values():
            container.db.dispose()


def retire_unreadable_keys(stack: Stack) -> None:
    """Databases whose signing keys another KEK sealed (a new var/, say a fresh clone, over an older stack's
    databases): retire those keys, so the services make new ones; the tokens they signed stop verifying."""
    from stvos_runner.commands import retire_unreadable_signing_keys

    with operator_containers(stack) as containers:
        for service in ISSUERS:
            if retired := retire_unreadable_signing_keys(containers, service)["retired"]:
                print(f"stack: {len(retired)} {service} signing key(s) in {stack.database(service)} were sealed with "
                      "another KEK (not this var/'s, nor SIGNING_KEY_KEK): retired; a new key signs", flush=True)


def seed(stack: Stack) -> dict:
    """The demo tenant, as `make run` seeds it, through nginx; var/demo.json points at the gateway."""
    from stvos_runner.demo import ensure_demo, http_target

    with operator_containers(stack) as containers:
        return ensure_demo(http_target(containers, stack.gateway_url), str(stack.var_dir), stack.gateway_url)


def start(stack: Stack) -> int:
    processes = Processes(stack.state_dir)
    if any(record.alive for record in processes.records()):
        print("stack: already running (make stack-stop first to restart it)")
        return 0
    from stvos_shared.files import private_dir

    stack.sockets()  # a socket's path too long for one stops the stack before anything is made
    private_dir(stack.state_dir)  # pid files, logs, nginx's key cache: under var/, its owner's only
    private_dir(stack.socket_dir)  # the APIs' sockets: only their owner connects (nginx's workers are the same user)
    ensure_nginx()
    ensure_broker(stack)
    create_databases(stack)
    migrate(stack, processes)
    retire_unreadable_keys(stack)
    try:
        start_services(stack, processes)
        start_gateway(stack, processes)
        took = wait_until_ready(stack, processes)
        write_stack_env(stack)
        seeded = f" with the demo tenant in {stack.var_dir / 'demo.json'}" if stack.seed and seed(stack) else ""
    except BaseException:
        stop(stack, drop=False)
        raise
    print(f"stack: ready in {took:.1f}s on {stack.gateway_url}{seeded}; logs in {processes.logs}")
    return 0


def stop(stack: Stack, drop: bool) -> int:
    stopped = Processes(stack.state_dir).stop()
    (stack.var_dir / STACK_ENV).unlink(missing_ok=True)
    if drop:
        drop_databases(stack)
        delete_broker_objects(stack)
    print(f"stack: stopped {len(stopped)} processes" + (" and dropped its databases" if drop else ""))
    return 0


def status(stack: Stack) -> int:
    records = Processes(stack.state_dir).records()
    print(json.dumps({record.name: {"pid": record.pid, "alive": record.alive} for record in records}, indent=2))
    return 0 if records and all(record.alive or record.name.endswith("-consumer") for record in records) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="stack", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop", "status"))
    parser.add_argument("--drop-databases", action="store_true",
                        help="with stop: also drop the stack's databases and its exchange and queues")
    args = parser.parse_args(argv)
    stack = Stack.from_env()
    if args.action == "start":
        return start(stack)
    return stop(stack, args.drop_databases) if args.action == "stop" else status(stack)


if __name__ == "__main__":
    sys.exit(main())
