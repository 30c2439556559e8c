"""A renderer of the kustomization subset deploy/k8s uses, so that CI renders it with no cluster and no kubectl.

What it does, as kustomize does it: `resources` (files and directories), `components`, `configMapGenerator`
and `secretGenerator` (literals and files; the name gets kustomize's content hash and every reference to it
follows), `namespace`, `images` (newName/newTag), `replicas` and `patches` that delete an object
(`$patch: delete`). Anything else in a kustomization is refused, so a manifest that starts using another
feature fails here until this file learns it. tests/deploy/test_kubernetes.py checks that its output equals
`kubectl kustomize` wherever kubectl is installed.
"""
from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import yaml

KNOWN = {"apiVersion", "kind", "resources", "components", "configMapGenerator", "secretGenerator", "namespace",
         "images", "replicas", "patches"}
# Kinds that live outside a namespace (of those deploy/k8s uses or could).
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass",
                  "StorageClass", "PersistentVolume"}
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


def render(directory: Path) -> list[dict]:
    """Every object of the kustomization in `directory`, as `kubectl kustomize` would write it."""
    docs, renames = _build(directory.resolve())
    for doc in docs:
        _rename_references(doc, renames)
    return docs


def _load(directory: Path) -> dict:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - KNOWN
    for generator in kustomization.get("configMapGenerator", []) + kustomization.get("secretGenerator", []):
        unknown |= set(generator) - {"name", "literals", "files", "behavior", "type"}
    if unknown:
        raise ValueError(f"{directory}/kustomization.yaml uses {sorted(unknown)}, which this renderer does not know")
    return kustomization


def _build(directory: Path) -> tuple[list[dict], dict[tuple[str, str], str]]:
    kustomization = _load(directory)
    docs: list[dict] = []
    renames: dict[tuple[str, str], str] = {}
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            more, more_renames = _build(path)
            docs += more
            renames |= more_renames
        else:
            docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for generator in kustomization.get(key, []):
            behavior = generator.get("behavior", "create")
            if behavior != "create":  # replace or merge the one a resource of this kustomization generated
                old = next(doc for doc in docs if doc["metadata"]["name"] == renames[(kind, generator["name"])])
                docs.remove(old)
            doc = _generate(directory, kind, generator, old["data"] if behavior == "merge" else {})
            renames[(kind, generator["name"])] = doc["metadata"]["name"]
            docs.append(doc)
    for entry in kustomization.get("components", []):
        path = (directory / entry).resolve()
        more, more_renames = _build(path)
        docs += more
        renames |= more_renames
    for patch in kustomization.get("patches", []):
        docs = _delete(docs, renames, yaml.safe_load(patch["patch"]))
    for image in kustomization.get("images", []):
        for doc in docs:
            _set_image(doc, image)
    for replicas in kustomization.get("replicas", []):
        for doc in docs:
            if doc["kind"] in {"Deployment", "StatefulSet"} and doc["metadata"]["name"] == replicas["name"]:
                doc["spec"]["replicas"] = replicas["count"]
    if "namespace" in kustomization:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = kustomization["namespace"]
    return docs, renames


def _delete(docs: list[dict], renames: dict, patch: dict) -> list[dict]:
    if patch.pop("$patch", None) != "delete":
        raise ValueError(f"only `$patch: delete` patches are rendered here, not {patch}")
    kind, name = patch["kind"], patch["metadata"]["name"]
    name = renames.get((kind, name), name)
    kept = [doc for doc in docs if (doc["kind"], doc["metadata"]["name"]) != (kind, name)]
    for original, renamed in list(renames.items()):
        if renamed == name and original[0] == kind:
            del renames[original]  # references to a deleted generated object keep its plain name
    if len(kept) != len(docs) - 1:
        raise ValueError(f"the patch deletes {kind}/{name}, which is not there once")
    return kept


def _generate(directory: Path, kind: str, generator: dict, merged: dict[str, str]) -> dict:
    data: dict[str, str] = {key: base64.b64decode(value).decode() if kind == "Secret" else value
                            for key, value in merged.items()}
    for literal in generator.get("literals", []):
        key, value = literal.split("=", 1)
        data[key] = value
    for file in generator.get("files", []):
        data[Path(file).name] = (directory / file).read_text()
    doc: dict = {"apiVersion": "v1", "kind": kind, "metadata": {"name": generator["name"]}}
    if kind == "Secret":
        doc["data"] = {key: _base64(value) for key, value in data.items()}
        doc["type"] = generator.get("type", "Opaque")
    else:
        doc["data"] = data
    doc["metadata"]["name"] = f"{generator['name']}-{content_hash(doc)}"
    return doc


def _base64(value: str) -> str:
    """As kustomize writes a Secret's value: wrapped at 70 characters (each line ending) once it is longer."""
    encoded = base64.b64encode(value.encode()).decode()
    if len(encoded) <= 70:
        return encoded
    return "".join(encoded[start:start + 70] + "\n" for start in range(0, len(encoded), 70))


def content_hash(doc: dict) -> str:
    """kustomize's name suffix: sha256 of the kind, name and data encoded as Go's json.Marshal does, cut to
    ten characters with the vowels and some digits swapped out (so that a suffix never spells a word).
    kustomize 5 reads the name from where the object has none, so it hashes an empty name: so do we."""
    encoded: dict = {"kind": doc["kind"], "name": "", "data": doc["data"]}
    if doc["kind"] == "Secret":
        encoded["type"] = doc["type"]
    text = json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return digest.translate(str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"}))


def _pod_spec(doc: dict) -> dict | None:
    if doc["kind"] not in WORKLOADS:
        return None
    spec = doc["spec"]
    if doc["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def _set_image(doc: dict, image: dict) -> None:
    spec = _pod_spec(doc)
    for container in (spec or {}).get("containers", []) + (spec or {}).get("initContainers", []):
        name, _, tag = container["image"].partition(":")
        if name == image["name"]:
            container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}".rstrip(":")


def _rename_references(doc: dict, renames: dict[tuple[str, str], str]) -> None:
    spec = _pod_spec(doc)
    if spec is None:
        return
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        for source in container.get("envFrom", []):
            for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                if key in source:
                    source[key]["name"] = renames.get((kind, source[key]["name"]), source[key]["name"])
        for variable in container.get("env", []):
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                ref = variable.get("valueFrom", {}).get(key)
                if ref:
                    ref["name"] = renames.get((kind, ref["name"]), ref["name"])
    for volume in spec.get("volumes", []):
        if "configMap" in volume:
            volume["configMap"]["name"] = renames.get(("ConfigMap", volume["configMap"]["name"]),
                                                      volume["configMap"]["name"])
        if "secret" in volume:
            volume["secret"]["secretName"] = renames.get(("Secret", volume["secret"]["secretName"]),
                                                         volume["secret"]["secretName"])


