"""The embedded gateway enforces the route table in front of the services."""
from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from stvos_gateway.embedded import EmbeddedGateway, KeyAnswer
from stvos_gateway.routes import Limit, load_table
from werkzeug.test import Client

VALID_KEY, TENANT = "stv_valid", "42"
MASTER_KEY = "master-secret"


class Echo:
    """A service stand-in that counts requests and echoes what the gateway forwarded."""

    def __init__(self, name: str) -> None:
        self.name, self.calls = name, []

    def __call__(self, environ, start_response):
        self.calls.append(environ["PATH_INFO"])
        body = json.dumps({"service": self.name, "clientId": environ.get("HTTP_X_CLIENT_ID"),
                           "realIp": environ.get("HTTP_X_REAL_IP"),
                           "requestId": environ.get("HTTP_X_REQUEST_ID"),
                           "traceparent": environ.get("HTTP_TRACEPARENT"),
                           "tracestate": environ.get("HTTP_TRACESTATE")}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]


class KeyCheck:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, api_key: str, master_key: str, allow_master: bool):
        self.calls += 1
        if api_key == VALID_KEY:
            return KeyAnswer(True, TENANT)
        return KeyAnswer(allow_master and master_key == MASTER_KEY)


@pytest.fixture
def setup():
    table = load_table()
    apps = {name: Echo(name) for name in table.services}
    check = KeyCheck()
    return Client(EmbeddedGateway(table, apps, check)), apps, check


def error_code(response) -> str:
    return response.get_json()["error"]["code"]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "stv_unknown"}])
def test_missing_or_unknown_key_is_401_and_reaches_no_service(setup, headers):
    client, apps, _ = setup
    response = client.get("/trainers", headers=headers)
    assert response.status_code == 401
    assert error_code(response) == "API_KEY_INVALID"
    assert all(not app.calls for app in apps.values())


def test_a_callers_x_client_id_is_never_forwarded(setup):
    client, _, _ = setup
    forwarded = client.get("/trainers", headers={"X-API-Key": VALID_KEY, "X-Client-Id": "999"}).get_json()
    assert forwarded["clientId"] == TENANT
    public = client.post("/partner-auth/login", headers={"X-Client-Id": "999"}).get_json()
    assert public["clientId"] is None


