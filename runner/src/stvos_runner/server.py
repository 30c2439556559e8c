"""`stvos run`: the embedded platform served on one port, the demo tenant seeded.

With METRICS_PORT set it serves every service's Prometheus metrics on that port. It stops on the first
SIGTERM or SIGINT (a second one ends it at once): readiness turns 503, no new connection is accepted,
the requests in hand are answered (for at most STOP_GRACE_SECONDS), then every relay finishes its batch
and every event still pending is delivered before the databases close.
"""
from __future__ import annotations

import logging
import threading
import time

from stvos_gateway.http_server import make_gateway_server
from stvos_gateway.routes import load_table
from stvos_shared import heap
from stvos_shared.app_factory import lifecycle
from stvos_shared.events.backlog import OutboxBacklog
from stvos_shared.files import private_dir
from stvos_shared.metrics import serve_metrics
from stvos_shared.observability import configure_logging
from stvos_shared.settings import MetricsSettings
from stvos_shared.signals import stop_on_signals
from stvos_shared.tracing import configure_tracing

from .demo import ensure_demo
from .platform import EmbeddedPlatform
from .settings import RunnerSettings

log = logging.getLogger("stvos.server")
STOP_GRACE_SECONDS = 20.0  # the longest the requests in hand may take once a stop is asked for


def serve(settings: RunnerSettings) -> int:
    """Serve until SIGINT/SIGTERM, then stop gracefully."""
    stop = stop_on_signals()  # first: every thread started later leaves the signals to the watcher
    configure_logging("INFO")
    configure_tracing("embedded")
    private_dir(settings.var_dir)  # databases and credentials live here
    table = load_table(settings.routes)
    platform = EmbeddedPlatform(settings.var_dir, table=table)
    platform.start()
    _serve_metrics(platform)
    gateway_url = f"http://{settings.host}:{settings.port}"
    ensure_demo(platform, settings.var_dir, gateway_url)
    heap.settle()
    server = make_gateway_server(settings.host, settings.port, platform.gateway, table.limits.read_timeout_seconds)
    serving = threading.Thread(target=server.serve_forever, name="gateway", daemon=True)
    serving.start()
    print(f"stvos: gateway on {gateway_url}; demo credentials in {settings.var_dir}/demo.json", flush=True)
    stop.wait()
    _stop(server, serving, platform)
    return 0


def _serve_metrics(platform: EmbeddedPlatform) -> None:
    """With METRICS_PORT set, every service's metrics (one process, one registry) and each outbox's backlog."""
    from prometheus_client import REGISTRY

    if serve_metrics(MetricsSettings.from_env()):
        for name, container in platform.containers.items():
            REGISTRY.register(OutboxBacklog(name, container.db, container.outbox))


def _stop(server, serving: threading.Thread, platform: EmbeddedPlatform) -> None:
    """Not ready, no new connections, the requests in hand answered, then every pending event delivered."""
    started = time.monotonic()
    for app in platform.apps.values():
        lifecycle(app).begin_stop()
    server.shutdown()
    serving.join(STOP_GRACE_SECONDS)
    if not server.wait_answered(max(0.0, STOP_GRACE_SECONDS - (time.monotonic() - started))):
        log.warning("requests still running after %.0f s; stopping without them", STOP_GRACE_SECONDS)
    delivered = platform.stop(deliver_pending=True)
    log.info("stopped in %.1f s; %d pending events delivered", time.monotonic() - started, delivered)
