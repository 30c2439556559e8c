"""The rendered nginx in front of the real service apps: it enforces the table exactly as the embedded gateway does."""
from __future__ import annotations

import importlib
import json
import re
import time
from dataclasses import replace
from types import SimpleNamespace

import pytest
import requests
from stvos_gateway import nginx
from stvos_gateway.embedded import KEY_CHECK_PATH
from stvos_gateway.routes import Limit, RouteTable, load_table
from stvos_runner.commands import Operator
from stvos_runner.openapi_merge import merged_spec
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.test import Client

from tests.e2e.nginx_harness import CountingApp, NginxGateway, Upstreams, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(nginx.find_nginx() is None,
                       reason="nginx is not installed (Debian: apt-get install nginx-light)"),
]
OVERSIZE = b"x" * (1024 * 1024 + 1)
# Spec paths beyond the table's own patterns, so that real endpoints are exercised too.
SPEC_PATHS = ["/auth/login", "/auth/me", "/auth/voucher/validate", "/trainer-auth/check-email", "/partner-auth/me",
              "/trainers", "/trainers/1", "/trainers/1/services", "/trainers/1/availability", "/my-bookings/summary",
              "/trainer-portal/dashboard", "/invite/check"]
# The gateway's own pages, paths no route matches, and the internal API.
OTHER_PATHS = ["/healthz", "/openapi.json", "/docs", "/", "/nope", "/auth", "/trainersx", "/trainers/1/book/extra",
               "/healthz/x", "/readyz", "/internal/gateway/check-key", "/internal/vouchers/redeem", "/_stvos/check-key",
               "/Auth/login", "/metrics", "/stub_status"]


def _unlimited(table: RouteTable) -> RouteTable:
    """The table with rate limits out of the way: parity is about routing and rejection (429 is tested alone)."""
    return table.unlimited()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    platform = EmbeddedPlatform(str(tmp_path_factory.mktemp("var")), table=_unlimited(load_table()))
    upstreams = Upstreams(platform.apps)
    gateway = NginxGateway(tmp_path_factory.mktemp("nginx"), platform.table, upstreams.ports,
                           openapi=merged_spec(platform.apps, platform.table))
    # The embedded gateway gets its own counters (platform.apps stays as it is: in-process calls, key checks).
    platform.gateway.apps = {name: CountingApp(app) for name, app in platform.apps.items()}
    yield SimpleNamespace(platform=platform, upstreams=upstreams, nginx=gateway, embedded=Client(platform.gateway))
    gateway.stop()
    upstreams.close()
    platform.stop()


@pytest.fixture(scope="module")
def key_check(live):
    """auth's key check must exist for anything that depends on a key being accepted or refused."""
    rules = {rule.rule for rule in live.platform.apps["auth"].url_map.iter_rules()}
    if KEY_CHECK_PATH not in rules:
        pytest.skip(f"auth does not serve {KEY_CHECK_PATH} yet")


def new_tenant(live, name: str) -> dict:
    try:
        admin = importlib.import_module("stvos_auth.admin")
    except ImportError:
        pytest.skip("stvos_auth.admin (create_client, set_master_trainer_key) is not written yet")
    tenant = admin.create_client(live.platform.containers["auth"], name=name)
    master = admin.set_master_trainer_key(live.platform.containers["auth"])
    live.platform.flush()
    return {**tenant, **master}


@pytest.fixture(scope="module")
def tenant(live, key_check):
    return new_tenant(live, "Gateway Parity Studio")


def test_unknown_key_gets_401_and_no_request_reaches_a_service(live, key_check):
    before = live.upstreams.reached()
    response = live.nginx.request("GET", "/trainers", headers={"X-API-Key": "stv_not_a_real_key"})
    assert response.status_code == 401
    assert response.json() == {"success": False, "error": {"code": "API_KEY_INVALID",
                                                           "message": "A valid X-API-Key is required."}}
    assert live.upstreams.reached() == before


def test_callers_x_client_id_is_replaced_by_the_tenant_of_the_key(live, tenant):
    catalog = live.upstreams.apps["catalog"]
    live.nginx.request("GET", "/trainers", headers={"X-API-Key": tenant["apiKey"], "X-Client-Id": "999999"})
    assert catalog.seen[-1].path == "/trainers"
    assert catalog.seen[-1].client_id == str(tenant["clientId"])


def test_public_route_forwards_no_x_client_id_even_when_the_caller_sends_one(live):
    catalog = live.upstreams.apps["catalog"]
    live.nginx.request("POST", "/invite/check", json={}, headers={"X-Client-Id": "999999", "x-client-id": "5"})
    assert catalog.seen[-1].path == "/invite/check"
    assert catalog.seen[-1].client_id is None


