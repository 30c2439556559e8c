"""The embedded platform: all five services, their relays, consumers and scheduled jobs, in one process on SQLite."""
from __future__ import annotations

import json
import logging
import threading
from typing import Any

from flask import Flask
from stvos_gateway import docs
from stvos_gateway.embedded import KEY_CHECK_PATH, TENANT_RATE_HEADER, EmbeddedGateway, KeyAnswer
from stvos_gateway.routes import RouteTable, load_table
from stvos_shared.events import InProcessTransport
from stvos_shared.events.relay import Relay
from stvos_shared.jobs import JOB_INTERVAL_SECONDS, drain, run_periodically
from stvos_shared.service_client import InProcApps
from werkzeug.test import Client
from werkzeug.wrappers import Response

from .openapi_merge import merged_spec
from .services import PARTS, build_containers

log = logging.getLogger("stvos.platform")
RELAY_INTERVAL_SECONDS = 0.5  # the longest an event waits when no commit wakes its relay


class EmbeddedPlatform:
    """Five apps behind the embedded gateway, events through the in-process transport."""

    def __init__(self, var_dir: str, table: RouteTable | None = None, create_schema: bool = True,
                 database_urls: dict[str, str] | None = None) -> None:
        self.var_dir = var_dir
        self.table = table or load_table()
        self.transport = InProcessTransport()
        self.inproc = InProcApps()
        self.containers = build_containers(var_dir, database_urls, self.inproc)
        self.apps: dict[str, Flask] = {}
        self.relays: list[Relay] = []
        self._wakes: list[threading.Event] = []  # one per relay, set by its service's commits
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        for name, container in self.containers.items():
            if create_schema:
                container.db.create_all()
            self.apps[name] = PARTS[name].app.create_app(container=container)
            self.inproc.register(name, self.apps[name])
            self.relays.append(Relay(container.db, container.outbox, self.transport, service=name))
            self._wakes.append(threading.Event())
            container.db.on_commit(self._wakes[-1].set)
            if container.consumer is not None:
                consumer = container.consumer
                self.transport.subscribe(name, consumer.bindings, consumer.handle)
        self.gateway = EmbeddedGateway(self.table, self.apps, self._check_key, extra={
            "/healthz": self._healthz, "/openapi.json": self._openapi, **docs.routes(self._merged_spec)})
        self._spec: dict[str, Any] | None = None

    def _check_key(self, api_key: str, master_key: str, allow_master: bool) -> KeyAnswer:
        headers = {"X-API-Key": api_key, "X-Master-Trainer-Key": master_key}
        path = KEY_CHECK_PATH + ("?master=1" if allow_master else "")
        response = Client(self.apps["auth"]).get(path, headers={k: v for k, v in headers.items() if v})
        return KeyAnswer(response.status_code == 204, response.headers.get("X-Client-Id"),
                         response.headers.get(TENANT_RATE_HEADER))

    @staticmethod
    def _healthz(environ, start_response):
        body = {"success": True, "data": {"status": "ok", "service": "gateway"}}
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)

    def _merged_spec(self) -> dict[str, Any]:
        if self._spec is None:
            self._spec = merged_spec(self.apps, self.table)
        return self._spec

    def _openapi(self, environ, start_response):
        return Response(json.dumps(self._merged_spec()), mimetype="application/json")(environ, start_response)

    def flush(self) -> int:
        """Relay every outbox and deliver every event until nothing moves (tests and the CLI)."""
        moved_total = 0
        while True:
            moved = sum(relay.run_once() for relay in self.relays) + self.transport.drain()
            moved_total += moved
            if not moved:
                return moved_total

    def start(self) -> None:
        """Deliver events in the background: a relay thread per service (woken by its commits), a thread per queue;
        and run each service's scheduled jobs (booking completing subscriptions) in a thread of their own."""
        self.transport.start()
        for relay, wake in zip(self.relays, self._wakes, strict=True):
            thread = threading.Thread(target=relay.run, args=(self._stop, wake, RELAY_INTERVAL_SECONDS),
                                      name=f"relay-{relay.service}", daemon=True)
            thread.start()
            self._threads.append(thread)
        for name, container in self.containers.items():
            for job in container.jobs:
                thread = threading.Thread(target=run_periodically, name=f"job-{name}-{job.name}", daemon=True,
                                          args=(job, name, self._stop, JOB_INTERVAL_SECONDS))
                thread.start()
                self._threads.append(thread)

    def run_jobs(self) -> dict[str, int]:
        """Drain every service's scheduled jobs once and deliver the events they wrote: {"service/job": rows}."""
        done = {f"{name}/{job.name}": drain(job, name) for name, container in self.containers.items()
                for job in container.jobs}
        self.flush()
        return done

    def stop(self, deliver_pending: bool = False) -> int:
        """Stop the relay and queue threads (each finishes what it has in hand), then, with `deliver_pending`,
        relay and deliver every event still pending (the in-process queues live in memory only); returns
        how many events that moved. The databases are closed last."""
        self._stop.set()
        for wake in self._wakes:
            wake.set()
        self.transport.stop()
        for thread in self._threads:
            thread.join(timeout=2)
        moved = 0
        if deliver_pending:
            try:
                moved = self.flush()
            except Exception:  # a database that went away: what is left stays pending for the next start
                log.exception("delivering the pending events failed")
        for container in self.containers.values():
            container.db.dispose()
        return moved
