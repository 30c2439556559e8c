"""Tracing as a fresh process sets it up: off without an endpoint (ids still flow), OTLP/HTTP with one."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

SCRIPT = textwrap.dedent("""
    import json, logging, sys
    from opentelemetry import trace
    from stvos_shared.app_factory import create_service_app
    from stvos_shared.observability import configure_logging
    from stvos_shared.service_client import InProcApps, ServiceClient
    from stvos_shared.tracing import recording

    configure_logging("INFO")
    apps = InProcApps()
    back = create_service_app("back", title="Back", blueprints=[])
    front = create_service_app("front", title="Front", blueprints=[])
    from flask import request
    back.get("/echo")(lambda: {"traceparent": request.headers.get("traceparent")})
    front.get("/call")(lambda: ServiceClient("inproc://back", apps=apps).get("/echo").body)
    apps.register("back", back)
    answers = [front.test_client().get("/call", headers=json.loads(sys.argv[1])).get_json() for _ in range(2)]
    provider = trace.get_tracer_provider()
    if recording():
        provider.force_flush()
    print(json.dumps({"recording": recording(), "answers": answers}))
""")


def run(headers: dict, **env: str) -> tuple[dict, list[dict]]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(headers)], capture_output=True, text=True,
                          timeout=60, env={**clean, **env}, check=False)
    assert done.returncode == 0, done.stderr
    logs = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    return json.loads(done.stdout.splitlines()[-1]), logs


def test_without_an_endpoint_nothing_is_recorded_but_the_callers_trace_is_passed_on_and_logged():
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    result, logs = run({"traceparent": caller})
    assert result["recording"] is False
    assert [answer["traceparent"] for answer in result["answers"]] == [caller, caller]
    assert {line["traceId"] for line in logs if line["logger"] == "stvos.access"} == {caller.split("-")[1]}


def test_without_an_endpoint_a_request_that_brings_no_trace_gets_one_of_its_own():
    result, logs = run({})
    first, second = (answer["traceparent"].split("-")[1] for answer in result["answers"])
    assert first != second, "each request starts its own trace"
    access = [line["traceId"] for line in logs if line["logger"] == "stvos.access" and line["path"] == "/call"]
    assert access == [first, second]


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, int]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, self.headers["Content-Type"], len(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args) -> None:
        pass


def test_with_an_endpoint_spans_are_exported_over_otlp_http():
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result, _ = run({}, OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
    assert result["recording"] is True
    assert Collector.received and {(path, kind) for path, kind, _ in Collector.received} == {
        ("/v1/traces", "application/x-protobuf")}
    assert sum(size for *_, size in Collector.received) > 200  # four spans' worth, not an empty export
