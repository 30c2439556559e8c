"""W3C trace context: taken from the caller (or started), passed on every service call, carried in every event.

OpenTelemetry's SDK records spans and exports them (OTLP over HTTP) only when an endpoint is configured
(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). Without one the API's
no-op tracer still carries the caller's context: the `traceparent` a request came with is passed on to
the services it calls and written into the events it causes, and every log line names its trace.
"""
from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from opentelemetry import context, trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from .events.envelope import Event

TRACEPARENT = "traceparent"
log = logging.getLogger("stvos.tracing")
tracer = trace.get_tracer("stvos")  # a proxy: it uses whatever provider is installed later
_PROPAGATOR = TraceContextTextMapPropagator()
_configure_lock = threading.Lock()


@dataclass(frozen=True)
class TracingSettings:
    """Where spans go (no endpoint: nowhere) and the service name they are recorded under."""

    endpoint: str = ""
    service_name: str = ""

    @classmethod
    def from_env(cls) -> TracingSettings:
        base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").rstrip("/")
        endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or (f"{base}/v1/traces" if base else "")
        return cls(endpoint=endpoint, service_name=os.environ.get("OTEL_SERVICE_NAME", ""))


def recording() -> bool:
    """Whether an SDK tracer provider is installed (spans are recorded), rather than the API's no-op."""
    return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider | trace.NoOpTracerProvider)


def configure_tracing(service: str, settings: TracingSettings | None = None) -> bool:
    """Install the SDK with an OTLP exporter when an endpoint is configured (once a process); True if recording."""
    settings = settings or TracingSettings.from_env()
    with _configure_lock:
        if recording() or not settings.endpoint:
            return recording()
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        resource = Resource.create({"service.name": settings.service_name or f"stvos-{service}"})
        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.endpoint)))
        trace.set_tracer_provider(provider)
        log.info("tracing to %s", settings.endpoint)
        return True


def incoming(headers: Mapping[str, str]) -> context.Context:
    """The caller's trace context; a new trace when it sent none and no SDK will start one."""
    parent = _PROPAGATOR.extract(headers)
    if trace.get_current_span(parent).get_span_context().is_valid or recording():
        return parent
    started = SpanContext(trace_id=int(secrets.token_hex(16), 16), span_id=int(secrets.token_hex(8), 16),
                          is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
    return trace.set_span_in_context(NonRecordingSpan(started), parent)


def inject(headers: dict[str, str]) -> None:
    """Add the current trace context (traceparent, tracestate) to outgoing `headers`."""
    _PROPAGATOR.inject(headers)


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(TRACEPARENT)


def current_ids() -> tuple[str, str] | None:
    """(trace id, span id) of the current span in hex, for log lines."""
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return f"{span_context.trace_id:032x}", f"{span_context.span_id:016x}"


def event_context(event: Event) -> context.Context:
    """The trace an event was written in (an empty context for an event that carries none)."""
    return _PROPAGATOR.extract({TRACEPARENT: event.traceparent} if event.traceparent else {})


@contextmanager
def consuming(event: Event, consumer: str) -> Iterator[trace.Span]:
    """A consumer span for `event`, child of the trace it was published in, current while it is handled."""
    attributes = {"messaging.operation.type": "process", "messaging.destination.name": consumer,
                  "messaging.message.id": event.id, "stvos.event.type": event.type}
    with tracer.start_as_current_span(f"process {event.type}", context=event_context(event),
                                      kind=SpanKind.CONSUMER, attributes=attributes) as span:
        yield span


@contextmanager
def publishing(events: Sequence[Event], service: str) -> Iterator[list[Event]]:
    """A producer span per event; yields the events re-stamped so that each consumer's span is its child."""
    spans, stamped = [], []
    for event in events:
        span = tracer.start_span(f"publish {event.type}", context=event_context(event), kind=SpanKind.PRODUCER,
                                 attributes={"messaging.operation.type": "send", "stvos.service": service,
                                             "messaging.message.id": event.id})
        spans.append(span)
        carrier: dict[str, str] = {}
        _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
        stamped.append(replace(event, traceparent=carrier.get(TRACEPARENT, event.traceparent)))
    try:
        yield stamped
    except BaseException as error:
        for span in spans:
            span.record_exception(error)
            span.set_status(trace.StatusCode.ERROR, str(error))
        raise
    finally:
        for span in spans:
            span.end()