def test_valid_key_answer_is_cached_so_auth_is_asked_once(live, key_check):
    tenant = new_tenant(live, "Cache Studio")
    checks = live.upstreams.apps["auth"].key_checks
    before = len(checks)
    for _ in range(3):  # the key passes; the catalog then asks for the user's token itself
        answer = live.nginx.request("GET", "/trainers", headers={"X-API-Key": tenant["apiKey"]})
        assert answer.json()["error"]["code"] == "TOKEN_INVALID"
    assert len(checks) == before + 1


def test_a_revoked_key_answers_401_at_both_gateways_within_2_seconds(live, key_check):
    tenant = new_tenant(live, "Revoked Studio")
    headers = {"X-API-Key": tenant["apiKey"]}

    def codes() -> tuple[str, str]:
        through_nginx = live.nginx.request("GET", "/trainers", headers=headers).json()["error"]["code"]
        return through_nginx, live.embedded.get("/trainers", headers=headers).get_json()["error"]["code"]

    assert codes() == ("TOKEN_INVALID", "TOKEN_INVALID")  # the key passed: both gateways now cache its answer
    # The operator's command, from a process of its own: its containers, on the same databases.
    urls = {name: container.db.engine.url.render_as_string(hide_password=False)
            for name, container in live.platform.containers.items()}
    operator = Operator(live.platform.var_dir, urls)
    try:
        operator.run("revoke-api-key", client_id=tenant["clientId"], api_key=tenant["apiKey"])
    finally:
        operator.close()
    revoked = time.monotonic()
    while codes() != ("API_KEY_INVALID", "API_KEY_INVALID"):
        assert time.monotonic() - revoked < 2.0, codes()
        time.sleep(0.05)


@pytest.mark.parametrize("path", ["/internal/gateway/check-key", "/internal/vouchers/redeem", "/_stvos/check-key"])
def test_internal_paths_answer_404_and_never_reach_a_service(live, path):
    before = live.upstreams.reached()
    response = live.nginx.request("GET", path, headers={"X-API-Key": "anything"})
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "NOT_FOUND", "message": "No such endpoint."}
    assert live.upstreams.reached() == before


UNSAFE_PATHS = ["/trainers/../internal/gateway/check-key", "/internal/../auth/login", "/auth/%2e%2e/internal/x",
                "//auth/login", "/auth/./login", "/partner/%2Finternal/vouchers/redeem", "/partner-auth/.."]


