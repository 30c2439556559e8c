"""The long-running processes every service has in production: its outbox relay and its consumer."""
from __future__ import annotations

import os
import signal
import threading
from dataclasses import dataclass

from .container import ServiceContainer
from .events.relay import Relay
from .observability import configure_logging


@dataclass(frozen=True)
class BrokerSettings:
    """Names on the broker: two deployments may share one when each has its own exchange and queue names."""

    exchange: str = "stvos.events"
    queue_prefix: str = ""

    @classmethod
    def from_env(cls) -> BrokerSettings:
        return cls(exchange=os.environ.get("BROKER_EXCHANGE") or cls.exchange,
                   queue_prefix=os.environ.get("BROKER_QUEUE_PREFIX", ""))


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _broker(broker_url: str, names: BrokerSettings):
    if not broker_url:
        raise SystemExit("BROKER_URL is not set: the relay and consumer processes need RabbitMQ")
    from .events.rabbitmq import RabbitTransport  # pika is a production-only dependency

    return RabbitTransport(broker_url, exchange=names.exchange)


def run_relay(container: ServiceContainer, broker_url: str, log_level: str = "INFO",
              names: BrokerSettings | None = None) -> None:
    """Publish the service's outbox to RabbitMQ until SIGTERM."""
    configure_logging(log_level)
    stop = _stop_on_signals()
    transport = _broker(broker_url, names or BrokerSettings.from_env())
    Relay(container.db, container.outbox, transport, service=container.name).run(stop, interval=0.2)


def run_consumer(container: ServiceContainer, broker_url: str, log_level: str = "INFO",
                 names: BrokerSettings | None = None) -> None:
    """Apply the events the service listens to until SIGTERM (exits at once if it listens to none)."""
    configure_logging(log_level)
    if container.consumer is None:
        return
    stop = _stop_on_signals()
    names = names or BrokerSettings.from_env()
    transport = _broker(broker_url, names)
    consumer = container.consumer
    transport.subscribe(names.queue_prefix + consumer.name, consumer.bindings, consumer.handle)
    transport.run(stop)
