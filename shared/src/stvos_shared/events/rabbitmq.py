"""The RabbitMQ transport (production): publisher confirms, durable queues, bounded redelivery, dead letters.

Topology, declared idempotently by both sides:
  `<exchange>` (topic, durable) -- routing key = event type; its alternate exchange `<exchange>.unrouted`
  (fanout) keeps events no queue is bound to yet in the queue `<exchange>.unrouted`, so the relay is
  never stuck on an event nobody listens to and nothing confirmed is dropped.
  Per consumer: `<queue>` bound with the consumer's keys; `<queue>.retry`, whose expired messages
  dead-letter back into `<queue>`; `<queue>.dead`, where messages go after `max_attempts` failures
  (or at once when they cannot be parsed).
"""
from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel, BlockingConnection
from pika.channel import Channel
from pika.exceptions import AMQPError
from pika.spec import Basic, BasicProperties

from ..metrics import EVENTS_DEAD_LETTERED, EVENTS_RETRIED
from .envelope import Event, UndeliverableEvent
from .publisher import ConfirmingPublisher, Message, PublishError
from .transport import Handler

__all__ = ["PublishError", "RabbitTransport", "Subscription"]
log = logging.getLogger("stvos.events.rabbitmq")
ATTEMPTS_HEADER = "x-attempts"
UNROUTED_TTL_MS = 7 * 24 * 3600 * 1000
BROKER_HEADERS = ("x-death", "x-first-death-", "x-last-death-")  # set by the broker, not forwarded


@dataclass(frozen=True)
class Subscription:
    queue: str
    bindings: tuple[str, ...]
    handler: Handler

    @property
    def retry_queue(self) -> str:
        return f"{self.queue}.retry"

    @property
    def dead_queue(self) -> str:
        return f"{self.queue}.dead"


