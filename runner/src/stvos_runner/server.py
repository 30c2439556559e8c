"""`stvos run`: the embedded platform served on one port, the demo tenant seeded."""
from __future__ import annotations

import logging
import signal
import threading

from stvos_gateway.http_server import make_gateway_server
from stvos_gateway.routes import load_table
from stvos_shared.files import private_dir
from stvos_shared.observability import configure_logging

from .demo import ensure_demo
from .platform import EmbeddedPlatform
from .settings import RunnerSettings

log = logging.getLogger("stvos.server")


def serve(settings: RunnerSettings) -> int:
    """Serve until SIGINT/SIGTERM."""
    configure_logging("INFO")
    private_dir(settings.var_dir)  # databases and credentials live here
    table = load_table(settings.routes)
    platform = EmbeddedPlatform(settings.var_dir, table=table)
    platform.start()
    gateway_url = f"http://{settings.host}:{settings.port}"
    ensure_demo(platform, settings.var_dir, gateway_url)
    server = make_gateway_server(settings.host, settings.port, platform.gateway, table.limits.read_timeout_seconds)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"stvos: gateway on {gateway_url}; demo credentials in {settings.var_dir}/demo.json", flush=True)
    stop.wait()
    server.shutdown()
    platform.stop()
    return 0
