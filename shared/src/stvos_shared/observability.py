"""Request ids, JSON logs (with the trace id beside the request id) and per-request metrics and spans."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from opentelemetry import context, trace
from opentelemetry.trace import SpanKind

from . import tracing
from .metrics import LATENCY, REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    return getattr(g, "request_id", None) if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            entry["requestId"] = request_id
        ids = tracing.current_ids()
        if ids:
            entry["traceId"], entry["spanId"] = ids
        for key in ("service", "method", "path", "status", "durationMs", "eventId", "eventType"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send JSON logs to stderr; safe to call more than once."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.handlers = [handler]
    root.setLevel(level.upper())
    # Nothing we log shows where, in which thread or process a record was made: not looked up per record
    # (the logging documentation's "Optimization" settings).
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False


def install_request_ids(app: Flask, service: str) -> None:
    """Take the caller's X-Request-ID (or make one), echo it back and log each request."""
    access_log = logging.getLogger("stvos.access")

    @app.before_request
    def _start() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        if started is not None and access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "request",
                extra={
                    "service": service,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "durationMs": round((time.perf_counter() - started) * 1000, 2),
                },
            )
        return response


def install_request_metrics(app: Flask, service: str) -> None:
    """Count and time every answer by route template (never the raw path), method and status."""

    children: dict[tuple[str, str, int], tuple] = {}  # labels -> (counter, histogram): few, looked up once

    @app.after_request
    def _observe(response):
        started = getattr(g, "request_started", None)
        if started is not None:
            key = (_route(), request.method, response.status_code)
            pair = children.get(key)
            if pair is None:
                labels = (service, key[0], key[1], str(key[2]))
                pair = children.setdefault(key, (REQUESTS.labels(*labels), LATENCY.labels(*labels)))
            pair[0].inc()
            pair[1].observe(time.perf_counter() - started)
        return response


def install_request_spans(app: Flask, service: str) -> None:
    """A server span per request, child of the caller's traceparent (or a new trace), current until teardown."""

    @app.before_request
    def _enter() -> None:
        parent = tracing.incoming(request.headers)
        if not tracing.recording():  # the no-op tracer's span would only repeat the parent's ids: no span
            g.trace_token = context.attach(parent)
            return
        span = tracing.tracer.start_span(f"{request.method} {_route()}", context=parent, kind=SpanKind.SERVER,
                                         attributes={"http.request.method": request.method,
                                                     "http.route": _route(), "stvos.service": service})
        g.trace_span, g.trace_token = span, context.attach(trace.set_span_in_context(span, parent))

    @app.after_request
    def _status(response):
        span = getattr(g, "trace_span", None)
        if span is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(trace.StatusCode.ERROR)
        return response

    @app.teardown_request
    def _leave(_error: BaseException | None) -> None:
        span, token = g.pop("trace_span", None), g.pop("trace_token", None)
        if span is not None:
            span.end()
        if token is not None:
            context.detach(token)


def _route() -> str:
    """The matched route's template (/trainers/<int:trainer_id>), so that labels stay few."""
    return request.url_rule.rule if request.url_rule is not None else "unmatched"