def test_a_callers_x_real_ip_is_replaced(setup):
    client, _, _ = setup
    forwarded = client.get("/trainers", headers={"X-API-Key": VALID_KEY, "X-Real-IP": "6.6.6.6"},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"}).get_json()
    assert forwarded["realIp"] == "10.1.2.3"


@pytest.mark.parametrize(("path", "service"), [
    ("/auth/login", "auth"), ("/auth/voucher/validate", "partner"), ("/trainers", "catalog"),
    ("/trainers/5", "catalog"), ("/trainers/5/services", "catalog"), ("/trainers/5/book", "booking"),
    ("/trainers/5/availability", "booking"), ("/trainers/5/my-bookings", "booking"),
    ("/trainers/5/programmes/subscribe", "booking"), ("/trainers/classes/9/join", "booking"),
    ("/my-bookings/summary", "booking"), ("/trainer-portal/dashboard", "portal"),
])
def test_key_routes_reach_their_service(setup, path, service):
    client, _, _ = setup
    assert client.get(path, headers={"X-API-Key": VALID_KEY}).get_json()["service"] == service


@pytest.mark.parametrize(("path", "service"), [
    ("/partner-auth/login", "partner"), ("/partner/trainers", "partner"), ("/invite/check", "catalog")])
def test_public_routes_need_no_key(setup, path, service):
    client, _, check = setup
    assert client.get(path).get_json()["service"] == service
    assert check.calls == 0


def test_trainer_auth_accepts_the_master_key_without_an_api_key(setup):
    client, _, _ = setup
    response = client.post("/trainer-auth/login", headers={"X-Master-Trainer-Key": MASTER_KEY}).get_json()
    assert (response["service"], response["clientId"]) == ("auth", None)


def test_the_master_key_opens_nothing_but_trainer_auth(setup):
    client, _, _ = setup
    assert client.post("/auth/login", headers={"X-Master-Trainer-Key": MASTER_KEY}).status_code == 401


@pytest.mark.parametrize("path", ["/internal/gateway/check-key", "/internal/vouchers/redeem",
                                  "/internal/invite-codes/redeem", "/nope", "/auth"])
def test_internal_and_unknown_paths_are_404_json(setup, path):
    client, apps, _ = setup
    response = client.get(path, headers={"X-API-Key": VALID_KEY})
    assert response.status_code == 404
    assert error_code(response) == "NOT_FOUND"
    assert all(not app.calls for app in apps.values())


def test_an_oversized_body_is_413(setup):
    client, apps, _ = setup
    response = client.post("/auth/login", data=b"x" * (1024 * 1024 + 1), headers={"X-API-Key": VALID_KEY})
    assert response.status_code == 413
    assert error_code(response) == "PAYLOAD_TOO_LARGE"
    assert not apps["auth"].calls


def tightly_limited() -> Client:
    """A gateway whose per-address limit is 1/s with a burst of 5, so that a test's few requests exceed it."""
    table = load_table()
    table = replace(table, limits=replace(table.limits, per_address=Limit(1, 5)))
    return Client(EmbeddedGateway(table, {name: Echo(name) for name in table.services}, KeyCheck()))


def test_a_burst_beyond_the_limit_gets_429_with_retry_after():
    client = tightly_limited()
    statuses = [client.get("/trainers", headers={"X-API-Key": VALID_KEY}) for _ in range(20)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited and statuses[0].status_code == 200
    assert limited[0].headers["Retry-After"] == "1"
    assert error_code(limited[0]) == "RATE_LIMITED"


def test_key_check_answers_are_cached(setup):
    client, _, check = setup
    for _ in range(5):
        client.get("/trainers", headers={"X-API-Key": VALID_KEY})
    assert check.calls == 1


def test_a_request_id_is_kept_or_made_once_for_the_whole_request(setup):
    client, _, _ = setup
    kept = client.get("/invite/check", headers={"X-Request-ID": "trace-42"}).get_json()
    assert kept["requestId"] == "trace-42"
    made = client.get("/invite/check", headers={"X-Request-ID": "bad id with spaces"}).get_json()
    assert len(made["requestId"]) == 32


TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_a_well_formed_traceparent_is_passed_on_with_its_tracestate(setup):
    client, _, _ = setup
    seen = client.get("/invite/check", headers={"traceparent": TRACEPARENT, "tracestate": "vendor=1"}).get_json()
    assert (seen["traceparent"], seen["tracestate"]) == (TRACEPARENT, "vendor=1")


@pytest.mark.parametrize("sent", [None, "garbage", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                                  "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                                  "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"])
def test_without_a_valid_traceparent_the_gateway_starts_a_trace_from_its_request_id(setup, sent):
    client, _, _ = setup
    headers = {"tracestate": "vendor=1", **({"traceparent": sent} if sent else {})}
    seen = client.get("/invite/check", headers=headers).get_json()
    version, trace_id, parent, flags = seen["traceparent"].split("-")
    assert (version, trace_id, parent, flags) == ("00", seen["requestId"], seen["requestId"][16:], "01")
    assert seen["tracestate"] is None


def test_metrics_are_never_routed(setup):
    client, apps, _ = setup
    for path in ("/metrics", "/metrics/", "/stub_status", "/auth/../metrics"):
        response = client.get(path, headers={"X-API-Key": VALID_KEY})
        assert response.status_code == 404 and error_code(response) == "NOT_FOUND", path
    assert not any(app.calls for app in apps.values())


def test_made_up_keys_do_not_escape_the_per_address_limit():
    client = tightly_limited()
    statuses = [client.get("/partner-auth/login", headers={"X-API-Key": f"stv_random_{n}"}).status_code
                for n in range(20)]
    assert 429 in statuses


def test_the_rate_limiter_forgets_callers_whose_bucket_refilled():
    from stvos_gateway.limits import RateLimiter

    limiter = RateLimiter(rate=1e9, burst=5, max_callers=100)
    for n in range(1000):
        limiter.allow(f"caller-{n}")
    assert len(limiter) <= 101


def test_a_content_length_that_is_not_a_number_is_400(setup):
    client, apps, _ = setup
    response = client.post("/partner-auth/login", data=b"{}", environ_overrides={"CONTENT_LENGTH": "abc"})
    assert (response.status_code, error_code(response)) == (400, "MALFORMED_REQUEST")
    assert not apps["partner"].calls


class Stalling(io.BytesIO):
    """A request body whose sender goes silent: the server's read times out."""

    def read(self, size: int | None = -1) -> bytes:
        raise TimeoutError("timed out")


def chunked(stream) -> dict:
    """How a server hands over a chunked body: no length, a stream that ends where the body does."""
    return {"input_stream": stream, "environ_overrides": {"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
            "headers": {"Transfer-Encoding": "chunked"}}


def test_a_body_without_a_length_is_capped_on_the_bytes_read(setup):
    client, apps, _ = setup
    response = client.post("/partner-auth/login", **chunked(io.BytesIO(b"x" * (1024 * 1024 + 1))))
    assert (response.status_code, error_code(response)) == (413, "PAYLOAD_TOO_LARGE")
    assert not apps["partner"].calls


def test_a_body_without_a_length_reaches_the_service_whole_and_with_its_length():
    seen = {}

    def service(environ, start_response):
        seen.update(length=environ["CONTENT_LENGTH"], body=environ["wsgi.input"].read(),
                    chunked="HTTP_TRANSFER_ENCODING" in environ)
        start_response("204 No Content", [])
        return []

    gateway = Client(EmbeddedGateway(load_table(), {"partner": service}, KeyCheck()))
    assert gateway.post("/partner-auth/login", **chunked(io.BytesIO(b'{"email": "a@b.c"}'))).status_code == 204
    assert seen == {"length": "18", "body": b'{"email": "a@b.c"}', "chunked": False}


def test_a_body_that_stops_arriving_is_408(setup):
    client, apps, _ = setup
    response = client.post("/partner-auth/login", **chunked(Stalling()))
    assert (response.status_code, error_code(response)) == (408, "REQUEST_TIMEOUT")
    assert not apps["partner"].calls


def test_key_checks_that_must_ask_auth_are_limited_per_address_so_made_up_keys_cannot_flood_it():
    table = load_table()
    table = replace(table, limits=replace(table.limits, key_misses=Limit(1, 3)))
    check = KeyCheck()
    client = Client(EmbeddedGateway(table, {name: Echo(name) for name in table.services}, check))
    statuses = [client.get("/trainers", headers={"X-API-Key": f"stv_made_up_{n}"}).status_code for n in range(10)]
    assert statuses[:3] == [401] * 3 and statuses.count(429) >= 6
    assert check.calls <= 4
    # A key whose answer is cached costs auth nothing, so it is not counted.
    other = {"REMOTE_ADDR": "10.9.9.9"}
    assert client.get("/trainers", headers={"X-API-Key": VALID_KEY}, environ_base=other).status_code == 200
    for _ in range(10):
        assert client.get("/trainers", headers={"X-API-Key": VALID_KEY}, environ_base=other).status_code == 200
