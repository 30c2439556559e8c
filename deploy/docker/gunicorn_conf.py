"""The gunicorn configuration baked into a service's image: its app, its port from gateway/routes.toml, and
stvos_shared.gunicorn_conf (metrics of every worker on METRICS_PORT, readiness off while stopping).

    python gunicorn_conf.py <service> <routes.toml>  >  gunicorn.conf.py

GUNICORN_CMD_ARGS still overrides any of it when the container starts.
"""
from __future__ import annotations

import sys
import tomllib


def config(service: str, routes: str) -> str:
    """gunicorn.conf.py for `service`, listening on its port in the route table's [services]."""
    with open(routes, "rb") as file:
        ports = tomllib.load(file)["services"]
    if service not in ports:
        raise SystemExit(f"{service!r} is not a service of {routes} (one of {', '.join(ports)})")
    return "\n".join([
        f"# stvos_{service}: written at build time by deploy/docker/gunicorn_conf.py from {routes}.",
        "from stvos_shared.gunicorn_conf import *  # noqa: F403 (its hooks and settings)",
        f'wsgi_app = "stvos_{service}.wsgi:app"',
        f'bind = "0.0.0.0:{ports[service]}"',
        "workers = 2",
        "threads = 4",
        "graceful_timeout = 20",
        'worker_tmp_dir = "/tmp"',  # the root filesystem is read-only; /tmp is a memory-backed volume
        "",
    ])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.stdout.write(config(sys.argv[1], sys.argv[2]))
