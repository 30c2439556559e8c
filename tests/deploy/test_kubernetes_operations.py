"""deploy/k8s as an operator runs it: valid against the Kubernetes schemas, autoscaled with disruption budgets,
drained before SIGTERM, scraped, relays safe in numbers, consumers scaled by queue, video settings set."""
from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql
from stvos_shared.events.outbox import Outbox

from . import kustomize
from .test_kubernetes import K8S, KUBECTL, SERVICES, of_kind, pod_specs, render, unhashed

ROOT = K8S.parents[1]
# The oldest Kubernetes minor still supported by the big providers, and the newest the package knows.
KUBERNETES_VERSIONS = ("1.30.0", kubernetes_validate.utils.latest_version())
CUSTOM = {"keda.sh/v1alpha1": {"ScaledObject", "TriggerAuthentication"}}
GUNICORN_GRACEFUL_SECONDS = 20  # stvos_shared.gunicorn_conf.graceful_timeout
FRONT = [f"{service}-api" for service in SERVICES] + ["gateway"]


@pytest.fixture(scope="module")
def production() -> list[dict]:
    return render("overlays/production")


@pytest.fixture(scope="module")
def with_keda(tmp_path_factory) -> tuple[Path, list[dict]]:
    """Production plus the optional KEDA component, as an operator's overlay would add it."""
    directory = tmp_path_factory.mktemp("overlay")
    relative = lambda path: os.path.relpath(K8S / path, directory)  # noqa: E731
    (directory / "kustomization.yaml").write_text(yaml.safe_dump({
        "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
        "resources": [relative("overlays/production")], "components": [relative("components/keda-consumers")]}))
    return directory, kustomize.render(directory)


def _by_key(docs: list[dict]) -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in docs}