@pytest.mark.parametrize("path", UNSAFE_PATHS)
def test_paths_with_dot_segments_or_encoded_slashes_are_404_at_both_gateways(live, path):
    import http.client
    from urllib.parse import urlsplit

    before = live.upstreams.reached()
    address = urlsplit(live.nginx.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", path, headers={"X-API-Key": "anything"})  # sent raw: no client-side normalising
    raw = connection.getresponse()
    assert (raw.status, json.loads(raw.read())["error"]["code"]) == (404, "NOT_FOUND")
    connection.close()
    embedded = live.embedded.get(path, headers={"X-API-Key": "anything"})
    assert (embedded.status_code, embedded.get_json()["error"]["code"]) == (404, "NOT_FOUND")
    assert live.upstreams.reached() == before


def test_oversized_body_gets_413_json_before_any_service(live):
    before = live.upstreams.reached()
    response = live.nginx.request("POST", "/partner-auth/login", data=OVERSIZE,
                                  headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert live.upstreams.reached() == before


def test_request_id_is_passed_through_or_generated(live):
    catalog = live.upstreams.apps["catalog"]
    response = live.nginx.request("POST", "/invite/check", json={}, headers={"X-Request-ID": "e2e-req.1"})
    assert catalog.seen[-1].request_id == "e2e-req.1" == response.headers["X-Request-ID"]
    live.nginx.request("POST", "/invite/check", json={}, headers={"X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", catalog.seen[-1].request_id)


TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_a_traceparent_is_passed_through_or_started_from_nginxs_request_id(live):
    catalog = live.upstreams.apps["catalog"]
    live.nginx.request("POST", "/invite/check", json={}, headers={"traceparent": TRACEPARENT, "tracestate": "v=1"})
    assert (catalog.seen[-1].traceparent, catalog.seen[-1].tracestate) == (TRACEPARENT, "v=1")
    live.nginx.request("POST", "/invite/check", json={}, headers={"traceparent": "00-zz", "tracestate": "v=1"})
    request_id = catalog.seen[-1].request_id
    assert catalog.seen[-1].traceparent == f"00-{request_id}-{request_id[16:]}-01"
    assert not catalog.seen[-1].tracestate


def test_nginx_status_answers_on_its_own_port_only(live):
    status = requests.get(f"http://127.0.0.1:{live.nginx.status_port}/stub_status", timeout=5)
    assert status.status_code == 200 and status.text.startswith("Active connections:")
    assert live.nginx.request("GET", "/stub_status").status_code == 404


def test_burst_beyond_the_limit_gets_429_with_retry_after_from_both_gateways(live, tmp_path):
    table = replace(load_table(), limits=replace(load_table().limits, per_address=Limit(1, 2)))
    gateway = NginxGateway(tmp_path, table, live.upstreams.ports)
    try:
        answers = [gateway.request("POST", "/invite/check", json={}) for _ in range(8)]
    finally:
        gateway.stop()
    limited = [answer for answer in answers if answer.status_code == 429]
    assert 1 <= len(limited) <= 5
    assert all(answer.headers["Retry-After"] == "1" for answer in limited)
    assert limited[0].content.decode() == nginx.error_json(429)
    embedded = EmbeddedPlatform(str(tmp_path / "var"), table=table)
    try:
        statuses = [Client(embedded.gateway).post("/invite/check", json={}).status_code for _ in range(8)]
    finally:
        embedded.stop()
    assert 429 in statuses


def test_unreachable_service_answers_503_service_unavailable(live, tmp_path):
    gateway = NginxGateway(tmp_path, live.platform.table, {**live.upstreams.ports, "catalog": free_port()})
    try:
        response = gateway.request("POST", "/invite/check", json={})
    finally:
        gateway.stop()
    assert response.status_code == 503
    assert response.content.decode() == nginx.error_json(503)


# --- parity: the same requests through nginx and through the embedded gateway ---------------------------------

def _sample_path(path: str) -> str:
    return re.sub(r"\{\w+\}", "1", path).replace("*", "parity-probe")


def parity_cases(table: RouteTable, tenant: dict) -> list[tuple[str, str, dict, bytes | None]]:
    """Every route's path (and the spec's), unknown and internal paths, under every kind of key, plus oversize."""
    valid, master = tenant["apiKey"], tenant["masterTrainerKey"]
    key_variants = [{}, {"X-API-Key": "stv_not_a_real_key"}, {"X-API-Key": valid},
                    {"X-API-Key": valid, "X-Client-Id": "999999"}, {"X-Master-Trainer-Key": master},
                    {"X-Master-Trainer-Key": "not-the-master-key"},
                    {"X-API-Key": "stv_not_a_real_key", "X-Master-Trainer-Key": master}]
    paths = list(dict.fromkeys([_sample_path(route.path) for route in table.routes] + SPEC_PATHS + OTHER_PATHS))
    cases = [("GET", path, headers, None) for path in paths for headers in key_variants]
    # nginx serves the two documents as static files (GET and HEAD; other methods 405), the embedded gateway any way.
    cases += [("POST", path, {"X-API-Key": valid, "Content-Type": "application/json"}, b"{}") for path in paths
              if path not in ("/openapi.json", "/docs")]
    oversize = {"Content-Type": "application/json"}
    cases += [("POST", path, {**oversize, **headers}, OVERSIZE)
              for path in ("/auth/login", "/partner-auth/login", "/internal/x", "/nope")
              for headers in ({}, {"X-API-Key": valid})]
    return cases


def _outcome(status: int, body: bytes, reached: dict[str, int], before: dict[str, int]) -> tuple:
    services = tuple(name for name, count in reached.items() if count != before[name])
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    error = payload.get("error", {}) if isinstance(payload, dict) and payload.get("success") is False else {}
    # A refusal by the gateway itself must be byte-for-byte the same; a service's answer is compared by code.
    return status, error.get("code"), error.get("message"), services, body if not services else None


def _through_nginx(live, method, path, headers, body) -> tuple:
    before = live.upstreams.reached()
    response = live.nginx.request(method, path, headers=headers, data=body)
    return _outcome(response.status_code, response.content, live.upstreams.reached(), before)


def _through_embedded(live, method, path, headers, body) -> tuple:
    counters = live.platform.gateway.apps
    before = {name: len(app.seen) for name, app in counters.items()}
    response = live.embedded.open(path, method=method, headers=headers, data=body)
    return _outcome(response.status_code, response.get_data(), {n: len(a.seen) for n, a in counters.items()}, before)


def test_nginx_and_embedded_gateway_route_and_reject_the_same_requests(live, tenant):
    cases = parity_cases(live.platform.table, tenant)
    differences, outcomes = [], []
    for method, path, headers, body in cases:
        ours = _through_nginx(live, method, path, headers, body)
        theirs = _through_embedded(live, method, path, headers, body)
        outcomes.append(ours)
        if ours != theirs:
            differences.append(f"{method} {path} {sorted(headers)}: nginx {ours[:4]} embedded {theirs[:4]}")
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(differences)
    # The table is not vacuous: it reached every service and drew every kind of refusal.
    assert {status for status, *_ in outcomes} >= {401, 404, 413}
    assert {service for *_, services, _ in outcomes for service in services} == set(live.platform.apps)
