"""The merged OpenAPI document both gateways serve: every service's operations the route table exposes."""
from __future__ import annotations

import json
import re
from typing import Any

from stvos_gateway.routes import RouteTable
from werkzeug.test import Client

_PARAM = re.compile(r"\{[^}/]+\}")
# What the gateway asks of a caller before the service sees the request, by the route's access level, as the
# security schemes the services declare (so that /docs' "try it out" sends the key the gateway wants).
GATEWAY_KEYS = {"api_key": ("apiKey",), "api_key_or_master": ("apiKey", "masterTrainerKey")}


def service_spec(app: Any) -> dict[str, Any]:
    return Client(app).get("/openapi.json").get_json()


def _public_path(table: RouteTable, service: str, path: str) -> bool:
    route = table.match(_PARAM.sub("1", path))
    return route is not None and route.access != "closed" and route.service == service


def _with_gateway_keys(operations: dict[str, Any], access: str) -> dict[str, Any]:
    """Each operation's security requirements, each alternative also asking for the key the gateway checks."""
    keys = GATEWAY_KEYS.get(access, ())
    if not keys:
        return operations
    result = dict(operations)
    for method, operation in operations.items():
        if not isinstance(operation, dict) or "responses" not in operation:
            continue
        alternatives: list[dict] = []
        for requirement in operation.get("security") or [{}]:
            for key in keys:
                candidate = requirement if set(keys) & set(requirement) else {**requirement, key: []}
                if candidate not in alternatives:
                    alternatives.append(candidate)
        result[method] = {**operation, "security": alternatives}
    return result


def merged_spec(apps: dict[str, Any], table: RouteTable) -> dict[str, Any]:
    """Every operation reachable through the gateway, with the key the gateway checks among its security
    requirements; the tags the operations use; component names prefixed by service."""
    merged: dict[str, Any] = {
        "openapi": "3.0.3", "info": {"title": "stvos API", "version": "1.0.0"}, "tags": [], "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}, "responses": {}},
    }
    for service, app in apps.items():
        raw = json.dumps(service_spec(app))
        spec = json.loads(raw.replace("#/components/schemas/", f"#/components/schemas/{service}_")
                          .replace("#/components/responses/", f"#/components/responses/{service}_"))
        for path, operations in spec.get("paths", {}).items():
            if _public_path(table, service, path):
                route = table.match(_PARAM.sub("1", path))
                merged["paths"][path] = _with_gateway_keys(operations, route.access)
        used = {tag for operations in merged["paths"].values() for operation in operations.values()
                if isinstance(operation, dict) for tag in operation.get("tags", [])}
        merged["tags"] += [tag for tag in spec.get("tags", []) if tag["name"] in used and tag not in merged["tags"]]
        components = spec.get("components", {})
        for kind in ("schemas", "responses"):
            for name, value in components.get(kind, {}).items():
                merged["components"][kind][f"{service}_{name}"] = value
        merged["components"]["securitySchemes"].update(components.get("securitySchemes", {}))
    merged["paths"] = dict(sorted(merged["paths"].items()))
    return merged
