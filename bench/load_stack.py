"""What the load section runs against: `make stack` on free ports with its own databases (the gateway's rate
limits raised through a route table of its own, STVOS_ROUTES), and the ceilings beside it: a bare Flask app
under the same gunicorn settings, and an nginx rendered by the same code from the same table whose
upstreams all point at that bare app (over unix sockets, as the stack's nginx reaches the services).
"""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import requests
from stvos_gateway import nginx
from stvos_gateway.routes import DEFAULT_TABLE, load_table
from stvos_shared.files import private_dir

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
STACK = [sys.executable, str(ROOT / "deploy" / "stack" / "stack.py")]
sys.path.insert(0, str(ROOT / "deploy" / "stack"))
from stack_ports import free_offset, free_port  # noqa: E402 (the stack's own module, beside stack.py)

RAISED = 1_000_000  # requests/s and burst: the limiter still runs on every request, it never refuses


def raised_limits(table_text: str) -> str:
    """The route table with every rate and burst of its [gateway] section raised (whatever the keys are named)."""
    head, found, rest = table_text.partition("[gateway]")
    if not found:
        raise ValueError("the route table has no [gateway] section")
    section, *after = re.split(r"(?m)^(?=\[)", rest, maxsplit=1)
    section = re.sub(r"(?m)^(\s*\w*(?:rate|burst)\w*\s*=\s*)\d+", lambda m: f"{m.group(1)}{RAISED}", section)
    # A list of rates (the tenant tiers) becomes the raised rate alone, so that the raised tenant_rate is one.
    section = re.sub(r"(?m)^(\s*\w*rate\w*\s*=\s*)\[[^\]]*\]", lambda m: f"{m.group(1)}[{RAISED}]", section)
    return head + found + section + "".join(after)


@dataclass
class Target:
    url: str  # the stack's gateway
    ports: dict[str, int]  # each service's gunicorn
    database_urls: dict[str, str]
    var_dir: Path
    bare_direct: str = ""
    bare_gateway: str = ""


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


def _spawn(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,  # noqa: S603
                                env=env, cwd=ROOT, start_new_session=True)


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


@contextmanager
def stack(workdir: Path, postgres_url: str, amqp_url: str, workers: int = 2):
    """Start the stack (and the ceilings beside it); stop it and drop its databases afterwards."""
    routes = workdir / "routes.toml"
    routes.write_text(raised_limits(DEFAULT_TABLE.read_text()))
    table = load_table(routes)
    prefix, port, offset = f"stvos_bench_{secrets.token_hex(3)}", free_port(), free_offset(table.services)
    env = {**os.environ, "STVOS_STACK_POSTGRES_URL": postgres_url, "STVOS_STACK_BROKER_URL": amqp_url,
           "STVOS_STACK_DB_PREFIX": prefix, "STVOS_STACK_PORT": str(port), "STVOS_STACK_PORT_OFFSET": str(offset),
           "STVOS_STACK_WORKERS": str(workers), "STVOS_STACK_SEED": "0", "STVOS_VAR_DIR": str(workdir / "var"),
           "STVOS_ROUTES": str(routes), "LOG_LEVEL": "WARNING"}
    started = subprocess.run([*STACK, "start"], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if started.returncode != 0:
        subprocess.run([*STACK, "stop", "--drop-databases"], env=env, cwd=ROOT, capture_output=True)  # noqa: S603
        raise RuntimeError(f"make stack failed:\n{started.stdout}\n{started.stderr}")
    from sqlalchemy.engine import make_url

    urls = {name: make_url(postgres_url).set(database=f"{prefix}_{name}").render_as_string(hide_password=False)
            for name in table.services}
    target = Target(f"http://127.0.0.1:{port}", {n: p + offset for n, p in table.services.items()}, urls,
                    workdir / "var")
    extra: list[subprocess.Popen] = []
    try:
        target.bare_direct, target.bare_gateway = _ceilings(workdir, table, workers, env, extra)
        yield target
    finally:
        for process in extra:
            _end(process)
        subprocess.run([*STACK, "stop", "--drop-databases"], env=env, cwd=ROOT, capture_output=True)  # noqa: S603


def _ceilings(workdir: Path, table, workers: int, env: dict[str, str], extra: list) -> tuple[str, str]:
    """The bare app under gunicorn as the stack runs the services, and an nginx in front of it alone: the app
    listens on a TCP port (direct) and, as each service does, on a unix socket per service, nginx's upstreams."""
    logs = workdir / "ceilings"
    logs.mkdir(exist_ok=True)
    sockets = private_dir(logs / "sockets").resolve()
    bare_port, gateway_port = free_port(), free_port()
    binds = [f"127.0.0.1:{bare_port}", *(f"unix:{nginx.upstream_socket(sockets, name)}" for name in table.services)]
    extra.append(_spawn([str(Path(sys.executable).parent / "gunicorn"), "--config", "python:stvos_shared.gunicorn_conf",
                         *(option for bind in binds for option in ("--bind", bind)), "--workers", str(workers),
                         "--threads", "4", "--chdir", str(BENCH), "bare_app:app"], logs / "bare.log",
                        {**env, "METRICS_PORT": "0"}))
    options = nginx.local_options(f"127.0.0.1:{gateway_port}", log_dir=str(logs), upstream_sockets=str(sockets))
    bare_table = replace(table, services=dict.fromkeys(table.services, bare_port))
    directory = nginx.write(logs / "nginx", nginx.render(bare_table, options), options)
    extra.append(_spawn(nginx.command(directory), logs / "nginx.log", env))
    direct, gateway = f"http://127.0.0.1:{bare_port}", f"http://127.0.0.1:{gateway_port}"
    _wait(f"{direct}/invite/bare")
    _wait(f"{gateway}/invite/bare")
    return direct, gateway
