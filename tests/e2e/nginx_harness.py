"""Real nginx in front of the five service apps served over HTTP: what the nginx e2e tests stand on."""
from __future__ import annotations

import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests
from stvos_gateway import nginx
from stvos_gateway.embedded import KEY_CHECK_PATH
from stvos_gateway.routes import RouteTable
from werkzeug.serving import make_server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Seen:
    method: str
    path: str
    client_id: str | None
    request_id: str | None
    traceparent: str | None = None
    tracestate: str | None = None


@dataclass
class CountingApp:
    """A WSGI wrapper that remembers every request reaching the service (the key check apart)."""

    app: Any
    seen: list[Seen] = field(default_factory=list)
    key_checks: list[Seen] = field(default_factory=list)

    def __call__(self, environ, start_response):
        seen = Seen(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("HTTP_X_CLIENT_ID"),
                    environ.get("HTTP_X_REQUEST_ID"), environ.get("HTTP_TRACEPARENT"), environ.get("HTTP_TRACESTATE"))
        (self.key_checks if seen.path == KEY_CHECK_PATH else self.seen).append(seen)
        return self.app(environ, start_response)


class Upstreams:
    """Each app as a real threaded HTTP server on a free port."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.apps = {name: CountingApp(app) for name, app in apps.items()}
        self.servers = {name: make_server("127.0.0.1", 0, app, threaded=True) for name, app in self.apps.items()}
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def ports(self) -> dict[str, int]:
        return {name: server.server_port for name, server in self.servers.items()}

    def reached(self) -> dict[str, int]:
        """How many requests each service has served (key checks not counted)."""
        return {name: len(app.seen) for name, app in self.apps.items()}

    def close(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


class NginxGateway:
    """A private nginx (own prefix, pid and temp files) rendered from `table`, pointed at `ports`."""

    def __init__(self, directory: Path, table: RouteTable, ports: dict[str, int], openapi: dict | None = None) -> None:
        self.port, self.status_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        options = nginx.local_options(f"127.0.0.1:{self.port}", workers="1",
                                      status_listen=f"127.0.0.1:{self.status_port}")
        self.directory = nginx.write(directory, nginx.render(replace(table, services=ports), options, openapi),
                                     options)
        self.process = subprocess.Popen(nginx.command(self.directory), stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not answer /healthz")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, self.url + path, timeout=10, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stderr.close()
