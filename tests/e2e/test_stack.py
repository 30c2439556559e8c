"""`make stack` on non-default ports with its own databases: it comes up behind nginx and goes away cleanly."""
from __future__ import annotations

import json
import secrets
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool
from stvos_gateway import nginx

from tests.fixtures.stack import METRICS, ROOT, STACK, eventually, operator, started_stack

SERVICES = ("auth", "catalog", "booking", "portal", "partner")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx.find_nginx() is None,
                       reason="nginx is not installed (Debian: apt-get install nginx-light)"),
]


def _databases(postgres_url: str, prefix: str) -> set[str]:
    engine = create_engine(postgres_url, poolclass=NullPool)
    with engine.connect() as connection:
        names = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
    engine.dispose()
    return {name for name in names if name.startswith(prefix + "_")}


@pytest.fixture(scope="module")
def stack(postgres_url, amqp_url, tmp_path_factory):
    """A stack of this module's own: its last test stops it."""
    with started_stack(postgres_url, amqp_url, tmp_path_factory.mktemp("stack") / "var") as info:  # var: made by it
        yield info


def test_start_returns_once_nginx_answers_healthz(stack):
    assert stack["result"].returncode == 0, stack["result"].stdout + stack["result"].stderr
    response = requests.get(f"{stack['url']}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json()["data"] == {"status": "ok", "service": "gateway"}
    assert set(_databases(stack["postgres"], stack["prefix"])) == {f"{stack['prefix']}_{name}" for name in SERVICES}


def test_nginx_reaches_each_api_on_its_unix_socket_under_the_private_state_dir(stack):
    sockets = stack["var"] / "stack" / "sockets"
    assert stat.S_IMODE(sockets.stat().st_mode) == 0o700
    backends = (stack["var"] / "stack" / "nginx" / "api_backends.conf").read_text()
    for name in SERVICES:
        assert f"    server unix:{sockets}/{name}.sock;\n" in backends, name
        mode = (sockets / f"{name}.sock").stat().st_mode
        assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o700, (name, oct(mode))  # the owner's only too
    assert "127.0.0.1:" not in backends
    assert requests.get(f"http://127.0.0.1:{stack['ports']['auth']}/readyz", timeout=5).status_code == 200  # TCP too


def test_a_state_dir_too_deep_for_a_unix_socket_stops_the_start_before_anything_is_made(stack, tmp_path):
    deep = tmp_path / ("d" * 100) / "var"
    started = subprocess.run([*STACK, "start"], env={**stack["env"], "STVOS_VAR_DIR": str(deep)}, cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert f"{deep}/stack/sockets/auth.sock is " in started.stderr and "bytes long" in started.stderr, started.stderr
    assert not deep.exists()


def test_a_state_dir_where_only_nginxs_key_check_socket_is_too_long_stops_the_start_the_same_way(stack):
    """nginx's own key-check socket (var/stack/nginx/run/key_checks.sock) is the longest: at a depth where every
    API's socket fits, it alone stops the start, named by us rather than by nginx -t."""
    with tempfile.TemporaryDirectory(dir="/tmp") as scratch:  # a short base, to land in the byte band
        room = nginx.UNIX_PATH_MAX + 1 - len(f"{scratch}//var/stack/nginx/run/{nginx.KEY_CHECK_SOCKET}")
        deep = Path(scratch) / ("d" * room) / "var"
        assert len(f"{deep}/stack/nginx/run/{nginx.KEY_CHECK_SOCKET}") == nginx.UNIX_PATH_MAX + 1
        assert all(len(nginx.upstream_socket(deep / "stack" / "sockets", name)) <= nginx.UNIX_PATH_MAX
                   for name in stack["ports"])
        started = subprocess.run([*STACK, "start"], env={**stack["env"], "STVOS_VAR_DIR": str(deep)}, cwd=ROOT,
                                 capture_output=True, text=True, timeout=60)
        assert started.returncode != 0
        assert f"key-check socket {deep}/stack/nginx/run/key_checks.sock is 108 bytes long" in started.stderr, \
            started.stderr
        assert not deep.exists()


def test_unknown_key_is_401_through_nginx(stack):
    response = requests.get(f"{stack['url']}/trainers", headers={"X-API-Key": "stv_nope"}, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "API_KEY_INVALID"


def test_demo_tenant_is_seeded_through_nginx_and_its_user_can_log_in(stack):
    demo = json.loads((stack["var"] / "demo.json").read_text())
    assert demo["gatewayUrl"] == stack["url"]
    response = requests.post(f"{stack['url']}/auth/login", json=demo["user"], headers={"X-API-Key": demo["apiKey"]},
                             timeout=10)
    assert response.status_code == 200, response.text


def test_credentials_and_state_under_var_are_readable_by_their_owner_only(stack):
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in stack["var"].iterdir()}
    assert modes == {"stack.env": 0o600, "demo.json": 0o600, "signing-key.kek": 0o600, "stack": 0o700}


def test_stack_env_gives_the_cli_the_stacks_databases(stack):
    lines = dict(line.split("=", 1) for line in (stack["var"] / "stack.env").read_text().splitlines()
                 if not line.startswith("#"))
    assert lines["STVOS_AUTH_DATABASE_URL"].endswith(f"/{stack['prefix']}_auth")
    created = subprocess.run([sys.executable, "-m", "stvos_runner.cli", "--var-dir", str(stack["var"]), "admin",
                              "create-client", "Stack Smoke Studio"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60, env={k: v for k, v in stack["env"].items() if "DATABASE_URL" not in k})
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["apiKey"]
    response = requests.get(f"{stack['url']}/auth/me", headers={"X-API-Key": key}, timeout=5)
    assert response.json()["error"]["code"] != "API_KEY_INVALID"


@pytest.fixture(scope="module")
def journey_tenant(stack):
    """A fresh tenant made with the operator CLI, its partner admin logged in through nginx."""
    url = stack["url"]
    tenant = operator(stack, "create-client", "Journey Studio")
    admin = {"email": f"admin-{secrets.token_hex(3)}@journey.example", "password": "journey-admin-pw"}
    operator(stack, "create-partner-staff", "--client-id", str(tenant["clientId"]), "--email", admin["email"],
              "--password", admin["password"])
    login = requests.post(f"{url}/partner-auth/login", json=admin, timeout=10)
    assert login.status_code == 200, login.text
    return {"key": {"X-API-Key": tenant["apiKey"]},
            "admin": {"Authorization": f"Bearer {login.json()['data']['accessToken']}"}}


def test_a_trainer_created_by_the_partner_registers_once_the_event_arrives(stack, journey_tenant):
    url = stack["url"]
    created = requests.post(f"{url}/partner/trainers", headers=journey_tenant["admin"], timeout=10,
                            json={"name": "Coach Journey", "email": "coach@journey.example"})
    assert created.status_code == 201, created.text
    credentials = {"email": "coach@journey.example", "password": "trainer-password"}

    def registered():
        response = requests.post(f"{url}/trainer-auth/register", json=credentials, headers=journey_tenant["key"],
                                 timeout=10)
        return response if response.status_code != 404 else None

    response = eventually(registered)
    assert response is not None and response.status_code == 201, response and response.text
    login = requests.post(f"{url}/trainer-auth/login", json=credentials, headers=journey_tenant["key"], timeout=10)
    assert login.json()["data"]["trainer"]["id"] == created.json()["data"]["trainer"]["id"]


def _metrics(stack, service: str, role: str) -> str:
    return requests.get(f"http://127.0.0.1:{stack['ports'][service] + METRICS[role]}/metrics", timeout=5).text


def _logged(stack, process: str, trace_id: str) -> list[dict]:
    lines = (stack["var"] / "stack" / "logs" / f"{process}.log").read_text(errors="replace").splitlines()
    return [entry for entry in map(_json_or_none, lines) if entry and entry.get("traceId") == trace_id]


def _json_or_none(line: str) -> dict | None:
    try:
        return json.loads(line) if line.startswith("{") else None
    except ValueError:
        return None


def test_every_api_relay_consumer_and_job_runner_serves_metrics_and_nginx_its_status(stack, journey_tenant):
    auth_api = _metrics(stack, "auth", "api")
    assert 'stvos_http_requests_total{method="POST",route="/auth/register",service="auth",status="201"}' in auth_api
    assert "stvos_db_pool_in_use" in auth_api
    published = 'stvos_events_published_total{service="auth",type="auth.user.registered"}'
    assert published in _metrics(stack, "auth", "relay")
    assert 'stvos_outbox_pending{service="partner"}' in _metrics(stack, "partner", "relay")
    consumed = 'stvos_events_consumed_total{consumer="partner",outcome="applied",type="auth.user.registered"}'
    assert consumed in _metrics(stack, "partner", "consumer")
    assert "# TYPE stvos_job_items_total counter" in _metrics(stack, "booking", "jobs")
    status = requests.get(f"http://127.0.0.1:{stack['port'] + 1}/stub_status", timeout=5)
    assert status.text.startswith("Active connections:")
    assert requests.get(f"{stack['url']}/metrics", timeout=5).status_code == 404


def test_one_request_is_followed_by_its_trace_id_through_the_outbox_rabbitmq_and_a_consumer(stack, journey_tenant):
    trace_id = secrets.token_hex(16)
    created = requests.post(f"{stack['url']}/partner/trainers", headers={
        **journey_tenant["admin"], "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}, timeout=10,
        json={"name": "Coach Traced", "email": "traced@journey.example"})
    assert created.status_code == 201, created.text
    assert any(entry["logger"] == "stvos.access" for entry in _logged(stack, "partner-api", trace_id))
    handled = eventually(lambda: [entry for entry in _logged(stack, "auth-consumer", trace_id)
                                   if entry.get("eventType") == "partner.trainer.created"])
    assert handled and handled[0]["msg"] == "event applied", "the event lost its trace on the way to auth"


def _sealed_keys(stack, service: str) -> list[str]:
    engine = create_engine(make_url(stack["postgres"]).set(database=f"{stack['prefix']}_{service}"), poolclass=NullPool)
    with engine.connect() as connection:
        values = list(connection.execute(text("SELECT private_key_sealed FROM signing_keys")).scalars())
    engine.dispose()
    return values


def test_the_signing_keys_in_the_databases_are_sealed(stack, journey_tenant):
    for service in ("auth", "partner"):
        values = _sealed_keys(stack, service)
        assert values and not [value for value in values if "PRIVATE KEY" in value], service


def test_a_start_over_an_earlier_stacks_databases_from_a_fresh_clone_just_works(stack, journey_tenant):
    """Stopped, then started with a new var/ (no demo.json, another KEK) over the same databases: the demo tenant
    is the same one, with new credentials that work through nginx; keys sealed with the lost KEK are retired."""
    before = json.loads((stack["var"] / "demo.json").read_text())
    stopped = subprocess.run([*STACK, "stop"], env=stack["env"], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    fresh = stack["var"].parent / "clone" / "var"
    stack["env"], stack["var"] = {**stack["env"], "STVOS_VAR_DIR": str(fresh)}, fresh  # what is stopped at the end
    started = subprocess.run([*STACK, "start"], env=stack["env"], cwd=ROOT, capture_output=True, text=True,
                             timeout=400)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "sealed with another KEK" in started.stdout
    demo = json.loads((fresh / "demo.json").read_text())
    assert (demo["clientId"], demo["gatewayUrl"]) == (before["clientId"], stack["url"])
    assert demo["apiKey"] != before["apiKey"]
    url, key = stack["url"], {"X-API-Key": demo["apiKey"]}
    user = requests.post(f"{url}/auth/login", json=demo["user"], headers=key, timeout=10)
    assert user.status_code == 200, user.text
    trainer = requests.post(f"{url}/trainer-auth/login", headers=key, timeout=10,
                            json={name: demo["trainer"][name] for name in ("email", "password")})
    assert trainer.json()["data"]["trainer"]["id"] == demo["trainer"]["id"]
    bearer = {**key, "Authorization": f"Bearer {trainer.json()['data']['accessToken']}"}
    profile = requests.get(f"{url}/trainer-portal/profile", headers=bearer, timeout=10)  # catalog checks the JWKS
    assert profile.status_code == 200, profile.text
    admin = requests.post(f"{url}/partner-auth/login", json=demo["partnerAdmin"], timeout=10)
    assert admin.status_code == 200, admin.text
    staff = {"Authorization": f"Bearer {admin.json()['data']['accessToken']}"}
    assert requests.get(f"{url}/partner/trainers", headers=staff, timeout=10).status_code == 200
    for old in ("user", "partnerAdmin"):  # the lost credentials no longer sign anyone in
        headers = key if old == "user" else {}
        path = "/auth/login" if old == "user" else "/partner-auth/login"
        assert requests.post(f"{url}{path}", json=before[old], headers=headers, timeout=10).status_code == 401


def test_stop_ends_every_process_it_started_and_drops_its_databases(stack):
    pids = [json.loads(path.read_text())["pid"] for path in (stack["var"] / "stack").glob("*.pid")]
    assert len(pids) == 17  # 5 x (API, consumer, relay), booking's jobs, nginx
    stopped = subprocess.run([*STACK, "stop", "--drop-databases"], env=stack["env"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    stack["stopped"] = True
    assert stopped.returncode == 0, stopped.stderr
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
    assert not (stack["var"] / "stack.env").exists()
    assert not list((stack["var"] / "stack" / "sockets").iterdir())  # gunicorn removes its socket when it stops
    assert _databases(stack["postgres"], stack["prefix"]) == set()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{stack['url']}/healthz", timeout=2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
