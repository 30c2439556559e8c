"""The merged OpenAPI document the gateway serves, the /docs page, and the committed per-service files."""
from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from .routes import RouteTable

ROOT = Path(__file__).resolve().parents[3]
_PARAM = re.compile(r"\{[^}/]+\}")


def service_spec(app: Any) -> dict[str, Any]:
    return Client(app).get("/openapi.json").get_json()


def _public_path(table: RouteTable, service: str, path: str) -> bool:
    route = table.match(_PARAM.sub("1", path))
    return route is not None and route.access != "closed" and route.service == service


def merged_spec(apps: dict[str, Any], table: RouteTable) -> dict[str, Any]:
    """Every operation reachable through the gateway; component names prefixed by service."""
    merged: dict[str, Any] = {
        "openapi": "3.0.3", "info": {"title": "stvos API", "version": "1.0.0"}, "paths": {},
        "components": {"schemas": {}, "securitySchemes": {}, "responses": {}},
    }
    for service, app in apps.items():
        raw = json.dumps(service_spec(app))
        spec = json.loads(raw.replace("#/components/schemas/", f"#/components/schemas/{service}_")
                          .replace("#/components/responses/", f"#/components/responses/{service}_"))
        for path, operations in spec.get("paths", {}).items():
            if _public_path(table, service, path):
                merged["paths"][path] = operations
        components = spec.get("components", {})
        for kind in ("schemas", "responses"):
            for name, value in components.get(kind, {}).items():
                merged["components"][kind][f"{service}_{name}"] = value
        merged["components"]["securitySchemes"].update(components.get("securitySchemes", {}))
    merged["paths"] = dict(sorted(merged["paths"].items()))
    return merged


def docs_page(spec: dict[str, Any]) -> str:
    """A dependency-free HTML page listing every operation with its summary."""
    rows = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                codes = ", ".join(sorted(operation["responses"]))
                rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                            f"<td>{html.escape(operation.get('summary', ''))}</td><td>{codes}</td></tr>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>stvos API</title>"
            "<style>body{font-family:sans-serif;margin:2em}td{padding:.2em .8em;border-bottom:1px solid #ddd}"
            "</style></head><body><h1>stvos API</h1><p>The full document: <a href='/openapi.json'>"
            "/openapi.json</a></p><table><tr><th>method</th><th>path</th><th>summary</th><th>responses</th></tr>"
            + "".join(rows) + "</table></body></html>")


def committed_path(service: str) -> Path:
    return ROOT / "services" / service / "openapi.json"


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True) + "\n"


def main() -> None:
    """Write each service's OpenAPI document to services/<name>/openapi.json."""
    import tempfile

    from .platform import EmbeddedPlatform

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        platform = EmbeddedPlatform(var_dir, create_schema=False)
        for service, app in platform.apps.items():
            committed_path(service).write_text(render(service_spec(app)))


if __name__ == "__main__":
    main()
