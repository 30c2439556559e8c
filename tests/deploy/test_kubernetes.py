"""deploy/k8s renders offline and every workload is hardened, probed, limited and isolated as the design says."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from stvos_gateway import nginx
from stvos_gateway.routes import load_table

from . import kustomize

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
SERVICES = ("auth", "catalog", "booking", "portal", "partner")
KUBECTL = shutil.which("kubectl")
HASH = re.compile(r"-[a-z0-9]{10}$")
# Who may call whose API besides the gateway (JWKS at auth; voucher redemption at partner; the portal's calls).
CALLERS = {"auth": {"catalog", "booking", "portal", "partner"}, "partner": {"auth"}, "catalog": {"portal", "auth"},
           "booking": {"portal"}, "portal": set()}


def _collect(directory: Path) -> list[dict]:
    """Every object one kustomization and those it names make (tests/deploy/kustomize.py: no kubectl needed)."""
    return kustomize.render(directory)


def render(target: str) -> list[dict]:
    return kustomize.render(K8S / target)


def unhashed(name: str) -> str:
    return HASH.sub("", name)


@pytest.fixture(scope="module", params=["base", "overlays/production"])
def docs(request) -> list[dict]:
    return render(request.param)


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    workloads = {**of_kind(docs, "Deployment"), **of_kind(docs, "Job")}
    return {name: doc["spec"]["template"]["spec"] for name, doc in workloads.items()}


def test_every_file_parses_as_yaml():
    files = sorted(K8S.rglob("*.yaml"))
    assert len(files) >= 15
    for path in files:
        assert list(yaml.safe_load_all(path.read_text())), path


def test_each_service_has_api_consumer_relay_migration_service_and_account(docs):
    deployments, jobs = of_kind(docs, "Deployment"), of_kind(docs, "Job")
    services, accounts = of_kind(docs, "Service"), of_kind(docs, "ServiceAccount")
    ports = load_table().services
    for name in SERVICES:
        assert {f"{name}-api", f"{name}-consumer", f"{name}-relay"} <= set(deployments)
        assert f"{name}-migrate" in jobs
        assert [port["port"] for port in services[name]["spec"]["ports"]] == [ports[name]]
        assert accounts[name]["automountServiceAccountToken"] is False
    assert "gateway" in deployments and "gateway" in services


def test_every_pod_runs_as_non_root_on_a_read_only_root_with_limits(docs):
    for name, spec in pod_specs(docs).items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        tmp = [v["name"] for v in spec["volumes"] if v["name"] == "tmp" and "emptyDir" in v]
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            assert any(m["mountPath"] == "/tmp" and m["name"] in tmp for m in container["volumeMounts"]), name


def test_apis_and_gateway_have_liveness_on_healthz_and_readiness(docs):
    specs = pod_specs(docs)
    for name in [f"{service}-api" for service in SERVICES] + ["gateway"]:
        container = specs[name]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
        expected = "/healthz" if name == "gateway" else "/readyz"
        assert container["readinessProbe"]["httpGet"]["path"] == expected, name


def test_a_service_reads_only_its_own_database_secret_and_config_that_exists(docs):
    config_maps = {unhashed(name) for name in of_kind(docs, "ConfigMap")}
    for name, spec in pod_specs(docs).items():
        service = name.split("-")[0]
        for container in spec["containers"]:
            secrets = {unhashed(s["secretRef"]["name"]) for s in container.get("envFrom", []) if "secretRef" in s}
            maps = {unhashed(s["configMapRef"]["name"]) for s in container.get("envFrom", []) if "configMapRef" in s}
            assert maps <= config_maps, name
            video = {"stvos-livekit"} if name in ("portal-api", "booking-api") else set()
            assert secrets <= {f"{service}-database", f"{service}-signing-key", "stvos-broker"} | video, name
            assert (f"{service}-database" in secrets) == (service != "gateway"), name
            # The token issuers' processes (not their migration Jobs) hold the KEK of their signing keys.
            issuer = service in ("auth", "partner") and not name.endswith("-migrate")
            assert (f"{service}-signing-key" in secrets) == issuer, name


def test_gateway_mounts_the_configuration_rendered_from_the_route_table():
    rendered = nginx.render(load_table(), nginx.kubernetes_options())
    directory = K8S / "base" / "gateway-nginx"
    committed = {path.name: path.read_text() for path in directory.iterdir()}
    hint = "run: .venv/bin/python -m stvos_gateway.nginx --kubernetes --out deploy/k8s/base/gateway-nginx"
    assert committed == rendered, hint
    kustomization = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    generator = next(g for g in kustomization["configMapGenerator"] if g["name"] == "gateway-nginx")
    assert sorted(generator["files"]) == sorted(f"gateway-nginx/{name}" for name in rendered), hint


def test_production_turns_on_network_policies_and_carries_no_development_secrets():
    docs = render("overlays/production")
    assert of_kind(docs, "Secret") == {}
    assert {doc["metadata"].get("namespace") for doc in docs if doc["kind"] != "Namespace"} == {"stvos"}
    deny = of_kind(docs, "NetworkPolicy")["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert not deny.get("ingress") and not deny.get("egress")


def _peers(rule: dict) -> set[str]:
    peers = rule.get("from", rule.get("to", []))
    return {peer["podSelector"]["matchLabels"].get("app.kubernetes.io/name") for peer in peers}


def test_only_the_gateway_and_the_documented_callers_reach_an_api():
    policies = of_kind(render("overlays/production"), "NetworkPolicy")
    for service in SERVICES:
        ingress = policies[f"{service}-api"]["spec"]["ingress"]
        assert set().union(*(_peers(rule) for rule in ingress)) == {"gateway"} | CALLERS[service], service
        for role in ("consumer", "relay", "migrate"):
            assert policies[f"{service}-{role}"]["spec"]["ingress"] == [], f"{service}-{role}"


def test_each_workload_reaches_only_its_own_database():
    policies = of_kind(_collect(K8S / "components/network-policies"), "NetworkPolicy")
    for name, policy in policies.items():
        service = name.split("-")[0]
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                database = peer.get("podSelector", {}).get("matchLabels", {}).get("stvos.dev/database")
                assert database in (None, service), f"{name} reaches {database}'s database"
        if service in SERVICES:
            assert any("stvos.dev/database" in str(rule) for rule in policy["spec"]["egress"]), name


def test_every_port_of_a_service_is_its_port_in_the_route_table():
    ports = load_table().services
    specs = pod_specs(_collect(K8S / "base"))
    for name in SERVICES:
        assert [port["containerPort"] for port in specs[f"{name}-api"]["containers"][0]["ports"]] == [ports[name]]
    kustomization = yaml.safe_load((K8S / "base" / "kustomization.yaml").read_text())
    config = next(g for g in kustomization["configMapGenerator"] if g["name"] == "stvos-config")
    urls = dict(literal.split("=", 1) for literal in config["literals"])
    assert {name: urls[f"{name.upper()}_URL"] for name in SERVICES} == {n: f"http://{n}:{p}" for n, p in ports.items()}
    for policy in of_kind(_collect(K8S / "components/network-policies"), "NetworkPolicy").values():
        spec = policy["spec"]
        api = spec["podSelector"].get("matchLabels", {})
        for rule in spec.get("ingress", []) if api.get("app.kubernetes.io/component") == "api" else []:
            assert [port["port"] for port in rule["ports"]] == [ports[api["app.kubernetes.io/name"]]]
        for rule in spec.get("egress", []):
            peers = {peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name")
                     for peer in rule.get("to", [])} & set(SERVICES)
            for peer in peers:
                assert [port["port"] for port in rule["ports"]] == [ports[peer]], policy["metadata"]["name"]
