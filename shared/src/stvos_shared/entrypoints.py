"""The long-running processes every service has in production: its outbox relay and its consumer."""
from __future__ import annotations

import os
import signal
import threading

from .container import ServiceContainer
from .events.relay import Relay
from .observability import configure_logging


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _broker(broker_url: str):
    if not broker_url:
        raise SystemExit("BROKER_URL is not set: the relay and consumer processes need RabbitMQ")
    from .events.rabbitmq import RabbitTransport  # pika is a production-only dependency

    # Two deployments may share one broker when each has its own exchange and queue names.
    return RabbitTransport(broker_url, exchange=os.environ.get("BROKER_EXCHANGE") or "stvos.events")


def run_relay(container: ServiceContainer, broker_url: str, log_level: str = "INFO") -> None:
    """Publish the service's outbox to RabbitMQ until SIGTERM."""
    configure_logging(log_level)
    stop = _stop_on_signals()
    Relay(container.db, container.outbox, _broker(broker_url), service=container.name).run(stop, interval=0.2)


def run_consumer(container: ServiceContainer, broker_url: str, log_level: str = "INFO") -> None:
    """Apply the events the service listens to until SIGTERM (exits at once if it listens to none)."""
    configure_logging(log_level)
    if container.consumer is None:
        return
    stop = _stop_on_signals()
    transport = _broker(broker_url)
    consumer = container.consumer
    queue = os.environ.get("BROKER_QUEUE_PREFIX", "") + consumer.name
    transport.subscribe(queue, consumer.bindings, consumer.handle)
    transport.run(stop)
