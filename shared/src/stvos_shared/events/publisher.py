"""Publishing a batch with asynchronous publisher confirms (pika's SelectConnection, on the caller's thread).

pika's BlockingChannel waits for the broker's confirm after every message (one round trip, and one
fsync, per event). Here a whole batch is written at once and the connection's I/O loop then runs on
the calling thread until the broker has confirmed, or refused, every message of it: one round trip a
batch. The guarantee is the same: `publish` returns only when every message was confirmed (basic.ack,
possibly `multiple`), and raises when any was refused (basic.nack), returned as unroutable, or left
unconfirmed because the connection closed or `timeout` passed.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pika
from pika.adapters.select_connection import SelectConnection
from pika.channel import Channel
from pika.exceptions import AMQPError
from pika.spec import Basic, BasicProperties

log = logging.getLogger("stvos.events.publisher")
Declare = Callable[[Channel, Callable[[], None]], None]  # declares the topology, then calls its callback


class PublishError(RuntimeError):
    """The broker did not confirm every event of a batch; the relay keeps them pending."""


@dataclass(frozen=True)
class Message:
    exchange: str
    routing_key: str
    body: bytes
    properties: BasicProperties


@dataclass
class _Batch:
    outstanding: set[int] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)

    def settled(self) -> bool:
        return not self.outstanding or bool(self.refused)


class ConfirmingPublisher:
    """One connection and one channel in confirm mode, opened lazily and reopened after a failure."""

    def __init__(self, url: str, declare: Declare, *, timeout: float = 30.0) -> None:
        self.url, self.declare, self.timeout = url, declare, timeout
        self._connection: SelectConnection | None = None
        self._channel: Channel | None = None
        self._ready = False
        self._failure: str | None = None
        self._next_tag = 1
        self._batch = _Batch()
        self._until: Callable[[], bool] | None = None
        self._loop = None

    def publish(self, messages: Sequence[Message]) -> None:
        """Return once the broker confirmed every message; raise PublishError otherwise.

        Nothing to publish still opens the channel (and so declares the topology).
        """
        if not messages:
            self._open_or_raise()
            return
        reused = self._connection is not None
        try:
            self._publish(messages)
        except PublishError:
            if not reused:
                raise
            # The connection had been idle: the broker may have dropped it since. Once more, on a fresh one
            # (a message the broker did get twice is a duplicate, which consumers ignore).
            log.info("publishing on an idle connection failed; reconnecting once")
            self._publish(messages)

    def close(self) -> None:
        self._abandon(None)

    # -- one batch --------------------------------------------------------------------------

    def _publish(self, messages: Sequence[Message]) -> None:
        try:
            channel = self._open()
            self._batch = _Batch(set(range(self._next_tag, self._next_tag + len(messages))))
            for message in messages:
                channel.basic_publish(message.exchange, message.routing_key, message.body,
                                      properties=message.properties, mandatory=True)
                self._next_tag += 1
            self._run_until(self._batch.settled, self.timeout)
        except (AMQPError, OSError) as exc:
            self._abandon(f"{exc!r}")
        batch = self._batch
        if batch.refused or batch.outstanding or self._failure:
            reason = "; ".join(batch.refused) or self._failure or "no confirm in time"
            confirmed = len(messages) - len(batch.outstanding)
            self._abandon(reason)
            raise PublishError(f"broker confirmed {confirmed} of {len(messages)} events: {reason}")

    def _on_confirm(self, frame: pika.frame.Method) -> None:
        method = frame.method
        tags = {tag for tag in self._batch.outstanding
                if tag == method.delivery_tag or (method.multiple and tag <= method.delivery_tag)}
        self._batch.outstanding -= tags
        if isinstance(method, Basic.Nack):
            self._batch.refused.append(f"refused (nack) up to tag {method.delivery_tag}")
        self._wake()

    def _on_return(self, _channel: Channel, method: Basic.Return, properties: BasicProperties, _body: bytes) -> None:
        self._batch.refused.append(f"unroutable {properties.type or method.routing_key}: {method.reply_text}")
        self._wake()

    # -- the connection ---------------------------------------------------------------------

    def _open_or_raise(self) -> None:
        try:
            self._open()
        except (AMQPError, OSError) as exc:
            self._abandon(f"{exc!r}")
            raise PublishError(f"cannot open a channel: {exc!r}") from exc

    def _open(self) -> Channel:
        if self._channel is not None and self._ready and self._channel.is_open:
            return self._channel
        self._abandon(None)
        parameters = pika.URLParameters(self.url)
        parameters.connection_attempts = 1
        self._failure, self._next_tag = None, 1
        self._connection = SelectConnection(
            parameters, on_open_callback=self._on_connection_open,
            on_open_error_callback=lambda _c, error: self._fail(f"cannot connect: {error!r}"),
            on_close_callback=lambda _c, reason: self._fail(f"connection closed: {reason!r}"))
        connection = self._connection
        self._run_until(lambda: self._ready or self._failure is not None, self.timeout, connection)
        if not self._ready:
            failure = self._failure or "the broker did not open a channel in time"
            self._abandon(failure)
            raise PublishError(failure)
        assert self._channel is not None
        return self._channel

    def _on_connection_open(self, connection: SelectConnection) -> None:
        connection.channel(on_open_callback=self._on_channel_open)

    def _on_channel_open(self, channel: Channel) -> None:
        self._channel = channel
        channel.add_on_close_callback(lambda _ch, reason: self._fail(f"channel closed: {reason!r}"))
        channel.add_on_return_callback(self._on_return)
        channel.confirm_delivery(self._on_confirm, callback=lambda _frame: self.declare(channel, self._on_declared))

    def _on_declared(self) -> None:
        self._ready = True
        self._wake()

    def _fail(self, reason: str) -> None:
        self._failure, self._ready = reason, False
        self._wake()

    def _abandon(self, reason: str | None) -> None:
        """Forget the connection (closing it if it is still open); the next batch opens a new one."""
        if reason:
            self._failure = self._failure or reason
        connection, self._connection, self._channel, self._ready = self._connection, None, None, False
        if connection is not None and connection.is_open:
            try:
                connection.close()
                self._run_until(lambda: connection.is_closed, 2.0, connection)
            except Exception:  # a broken connection: dropped with the object
                log.debug("closing a failed connection", exc_info=True)

    # -- the I/O loop, run on the caller's thread until a condition holds ---------------------

    def _run_until(self, done: Callable[[], bool], timeout: float,
                   connection: SelectConnection | None = None) -> None:
        """Run the I/O loop until `done()`, a failure, or `timeout` seconds; callbacks stop it (`_wake`)."""
        connection = connection or self._connection
        if connection is None or done():
            return
        loop = connection.ioloop
        timer = loop.call_later(timeout, loop.stop)
        self._until, self._loop = done, loop
        try:
            loop.start()
        finally:
            self._until, self._loop = None, None
            loop.remove_timeout(timer)

    def _wake(self) -> None:
        if self._loop is not None and self._until is not None and (self._until() or self._failure is not None):
            self._loop.stop()
