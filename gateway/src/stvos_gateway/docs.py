"""The /docs page both gateways serve: every operation of the merged OpenAPI document with its summary."""
from __future__ import annotations

import html
from typing import Any


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
