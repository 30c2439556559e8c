"""The /docs page both gateways serve: Swagger UI over the merged OpenAPI document, from a packaged bundle.

The page is `docs_page(spec)`; its scripts and styles are `ASSETS` under `/docs/`, read from the
swagger-ui-bundle package (nothing is fetched from elsewhere, at build or run time). The embedded gateway
serves them from memory (`routes()`), nginx as files (`static_files()`, written beside openapi.json). "Try it
out" sends requests to this same origin, the gateway, with the API key, master trainer key or bearer token
entered under "Authorize" (the merged document's security schemes). Without JavaScript the page still lists
every operation.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from typing import Any

from swagger_ui_bundle import swagger_ui_path
from werkzeug.wrappers import Response

ASSET_PREFIX = "/docs/"
# What the page needs of the bundle, and our own initialiser (a file, so that no inline script is needed).
BUNDLE_ASSETS = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8"}
INIT_SCRIPT = "stvos-docs.js"
CONTENT_TYPES = {**BUNDLE_ASSETS, INIT_SCRIPT: "text/javascript; charset=utf-8"}
# Scripts and styles from this origin only; Swagger UI sets style attributes and draws icons from data: URIs;
# "try it out" calls this origin (connect-src). Both gateways send these with the page and its assets.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_INIT = """// The stvos API reference: Swagger UI over the gateway's merged document; "try it out" calls this origin.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""


@cache
def assets() -> dict[str, str]:
    """Every file under /docs/: its name and text."""
    bundled = {name: (swagger_ui_path / name).read_text(encoding="utf-8") for name in BUNDLE_ASSETS}
    return {**bundled, INIT_SCRIPT: _INIT}


def _operations(spec: dict[str, Any]) -> str:
    rows = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                rows.append(f"<li><code>{method.upper()} {html.escape(path)}</code> "
                            f"{html.escape(operation.get('summary', ''))}</li>")
    return "".join(rows)


def docs_page(spec: dict[str, Any]) -> str:
    """The page: Swagger UI, and the plain list of operations for a reader without JavaScript."""
    title = html.escape(spec.get("info", {}).get("title", "API"))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} reference</title>"
            f"<link rel='icon' href='data:,'><link rel='stylesheet' href='{ASSET_PREFIX}swagger-ui.css'>"
            f"</head><body><div id='swagger-ui'></div><noscript><h1>{title}</h1><p>The full document: "
            f"<a href='/openapi.json'>/openapi.json</a></p><ul>{_operations(spec)}</ul></noscript>"
            f"<script src='{ASSET_PREFIX}swagger-ui-bundle.js'></script>"
            f"<script src='{ASSET_PREFIX}{INIT_SCRIPT}'></script></body></html>")


def static_files(spec: dict[str, Any]) -> dict[str, str]:
    """What nginx serves from its static directory for /docs: the page and every asset."""
    return {"docs.html": docs_page(spec), **{f"docs/{name}": text for name, text in assets().items()}}


def routes(spec: Callable[[], dict[str, Any]]) -> dict[str, Callable]:
    """The embedded gateway's /docs and its assets, as WSGI apps by exact path."""
    def page(environ, start_response):
        response = Response(docs_page(spec()), mimetype="text/html", headers=SECURITY_HEADERS)
        return response(environ, start_response)

    def asset(name: str) -> Callable:
        def serve(environ, start_response):
            response = Response(assets()[name], content_type=CONTENT_TYPES[name],
                                headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"})
            return response(environ, start_response)
        return serve

    return {"/docs": page, **{f"{ASSET_PREFIX}{name}": asset(name) for name in CONTENT_TYPES}}
