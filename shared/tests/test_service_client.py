"""The one service-to-service client: in-process or HTTP, request id and caller forwarded, failures as 503."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from flask import Flask, jsonify, request
from stvos_shared.errors import ServiceUnavailable
from stvos_shared.observability import install_request_ids
from stvos_shared.service_client import InProcApps, ServiceClient
from werkzeug.serving import make_server


def peer_app() -> Flask:
    app = Flask("peer")
    calls = app.config.setdefault("CALLS", [])

    @app.route("/echo", methods=["GET", "POST"])
    def echo():
        calls.append(request.method)
        return jsonify({"success": True, "data": {
            "requestId": request.headers.get("X-Request-ID"), "authorization": request.headers.get("Authorization"),
            "clientId": request.headers.get("X-Client-Id"), "body": request.get_json(silent=True)}})

    @app.get("/slow")
    def slow():
        time.sleep(1.0)
        return jsonify({})

    @app.get("/broken")
    def broken():
        return jsonify({"success": False}), 500

    return app


def caller_app(peer_url: str, apps: InProcApps | None = None) -> Flask:
    app = Flask("caller")
    install_request_ids(app, "caller")
    client = ServiceClient(peer_url, apps=apps, read_timeout=0.3)

    @app.post("/call")
    def call():
        return jsonify(client.post("/echo", {"n": 1}).data)

    return app


@pytest.fixture(scope="module")
def http_peer():
    app = peer_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app.config["CALLS"]
    server.shutdown()


@pytest.mark.parametrize("transport", ["inproc", "http"])
def test_request_id_token_and_tenant_of_the_caller_are_forwarded(transport, http_peer):
    if transport == "inproc":
        apps = InProcApps()
        apps.register("peer-under-test", peer_app())
        url = "inproc://peer-under-test"
    else:
        apps, url = None, http_peer[0]
    response = caller_app(url, apps).test_client().post("/call", headers={
        "X-Request-ID": "req-1", "Authorization": "Bearer abc", "X-Client-Id": "7"})
    assert response.get_json() == {"requestId": "req-1", "authorization": "Bearer abc", "clientId": "7",
                                   "body": {"n": 1}}


def test_a_slow_peer_times_out_as_service_unavailable(http_peer):
    with pytest.raises(ServiceUnavailable):
        ServiceClient(http_peer[0], read_timeout=0.2, retries=0).get("/slow")


def test_a_peer_5xx_is_service_unavailable(http_peer):
    with pytest.raises(ServiceUnavailable) as caught:
        ServiceClient(http_peer[0]).get("/broken")
    assert caught.value.status == 503


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_peer_is_service_unavailable():
    with pytest.raises(ServiceUnavailable):
        ServiceClient(f"http://127.0.0.1:{_closed_port()}", connect_timeout=0.2, retries=1).get("/echo")


def test_idempotent_calls_are_retried_and_posts_are_not(http_peer, monkeypatch):
    import requests

    client = ServiceClient(http_peer[0], retries=2)
    attempts = {"GET": 0, "POST": 0}
    real = requests.Session.request

    def flaky(self, method, url, **kwargs):
        attempts[method] += 1
        if attempts[method] == 1:
            raise requests.ConnectionError("reset")
        return real(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", flaky)
    assert client.get("/echo").status == 200
    with pytest.raises(ServiceUnavailable):
        client.post("/echo", {"n": 1})
    assert attempts == {"GET": 2, "POST": 1}


def test_an_unknown_inproc_service_is_service_unavailable():
    with pytest.raises(ServiceUnavailable):
        ServiceClient("inproc://nobody-registered").get("/echo")