@pytest.mark.skipif(not KUBECTL, reason="no kubectl: the offline renderer is compared with it where installed")
@pytest.mark.parametrize("target", ["base", "overlays/production", "keda"])
def test_the_offline_renderer_writes_what_kubectl_kustomize_writes(target, with_keda):
    directory = with_keda[0] if target == "keda" else K8S / target
    done = subprocess.run([KUBECTL, "kustomize", "--load-restrictor", "LoadRestrictionsNone", str(directory)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    theirs = _by_key([doc for doc in yaml.safe_load_all(done.stdout) if doc])
    assert _by_key(kustomize.render(directory)) == theirs


def test_every_object_is_valid_against_the_kubernetes_schemas(with_keda, monkeypatch):
    """Strict schemas (unknown fields refused) bundled by kubernetes-validate: nothing is fetched."""
    # Each call reads its schema and the (large) definitions file again: read each file once here.
    monkeypatch.setattr(kubernetes_validate.utils, "schema_contents",
                        functools.cache(kubernetes_validate.utils.schema_contents))
    for target, docs in (("base", render("base")), ("production + keda", with_keda[1])):
        for doc in docs:
            if doc["kind"] in CUSTOM.get(doc["apiVersion"], ()):
                continue  # KEDA's own kinds: checked by test_consumers_scale_on_their_queue_with_keda
            for version in KUBERNETES_VERSIONS:
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except kubernetes_validate.ValidationError as error:
                    pytest.fail(f"{target}: {doc['kind']}/{doc['metadata']['name']} on {version}: {error.message}")


def _pod_labels(deployment: dict) -> dict[str, str]:
    return deployment["spec"]["template"]["metadata"]["labels"]


def test_every_api_and_the_gateway_autoscale_above_their_disruption_budget(production):
    deployments, budgets = of_kind(production, "Deployment"), of_kind(production, "PodDisruptionBudget")
    autoscalers = {doc["spec"]["scaleTargetRef"]["name"]: doc for doc in of_kind(production,
                                                                                   "HorizontalPodAutoscaler").values()}
    assert set(autoscalers) == set(FRONT)
    for name in FRONT:
        deployment, autoscaler = deployments[name], autoscalers[name]["spec"]
        assert autoscaler["scaleTargetRef"]["kind"] == "Deployment"
        assert "replicas" not in deployment["spec"], f"{name}: an apply would reset what the autoscaler chose"
        budget = [b["spec"] for b in budgets.values()
                  if b["spec"]["selector"]["matchLabels"].items() <= _pod_labels(deployment).items()]
        assert len(budget) == 1, name
        assert 1 <= budget[0]["minAvailable"] < autoscaler["minReplicas"] <= autoscaler["maxReplicas"], name
        [metric] = autoscaler["metrics"]
        assert metric["resource"]["name"] == "cpu", name
        assert all("cpu" in c["resources"]["requests"] for c in deployment["spec"]["template"]["spec"]["containers"])


def test_apis_and_the_gateway_keep_serving_until_their_endpoints_are_gone(docs_both):
    specs = pod_specs(docs_both)
    for name in FRONT:
        serving = specs[name]["containers"][0]
        command = serving["lifecycle"]["preStop"]["exec"]["command"]
        assert command[0] == "sleep" and int(command[1]) >= 3, name
        stop = int(command[1]) + (GUNICORN_GRACEFUL_SECONDS if name != "gateway" else 5)
        assert stop < specs[name]["terminationGracePeriodSeconds"], name


@pytest.fixture(scope="module", params=["base", "overlays/production"])
def docs_both(request) -> list[dict]:
    return render(request.param)


def test_every_process_is_annotated_for_scraping_on_its_metrics_port(docs_both):
    config = next(doc for doc in of_kind(docs_both, "ConfigMap").values()
                  if unhashed(doc["metadata"]["name"]) == "stvos-config")["data"]
    for name, deployment in of_kind(docs_both, "Deployment").items():
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true", name
        assert annotations["prometheus.io/path"] == "/metrics", name
        ports = {p["containerPort"] for c in deployment["spec"]["template"]["spec"]["containers"]
                 for p in c.get("ports", [])}
        expected = {9113} & ports if name == "gateway" else {int(config["METRICS_PORT"])}
        assert {int(annotations["prometheus.io/port"])} == expected, name


def test_relays_claim_their_batch_with_skip_locked_so_replicas_never_share_a_row(docs_both):
    """Two relays never publish the same row twice: each locks its batch and skips rows another holds."""
    query = _pending_query(Outbox(MetaData()))
    assert "FOR UPDATE SKIP LOCKED" in str(query.compile(dialect=postgresql.dialect()))
    for service in SERVICES:
        assert of_kind(docs_both, "Deployment")[f"{service}-relay"]["spec"]["replicas"] >= 1


def _pending_query(outbox: Outbox):
    """The query Outbox.pending(lock=True) executes, caught from a session that only records it."""
    caught = []

    class Recorder:
        def execute(self, query):
            caught.append(query)
            return []

    outbox.pending(Recorder(), 200, lock=True)
    [query] = caught
    return query


def test_consumers_scale_on_their_queue_with_keda(with_keda):
    docs = with_keda[1]
    deployments = of_kind(docs, "Deployment")
    auths = of_kind(docs, "TriggerAuthentication")
    scaled = {doc["spec"]["scaleTargetRef"]["name"]: doc["spec"] for doc in of_kind(docs, "ScaledObject").values()}
    assert set(scaled) == {f"{service}-consumer" for service in SERVICES}
    for service in SERVICES:
        name = f"{service}-consumer"
        spec, consumer = scaled[name], deployments[name]
        assert "replicas" not in consumer["spec"], name
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"], name
        [trigger] = spec["triggers"]
        assert trigger["type"] == "rabbitmq" and trigger["metadata"]["mode"] == "QueueLength", name
        assert trigger["metadata"]["queueName"] == service, name  # BROKER_QUEUE_PREFIX is empty
        reference = auths[trigger["authenticationRef"]["name"]]["spec"]["secretTargetRef"]
        assert reference == [{"parameter": "host", "name": "stvos-broker", "key": "BROKER_URL"}]
        secrets = {s["secretRef"]["name"] for s in consumer["spec"]["template"]["spec"]["containers"][0]["envFrom"]
                   if "secretRef" in s}
        assert "stvos-broker" in secrets, name


@pytest.mark.parametrize("service", ["portal", "booking"])
def test_the_video_settings_the_service_reads_reach_its_api(service, docs_both):
    source = (ROOT / "services" / service / "src" / f"stvos_{service}" / "config.py").read_text()
    wanted = set(re.findall(r'env_str\("((?:LIVEKIT|MEETING)_\w+)"', source))
    assert wanted >= {"LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"}
    container = pod_specs(docs_both)[f"{service}-api"]["containers"][0]
    maps = {unhashed(doc["metadata"]["name"]): set(doc["data"]) for doc in of_kind(docs_both, "ConfigMap").values()}
    provided = set()
    for source_ref in container["envFrom"]:
        if "configMapRef" in source_ref:
            provided |= maps[unhashed(source_ref["configMapRef"]["name"])]
        elif unhashed(source_ref["secretRef"]["name"]) == "stvos-livekit":
            provided |= {"LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"}  # production creates it from its secret store
    assert wanted <= provided
    base_secret = next(doc for doc in of_kind(render("base"), "Secret").values()
                       if unhashed(doc["metadata"]["name"]) == "stvos-livekit")
    assert set(base_secret["data"]) == {"LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"}
