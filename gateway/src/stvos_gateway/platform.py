"""The embedded platform: all five services, their relays and consumers, in one process on SQLite."""
from __future__ import annotations

import importlib
import json
import logging
import threading
from typing import Any

from flask import Flask
from stvos_shared.container import ServiceContainer
from stvos_shared.events import InProcessTransport
from stvos_shared.events.relay import Relay
from stvos_shared.service_client import InProcApps
from werkzeug.test import Client
from werkzeug.wrappers import Response

from .embedded import KEY_CHECK_PATH, EmbeddedGateway
from .openapi import docs_page, merged_spec
from .routes import RouteTable, load_table

SERVICES = ("auth", "catalog", "booking", "portal", "partner")
log = logging.getLogger("stvos.platform")


def service_module(service: str, module: str) -> Any:
    """Every service has the same shape: stvos_<service>.{config,bootstrap,app}."""
    return importlib.import_module(f"stvos_{service}.{module}")


def build_containers(var_dir: str, database_urls: dict[str, str] | None = None,
                     apps: InProcApps | None = None) -> dict[str, ServiceContainer]:
    """Each service's composition root on its embedded settings (or the given database URLs)."""
    containers = {}
    for name in SERVICES:
        settings = service_module(name, "config").Settings.embedded(var_dir)
        if database_urls and name in database_urls:
            settings = type(settings)(**{**settings.__dict__, "database_url": database_urls[name]})
        containers[name] = service_module(name, "bootstrap").build(settings, apps)
    return containers


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
        self._wake, self._stop = threading.Event(), threading.Event()
        self._relay_thread: threading.Thread | None = None
        for name, container in self.containers.items():
            if create_schema:
                container.db.create_all()
            self.apps[name] = service_module(name, "app").create_app(container=container)
            self.inproc.register(name, self.apps[name])
            self.relays.append(Relay(container.db, container.outbox, self.transport, service=name))
            container.db.on_commit(self._wake.set)
            if container.consumer is not None:
                consumer = container.consumer
                self.transport.subscribe(name, consumer.bindings, consumer.handle)
        self.gateway = EmbeddedGateway(self.table, self.apps, self._check_key, extra={
            "/healthz": self._healthz, "/openapi.json": self._openapi, "/docs": self._docs})
        self._spec: dict[str, Any] | None = None

    def _check_key(self, api_key: str, master_key: str, allow_master: bool) -> tuple[bool, str | None]:
        headers = {"X-API-Key": api_key, "X-Master-Trainer-Key": master_key}
        path = KEY_CHECK_PATH + ("?master=1" if allow_master else "")
        response = Client(self.apps["auth"]).get(path, headers={k: v for k, v in headers.items() if v})
        return response.status_code == 204, response.headers.get("X-Client-Id")

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

    def _docs(self, environ, start_response):
        return Response(docs_page(self._merged_spec()), mimetype="text/html")(environ, start_response)

    def flush(self) -> int:
        """Relay every outbox and deliver every event until nothing moves (tests and the CLI)."""
        moved_total = 0
        while True:
            moved = sum(relay.run_once() for relay in self.relays) + self.transport.drain()
            moved_total += moved
            if not moved:
                return moved_total

    def start(self) -> None:
        """Deliver events in the background: one relay thread, one thread per consumer queue."""
        self.transport.start()
        self._relay_thread = threading.Thread(target=self._relay_loop, name="relay", daemon=True)
        self._relay_thread.start()

    def _relay_loop(self) -> None:
        while not self._stop.is_set():
            try:
                for relay in self.relays:
                    while relay.run_once() == relay.batch_size:
                        pass
            except Exception:
                log.exception("relay failed; retrying")
            self._wake.wait(0.5)
            self._wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.transport.stop()
        if self._relay_thread:
            self._relay_thread.join(timeout=2)
        for container in self.containers.values():
            container.db.dispose()
