"""gunicorn's configuration for every stvos API: one metrics endpoint for all workers, readiness off when stopping.

    gunicorn -c python:stvos_shared.gunicorn_conf --bind HOST:PORT stvos_<service>.wsgi:app

Workers write their metrics to PROMETHEUS_MULTIPROC_DIR (when it is not set, a private directory under
the temporary directory, removed at exit; emptied at start either way) and the master serves their sum on METRICS_PORT
(none when 0), a port the gateway never routes to. On SIGTERM gunicorn stops accepting and lets each
worker finish the requests in hand (graceful_timeout); each worker's /readyz answers 503 from then on.

Nothing here imports prometheus_client at load time: it must see PROMETHEUS_MULTIPROC_DIR (set through
`raw_env` before any worker starts) when it is first imported, or the workers would count in memory.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from stvos_shared import heap
from stvos_shared.settings import MetricsSettings

__all__ = ["child_exit", "graceful_timeout", "keepalive", "on_exit", "on_starting", "post_worker_init", "raw_env",
           "umask", "when_ready", "worker_class"]

_settings = MetricsSettings.from_env()
_created = not _settings.multiprocess_dir
# gunicorn loads this module in its master: the pid names this server's own directory (made in on_starting).
multiprocess_dir = _settings.multiprocess_dir or os.path.join(tempfile.gettempdir(), f"stvos-metrics-{os.getpid()}")
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={multiprocess_dir}"]
graceful_timeout = 20
# gthread, taking a new connection only while a thread is free, so that connections opened together are spread
# over the workers instead of all landing on one (stvos_shared.gunicorn_worker).
worker_class = "stvos_shared.gunicorn_worker.BalancedThreadWorker"
# The mode of a unix socket gunicorn binds (make stack's, for nginx): its owner's only, like the directory it is
# in. gunicorn applies this umask only around the bind and to its workers' heartbeat files; whatever the app
# writes keeps the process's own.
umask = 0o077
# Seconds an idle connection stays open. nginx keeps idle connections to each upstream for reuse (60 s, its
# keepalive_timeout default): gunicorn must never be the one to close them (its default is 2 s), or a request
# nginx sends on a connection gunicorn is closing is reset, and nginx answers a write 502 (the proof races saw
# 3 in 100 concurrent joins after a 2-s pause).
keepalive = 75


def on_starting(server: Any) -> None:
    """Values a previous run left behind would be added to this run's."""
    directory = Path(multiprocess_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def when_ready(server: Any) -> None:
    """Serve the workers' metrics, summed, from the master."""
    if not _settings.port:
        return
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=multiprocess_dir)
    start_http_server(_settings.port, registry=registry)
    server.log.info("metrics of every worker on port %d", _settings.port)


def post_worker_init(worker: Any) -> None:
    """The app loaded, its heap is settled (stvos_shared.heap). On SIGTERM the worker's app reports not ready,
    then gunicorn's own handler finishes the requests in hand."""
    heap.settle()
    previous = signal.getsignal(signal.SIGTERM)
    state = getattr(worker.wsgi, "extensions", {}).get("stvos.lifecycle")

    def stopping(signum: int, frame: Any) -> None:
        if state is not None:
            state.begin_stop()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, stopping)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn has it: requests in hand are not interrupted


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ended no longer counts in the gauges that sum live workers (connections in use)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, path=multiprocess_dir)


def on_exit(server: Any) -> None:
    if _created:
        with contextlib.suppress(OSError):
            shutil.rmtree(multiprocess_dir)
