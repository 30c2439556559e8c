"""/docs is Swagger UI over the merged document, from packaged files, on both gateways: a headless Chromium
loads it and sees every tag and an operation's schema; the document's security schemes are what the gateway
and the services ask for, so "try it out" with them is answered."""
from __future__ import annotations

import re
import shutil
import subprocess
import threading
from types import SimpleNamespace

import pytest
import requests
from stvos_auth import admin as auth_admin
from stvos_gateway import docs, nginx
from stvos_runner.openapi_merge import merged_spec
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.serving import make_server

from tests.e2e.nginx_harness import NginxGateway, Upstreams

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# An operation Swagger UI opens by its deep link (#/<tag>/<operationId, or method_path when there is none>).
OPERATION = ("auth", "post_auth_login")


@pytest.fixture(scope="module")
def gateways(tmp_path_factory):
    platform = EmbeddedPlatform(str(tmp_path_factory.mktemp("var")))
    spec = merged_spec(platform.apps, platform.table)
    server = make_server("127.0.0.1", 0, platform.gateway, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = {"embedded": f"http://127.0.0.1:{server.server_port}"}
    upstreams = proxy = None
    if nginx.find_nginx():
        upstreams = Upstreams(platform.apps)
        proxy = NginxGateway(tmp_path_factory.mktemp("nginx"), platform.table, upstreams.ports, openapi=spec)
        urls["nginx"] = proxy.url
    yield SimpleNamespace(platform=platform, spec=spec, urls=urls)
    if proxy:
        proxy.stop()
        upstreams.close()
    server.shutdown()
    platform.stop()


@pytest.fixture(params=["embedded", "nginx"])
def url(request, gateways) -> str:
    if request.param not in gateways.urls:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    return gateways.urls[request.param]


def _tags(spec: dict) -> set[str]:
    return {tag for operations in spec["paths"].values() for operation in operations.values()
            if isinstance(operation, dict) for tag in operation.get("tags", [])}


def test_the_page_and_its_assets_come_from_the_gateway_with_headers_that_let_it_work(url, gateways):
    page = requests.get(f"{url}/docs", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    sources = re.findall(r"(?:src|href)='([^']+)'", page.text)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], "nothing from another origin"
    for name, text in docs.assets().items():
        asset = requests.get(f"{url}{docs.ASSET_PREFIX}{name}", timeout=10)
        assert asset.status_code == 200, name
        assert asset.text == text, name
        assert asset.headers["Content-Type"].split(";")[0] == docs.CONTENT_TYPES[name].split(";")[0], name
        assert asset.headers["X-Content-Type-Options"] == "nosniff", name
    assert requests.get(f"{url}{docs.ASSET_PREFIX}nope.js", timeout=10).status_code == 404
    assert requests.get(url + "/openapi.json", timeout=10).json() == gateways.spec


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)")
def test_a_browser_sees_every_tag_and_an_operations_schema(url, gateways, tmp_path):
    tag, operation = OPERATION
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={tmp_path}", "--virtual-time-budget=30000", "--dump-dom",
         f"{url}/docs#/{tag}/{operation}"],
        capture_output=True, text=True, timeout=120, check=False)
    dom = done.stdout
    assert "swagger-ui" in dom, done.stderr[-2000:]
    shown = set(re.findall(r'data-tag="([^"]+)"', dom))
    assert shown == _tags(gateways.spec), "Swagger UI did not render (scripts refused or failed?)"
    at = dom.index(f'id="operations-{tag}-{operation}"')
    opening = dom[dom.rindex("<div", 0, at):dom.index(">", at)]
    assert "is-open" in opening, "the deep link did not open the operation"
    following = dom.find('id="operations-', at + 1)
    body = dom[at:following if following > 0 else len(dom)].replace("&quot;", '"')
    assert "Request body" in body and "Try it out" in body
    assert '"email"' in body and '"password"' in body  # the request body's schema, as its example
    assert 'class="btn authorize' in dom  # the document's security schemes, for "try it out"


def _headers(spec: dict, requirement: dict, credentials: dict[str, str]) -> dict[str, str]:
    """What Swagger UI sends for one security requirement, from the document's schemes alone."""
    headers = {}
    for name in requirement:
        scheme = spec["components"]["securitySchemes"][name]
        if scheme["type"] == "apiKey":
            assert scheme["in"] == "header"
            headers[scheme["name"]] = credentials[name]
        else:
            assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
            headers["Authorization"] = f"Bearer {credentials[name]}"
    return headers


def test_try_it_out_with_the_declared_schemes_is_answered_through_the_gateway(url, gateways):
    spec = gateways.spec
    assert {"apiKey", "bearerAuth", "masterTrainerKey"} <= set(spec["components"]["securitySchemes"])
    tenant = auth_admin.create_client(gateways.platform.containers["auth"], name=f"Docs {url[-5:]}")
    key = {"apiKey": tenant["apiKey"]}
    email = f"docs-{url[-5:]}@example.com"
    register = spec["paths"]["/auth/register"]["post"]
    registered = requests.post(f"{url}/auth/register", json={"email": email, "password": "docs-password-1"},
                               headers=_headers(spec, register["security"][0], key), timeout=10)
    assert registered.status_code == 201, registered.text
    credentials = {**key, "bearerAuth": registered.json()["data"]["accessToken"]}
    for path in ("/auth/me", "/trainers", "/my-bookings/summary"):
        requirement = spec["paths"][path]["get"]["security"][0]
        assert "apiKey" in requirement and "bearerAuth" in requirement, path  # the gateway's key and the token
        answered = requests.get(url + path, headers=_headers(spec, requirement, credentials), timeout=10)
        assert answered.status_code == 200, (path, answered.text)
        without_key = {k: v for k, v in _headers(spec, requirement, credentials).items() if k != "X-API-Key"}
        assert requests.get(url + path, headers=without_key, timeout=10).status_code == 401, path
