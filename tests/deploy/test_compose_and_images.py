"""docker-compose.yml and the Dockerfiles describe the production topology: checked offline, no engine needed."""
from __future__ import annotations

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from stvos_gateway.routes import load_table

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("auth", "catalog", "booking", "portal", "partner")
SERVICE_DOCKERFILE = "deploy/docker/service.Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _compose_cli() -> list[str] | None:
    """`docker compose` (v2 plugin) if present, else Debian's docker-compose 1.29; both check without an engine."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_cli_accepts_the_file():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed (Debian: apt-get install docker-compose)")
    done = subprocess.run([*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_each_service_has_migration_api_consumer_and_relay_on_its_own_database(compose):
    services = compose["services"]
    for name in SERVICES:
        for entry in (f"{name}-migrate", name, f"{name}-consumer", f"{name}-relay"):
            url = services[entry]["environment"]["DATABASE_URL"]
            assert re.search(rf"//stvos_{name}:[^@]+@postgres:5432/stvos_{name}$", url), entry
            assert services[entry]["image"].startswith(f"stvos/{name}:"), entry
            assert services[entry]["build"] == {"context": ".", "dockerfile": SERVICE_DOCKERFILE,
                                                "args": {"SERVICE": name}}, entry
        assert services[f"{name}-consumer"]["command"][-1] == f"stvos_{name}.entrypoints.consumer"
        assert services[f"{name}-relay"]["command"][-1] == f"stvos_{name}.entrypoints.relay"
        assert services[f"{name}-migrate"]["command"][-2:] == ["upgrade", name]
        assert services[name]["depends_on"][f"{name}-migrate"]["condition"] == "service_completed_successfully"


def test_postgres_init_creates_one_role_and_database_per_service(compose):
    mounts = compose["services"]["postgres"]["volumes"]
    script = next(mount.split(":")[0] for mount in mounts if "docker-entrypoint-initdb.d" in mount)
    text = (ROOT / script).read_text()
    assert re.search(r"for service in ([a-z ]+); do", text).group(1).split() == list(SERVICES)
    assert 'CREATE DATABASE :"role" OWNER :"role"' in text


def test_every_dependency_names_a_defined_service_and_the_gateway_is_on_8080(compose):
    services = compose["services"]
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name
    assert set(services["gateway"]["depends_on"]) == set(SERVICES)
    assert services["gateway"]["ports"] == ["${STVOS_GATEWAY_PORT:-8080}:8080"]
    assert [name for name, service in services.items() if service.get("ports")] == ["gateway"]


def test_one_dockerfile_builds_every_service_image_multi_stage_non_root_with_only_its_own_package():
    text = (ROOT / SERVICE_DOCKERFILE).read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2
    assert re.search(r"^USER 10001", text, re.M)
    assert 'COPY services/${SERVICE}/ services/${SERVICE}/' in text
    assert './services/${SERVICE}[production]' in text and "COPY services/ " not in text
    assert "COPY services/${SERVICE}/migrations/" in text
    assert 'RUN python gunicorn_conf.py "$SERVICE" routes.toml > gunicorn.conf.py' in text
    assert 'CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]' in text
    assert not list((ROOT / "services").glob("*/Dockerfile")), "one Dockerfile for all services, not one each"


@pytest.mark.parametrize("service", SERVICES)
def test_each_image_serves_its_app_on_its_port_from_the_route_table(service):
    namespace = runpy.run_path(str(ROOT / "deploy" / "docker" / "gunicorn_conf.py"))
    settings: dict = {}
    exec(namespace["config"](service, str(ROOT / "gateway" / "routes.toml")), settings)
    assert settings["wsgi_app"] == f"stvos_{service}.wsgi:app"
    assert settings["bind"] == f"0.0.0.0:{load_table().services[service]}"
    assert settings["keepalive"] > 60, "nginx closes idle upstream connections (60 s), never gunicorn"


def test_compose_reaches_each_service_on_its_port_from_the_route_table(compose):
    ports = load_table().services
    peers = compose["x-service-env"]
    for name in SERVICES:
        assert peers[f"{name.upper()}_URL"] == f"http://{name}:{ports[name]}"
        assert f"http://127.0.0.1:{ports[name]}/readyz" in " ".join(compose["services"][name]["healthcheck"]["test"])


def test_the_image_refuses_to_build_without_a_service_of_the_route_table():
    script = ROOT / "deploy" / "docker" / "gunicorn_conf.py"
    done = subprocess.run([sys.executable, str(script), "gateway", str(ROOT / "gateway" / "routes.toml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "not a service" in done.stderr
    assert 'test -n "$SERVICE"' in (ROOT / SERVICE_DOCKERFILE).read_text()


def test_gateway_image_renders_nginx_for_service_names_and_runs_unprivileged():
    text = (ROOT / "gateway" / "Dockerfile").read_text()
    assert "python -m stvos_gateway.nginx --kubernetes --listen 8080 --openapi" in text
    assert "nginx-unprivileged" in text
    assert 'ENTRYPOINT ["nginx", "-p", "/etc/stvos-gateway/", "-c", "nginx.conf"]' in text


def test_dockerignore_keeps_local_state_out_of_images_and_what_they_are_built_from_in():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", "**/__pycache__", "**/*.egg-info"} <= set(ignored)
    assert "!deploy/docker" in ignored and not {"runner", "gateway", "shared", "services"} & set(ignored)


def test_the_token_issuers_processes_and_only_they_get_the_key_encryption_key(compose):
    from cryptography.fernet import Fernet

    for name, service in compose["services"].items():
        environment = service.get("environment") or {}
        issuer = name.split("-")[0] in ("auth", "partner") and not name.endswith("-migrate")
        assert ("SIGNING_KEY_KEK" in environment) == issuer, name
        if issuer:
            default = re.fullmatch(r"\$\{SIGNING_KEY_KEK:-(.+)\}", environment["SIGNING_KEY_KEK"]).group(1)
            Fernet(default)  # a laptop's default that works, overridden by the environment
