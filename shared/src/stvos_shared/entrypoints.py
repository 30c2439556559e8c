"""The long-running processes every service has in production: its outbox relay and its consumer (and, for a
service with scheduled jobs, its job runner).

Each serves its metrics on METRICS_PORT, traces when an OTLP endpoint is configured, and stops on the
first SIGTERM: the relay after the batch in hand (published and marked sent, or left pending), the
consumer after the message in hand (applied and acknowledged), the job runner after the batch in hand
(committed with its events in the outbox, or rolled back).
"""
from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass

from prometheus_client import REGISTRY

from . import heap
from .container import ServiceContainer
from .events.backlog import OutboxBacklog
from .events.relay import Relay
from .jobs import drain, run_periodically
from .metrics import MetricsSettings, serve_metrics
from .observability import configure_logging
from .settings import JobSettings
from .signals import stop_on_signals
from .tracing import configure_tracing


@dataclass(frozen=True)
class BrokerSettings:
    """Names on the broker: two deployments may share one when each has its own exchange and queue names."""

    exchange: str = "stvos.events"
    queue_prefix: str = ""

    @classmethod
    def from_env(cls) -> BrokerSettings:
        return cls(exchange=os.environ.get("BROKER_EXCHANGE") or cls.exchange,
                   queue_prefix=os.environ.get("BROKER_QUEUE_PREFIX", ""))


def _broker(broker_url: str, names: BrokerSettings):
    if not broker_url:
        raise SystemExit("BROKER_URL is not set: the relay and consumer processes need RabbitMQ")
    from .events.rabbitmq import RabbitTransport  # pika is a production-only dependency

    return RabbitTransport(broker_url, exchange=names.exchange)


def run_relay(container: ServiceContainer, broker_url: str, log_level: str = "INFO",
              names: BrokerSettings | None = None) -> None:
    """Publish the service's outbox to RabbitMQ until SIGTERM."""
    stop = stop_on_signals()  # first: every thread started later leaves the signals to the watcher
    configure_logging(log_level)
    configure_tracing(container.name)
    transport = _broker(broker_url, names or BrokerSettings.from_env())
    REGISTRY.register(OutboxBacklog(container.name, container.db, container.outbox))
    serve_metrics(MetricsSettings.from_env())
    heap.settle()
    try:
        Relay(container.db, container.outbox, transport, service=container.name).run(stop, interval=0.2)
    finally:
        transport.close()
        container.db.dispose()


def run_consumer(container: ServiceContainer, broker_url: str, log_level: str = "INFO",
                 names: BrokerSettings | None = None) -> None:
    """Apply the events the service listens to until SIGTERM (exits at once if it listens to none)."""
    configure_logging(log_level)
    if container.consumer is None:
        return
    stop = stop_on_signals()
    configure_tracing(container.name)
    names = names or BrokerSettings.from_env()
    transport = _broker(broker_url, names)
    consumer = container.consumer
    transport.subscribe(names.queue_prefix + consumer.name, consumer.bindings, consumer.handle)
    serve_metrics(MetricsSettings.from_env())
    heap.settle()
    try:
        transport.run(stop)
    finally:
        container.db.dispose()


def run_jobs(container: ServiceContainer, log_level: str = "INFO", argv: list[str] | None = None) -> None:
    """Run the service's scheduled jobs every JOB_INTERVAL_SECONDS until SIGTERM; with `--once`, drain each job
    once, print {job: rows changed} as JSON and exit (for a cron or an operator). Needs only the database: the
    jobs' events go to the outbox and the relay publishes them."""
    once = "--once" in (sys.argv[1:] if argv is None else argv)
    configure_logging(log_level)
    if once:
        try:
            print(json.dumps({job.name: drain(job, container.name) for job in container.jobs}))
        finally:
            container.db.dispose()
        return
    stop = stop_on_signals()
    configure_tracing(container.name)
    interval = JobSettings.from_env().interval_seconds
    serve_metrics(MetricsSettings.from_env())
    threads = [threading.Thread(target=run_periodically, args=(job, container.name, stop, interval),
                                name=f"job-{job.name}") for job in container.jobs]
    heap.settle()
    for thread in threads:
        thread.start()
    try:
        stop.wait()
    finally:
        for thread in threads:
            thread.join()
        container.db.dispose()