class RabbitTransport:
    """Events over one durable topic exchange; at least once, with confirms and manual acks.

    `publish` may be called from any thread (calls are serialised; see publisher.py); `run` consumes on
    the calling thread. The two use separate connections, opened lazily.
    """

    def __init__(self, url: str, exchange: str = "stvos.events", *, max_attempts: int = 5,
                 retry_delay: float = 1.0, max_retry_delay: float = 60.0, prefetch: int = 20,
                 max_backoff: float = 30.0, blocked_timeout: float = 30.0) -> None:
        self.url, self.exchange = url, exchange
        self.max_attempts, self.prefetch = max_attempts, prefetch
        self.retry_delay, self.max_retry_delay = retry_delay, max_retry_delay
        self.max_backoff, self.blocked_timeout = max_backoff, blocked_timeout
        self._subscriptions: list[Subscription] = []
        self._publisher = ConfirmingPublisher(url, self._declare_exchange_async, timeout=blocked_timeout)
        self._lock = threading.Lock()
        self._stop = threading.Event()  # set by run's caller: the message in hand is finished, the rest go back

    @property
    def unrouted_queue(self) -> str:
        return f"{self.exchange}.unrouted"

    # -- publishing -------------------------------------------------------------------------

    def publish(self, events: Sequence[Event]) -> None:
        """Return once the broker confirmed every event (one round trip a batch); raise PublishError otherwise."""
        messages = [Message(self.exchange, event.type, event.to_json(), _properties(event)) for event in events]
        with self._lock:
            self._publisher.publish(messages)

    def close(self) -> None:
        with self._lock:
            self._publisher.close()

    def _declare_exchange_async(self, channel: Channel, done: Callable[[], None]) -> None:
        """The same topology as `_declare_exchange`, on an asynchronous channel: each step's callback runs the next."""
        unrouted = self.unrouted_queue
        steps: list[Callable[[Callable], None]] = [
            lambda next_: channel.exchange_declare(unrouted, "fanout", durable=True, callback=next_),
            lambda next_: channel.queue_declare(unrouted, durable=True, arguments={"x-message-ttl": UNROUTED_TTL_MS},
                                                callback=next_),
            lambda next_: channel.queue_bind(unrouted, unrouted, callback=next_),
            lambda next_: channel.exchange_declare(self.exchange, "topic", durable=True,
                                                   arguments={"alternate-exchange": unrouted}, callback=next_),
        ]

        def run(index: int) -> None:
            if index == len(steps):
                done()
            else:
                steps[index](lambda _frame: run(index + 1))

        run(0)

    # -- consuming --------------------------------------------------------------------------

    def subscribe(self, queue_name: str, bindings: Sequence[str], handler: Handler) -> None:
        """Register a consumer queue; `run` declares it and delivers to `handler`."""
        self._subscriptions.append(Subscription(queue_name, tuple(bindings), handler))

    def run(self, stop: threading.Event, poll: float = 0.5) -> None:
        """Consume until `stop` is set; reconnect with capped exponential backoff after a failure.

        A stop lets the handler in progress finish and its message be acknowledged; messages the broker had
        already sent but no handler has started are handed back (requeued), never half-applied.
        """
        self._stop, failures = stop, 0
        while not stop.is_set():
            try:
                connection = self._connect()
            except (AMQPError, OSError) as exc:
                failures += 1
                log.warning("cannot reach the broker (%r); retrying", exc)
                stop.wait(self._backoff(failures))
                continue
            failures = 0
            try:
                self._consume(connection, stop, poll)
            except Exception:
                log.exception("consumer connection failed; reconnecting")
                failures = 1
                stop.wait(self._backoff(failures))
            finally:
                _close_quietly(connection)

    def _backoff(self, failures: int) -> float:
        return min(0.25 * 2 ** (failures - 1), self.max_backoff)

    def _consume(self, connection: BlockingConnection, stop: threading.Event, poll: float) -> None:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=self.prefetch)
        self._declare_exchange(channel)
        for subscription in self._subscriptions:
            self._declare_queues(channel, subscription)
            channel.basic_consume(subscription.queue, functools.partial(self._on_message, subscription))
        log.info("consuming", extra={"queues": [s.queue for s in self._subscriptions]})
        while not stop.is_set():
            connection.process_data_events(time_limit=poll)

    def _on_message(self, subscription: Subscription, channel: BlockingChannel, method: Basic.Deliver,
                    properties: BasicProperties, body: bytes) -> None:
        if self._stop.is_set():
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        try:
            event = Event.from_json(body)
        except (ValueError, KeyError, TypeError) as exc:
            log.error("unparseable message dead-lettered", extra={"queue": subscription.queue})
            self._forward(channel, subscription.dead_queue, body, properties, 0, f"unparseable: {exc!r}")
            EVENTS_DEAD_LETTERED.labels(subscription.queue, properties.type or "", "unparseable").inc()
            channel.basic_ack(method.delivery_tag)
            return
        try:
            subscription.handler(event)
        except UndeliverableEvent as exc:
            self._forward(channel, subscription.dead_queue, body, properties, 0, f"undeliverable: {exc}")
            EVENTS_DEAD_LETTERED.labels(subscription.queue, event.type, "undeliverable").inc()
        except Exception as exc:
            self._handle_failure(subscription, channel, properties, body, event, exc)
        channel.basic_ack(method.delivery_tag)

    def _handle_failure(self, subscription: Subscription, channel: BlockingChannel,
                        properties: BasicProperties, body: bytes, event: Event, exc: Exception) -> None:
        """Park the message for a later retry, or dead-letter it once it has failed `max_attempts` times."""
        attempts = int((properties.headers or {}).get(ATTEMPTS_HEADER, 1))
        extra = {"eventId": event.id, "eventType": event.type, "attempt": attempts}
        if attempts >= self.max_attempts:
            log.error("handler failed %d times; dead-lettered", attempts, exc_info=exc, extra=extra)
            self._forward(channel, subscription.dead_queue, body, properties, attempts, repr(exc))
            EVENTS_DEAD_LETTERED.labels(subscription.queue, event.type, "failed").inc()
            return
        log.warning("handler failed; will retry", exc_info=exc, extra=extra)
        EVENTS_RETRIED.labels(subscription.queue, event.type).inc()
        delay = min(self.retry_delay * 2 ** (attempts - 1), self.max_retry_delay)
        self._forward(channel, subscription.retry_queue, body, properties, attempts + 1, repr(exc),
                      expiration=str(int(delay * 1000)))

    def _forward(self, channel: BlockingChannel, queue: str, body: bytes, original: BasicProperties,
                 attempts: int, reason: str, expiration: str | None = None) -> None:
        """Confirmed publish to `queue` (via the default exchange) before the original is acked."""
        kept = {k: v for k, v in (original.headers or {}).items() if not k.startswith(BROKER_HEADERS)}
        headers = {**kept, ATTEMPTS_HEADER: attempts, "x-last-error": reason[:500]}
        properties = BasicProperties(
            content_type=original.content_type, delivery_mode=pika.DeliveryMode.Persistent,
            message_id=original.message_id, type=original.type, headers=headers, expiration=expiration)
        channel.basic_publish("", queue, body, properties=properties, mandatory=True)

    # -- topology ---------------------------------------------------------------------------

    def _declare_exchange(self, channel: BlockingChannel) -> None:
        unrouted = self.unrouted_queue
        channel.exchange_declare(unrouted, "fanout", durable=True)
        channel.queue_declare(unrouted, durable=True, arguments={"x-message-ttl": UNROUTED_TTL_MS})
        channel.queue_bind(unrouted, unrouted)
        channel.exchange_declare(self.exchange, "topic", durable=True,
                                 arguments={"alternate-exchange": unrouted})

    def _declare_queues(self, channel: BlockingChannel, subscription: Subscription) -> None:
        channel.queue_declare(subscription.queue, durable=True)
        for binding in subscription.bindings:
            channel.queue_bind(subscription.queue, self.exchange, routing_key=binding)
        channel.queue_declare(subscription.retry_queue, durable=True, arguments={
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": subscription.queue})
        channel.queue_declare(subscription.dead_queue, durable=True)

    def _connect(self) -> BlockingConnection:
        parameters = pika.URLParameters(self.url)
        parameters.blocked_connection_timeout = self.blocked_timeout
        parameters.connection_attempts = 1
        return BlockingConnection(parameters)


def _properties(event: Event) -> BasicProperties:
    return BasicProperties(content_type="application/json", delivery_mode=pika.DeliveryMode.Persistent,
                           message_id=event.id, type=event.type,
                           timestamp=int(event.occurred_at.timestamp()))


def _close_quietly(connection: Any) -> None:
    try:
        if connection.is_open:
            connection.close()
    except Exception:  # already broken: nothing left to release
        log.debug("closing a broken connection failed", exc_info=True)
