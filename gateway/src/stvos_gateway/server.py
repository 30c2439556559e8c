"""`stvos run`: the embedded platform served on one port, the demo tenant seeded."""
from __future__ import annotations

import logging
import signal
import threading

from stvos_shared.observability import configure_logging
from werkzeug.serving import make_server

from .demo import ensure_demo
from .platform import EmbeddedPlatform

log = logging.getLogger("stvos.server")


def serve(var_dir: str, host: str, port: int) -> int:
    """Serve until SIGINT/SIGTERM."""
    configure_logging("INFO")
    platform = EmbeddedPlatform(var_dir)
    platform.start()
    gateway_url = f"http://{host}:{port}"
    ensure_demo(platform, var_dir, gateway_url)
    server = make_server(host, port, platform.gateway, threaded=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"stvos: gateway on {gateway_url}; demo credentials in {var_dir}/demo.json", flush=True)
    stop.wait()
    server.shutdown()
    platform.stop()
    return 0
