"""The RabbitMQ transport through the shared Relay and Consumer, on a real broker (AMQP_URL)."""
from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pika
import pytest
from sqlalchemy import Column, Integer, String, Table, func, insert, select
from stvos_shared.db import Database, new_metadata
from stvos_shared.events import Event, Inbox, Outbox
from stvos_shared.events.consumer import Consumer
from stvos_shared.events.rabbitmq import ATTEMPTS_HEADER, PublishError, RabbitTransport
from stvos_shared.events.relay import Relay

from shared.tests.numbered import numbered


class Pipeline:
    """A producing service (outbox) and a consuming service (inbox + an effects table), on SQLite files."""

    def __init__(self, directory: Path, handlers: dict[str, Callable] | None = None) -> None:
        producer_metadata, consumer_metadata = new_metadata(), new_metadata()
        self.outbox = Outbox(producer_metadata)
        self.effects = Table("effects", consumer_metadata, Column("id", Integer, primary_key=True),
                             Column("event_id", String(32), nullable=False), Column("n", Integer))
        inbox = Inbox(consumer_metadata)
        self.producer = Database(f"sqlite:///{directory}/producer.db", producer_metadata)
        self.consumer_db = Database(f"sqlite:///{directory}/consumer.db", consumer_metadata)
        self.producer.create_all()
        self.consumer_db.create_all()
        self.consumer = Consumer("test", self.consumer_db, inbox, handlers or {"test.#": self.apply})

    def apply(self, session, event: Event) -> None:
        session.execute(insert(self.effects).values(event_id=event.id, n=event.data.get("n")))

    def write(self, count: int, type: str = "test.thing.happened", start: int = 0) -> list[str]:
        with self.producer.unit_of_work() as session:
            return [self.outbox.add(session, numbered(type, start + i), client_id=1).id for i in range(count)]

    def applied(self) -> list[str]:
        with self.consumer_db.unit_of_work(write=False) as session:
            return list(session.execute(select(self.effects.c.event_id)).scalars())

    def pending(self) -> int:
        with self.producer.unit_of_work(write=False) as session:
            query = select(func.count()).select_from(self.outbox.table).where(self.outbox.table.c.sent_at.is_(None))
            return session.execute(query).scalar_one()


def eventually(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class Broker:
    """Unique exchange and queue names on the shared broker, deleted afterwards."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.exchange = f"stvos.test.{secrets.token_hex(4)}"
        self.queue = f"{self.exchange}.consumer"

    def transport(self, **options) -> RabbitTransport:
        return RabbitTransport(self.url, self.exchange, **options)

    def queue_names(self) -> list[str]:
        return [self.queue, f"{self.queue}.retry", f"{self.queue}.dead", f"{self.exchange}.unrouted"]

    def messages(self, queue: str) -> list[tuple[pika.spec.BasicProperties, bytes]]:
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        try:
            channel, found = connection.channel(), []
            while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
                found.append((message[1], message[2]))
            return found
        finally:
            connection.close()

    def delete(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        channel = connection.channel()
        for queue in self.queue_names():
            channel.queue_delete(queue)
        channel.exchange_delete(self.exchange)
        channel.exchange_delete(f"{self.exchange}.unrouted")
        connection.close()


@pytest.fixture
def broker(amqp_url: str) -> Iterator[Broker]:
    names = Broker(amqp_url)
    yield names
    names.delete()


@pytest.fixture
def consuming(broker: Broker) -> Iterator[Callable[[RabbitTransport, Consumer], Callable[[], None]]]:
    """consuming(transport, consumer) consumes on a thread until the returned stop() (or the test's end)."""
    stops: list[Callable[[], None]] = []

    def start(transport: RabbitTransport, consumer: Consumer) -> Callable[[], None]:
        transport.subscribe(broker.queue, consumer.bindings, consumer.handle)
        stop = threading.Event()
        thread = threading.Thread(target=transport.run, args=(stop,), kwargs={"poll": 0.1}, daemon=True)
        thread.start()

        def finish() -> None:
            stop.set()
            thread.join(timeout=5)
        stops.append(finish)
        assert eventually(lambda: _queue_exists(broker.url, broker.queue)), "the consumer never declared its queue"
        return finish

    yield start
    for finish in stops:
        finish()


def _queue_exists(url: str, queue: str) -> bool:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        connection.channel().queue_declare(queue, passive=True)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False
    finally:
        if connection.is_open:
            connection.close()


def relay_all(relay: Relay) -> None:
    while relay.run_once():
        pass


@pytest.mark.rabbitmq
def test_every_relayed_event_is_applied_exactly_once(tmp_path, broker, consuming):
    pipeline = Pipeline(tmp_path)
    stop = consuming(broker.transport(), pipeline.consumer)
    publisher = broker.transport()
    written = pipeline.write(120)
    relay_all(Relay(pipeline.producer, pipeline.outbox, publisher, batch_size=50))
    assert eventually(lambda: len(pipeline.applied()) >= 120)
    stop()
    publisher.close()
    assert sorted(pipeline.applied()) == sorted(written)
    assert pipeline.pending() == 0


@pytest.mark.rabbitmq
def test_a_duplicate_delivery_is_acknowledged_and_applied_once(tmp_path, broker, consuming):
    pipeline = Pipeline(tmp_path)
    stop = consuming(broker.transport(), pipeline.consumer)
    publisher = broker.transport()
    event = Event("test.thing.happened", {"n": 1}, client_id=1)
    publisher.publish([event, event])
    publisher.publish([event, Event("test.thing.happened", {"n": 2}, client_id=1)])
    assert eventually(lambda: len(set(pipeline.applied())) == 2)
    time.sleep(0.3)
    stop()
    publisher.close()
    assert pipeline.applied().count(event.id) == 1
    assert broker.messages(broker.queue) == []


@pytest.mark.rabbitmq
def test_a_failing_handler_is_dead_lettered_after_max_attempts_and_blocks_nothing(tmp_path, broker, consuming):
    attempts: list[str] = []

    def fail(session, event):
        attempts.append(event.id)
        raise RuntimeError("handler bug")

    pipeline = Pipeline(tmp_path)
    pipeline.consumer = Consumer("test", pipeline.consumer_db, pipeline.consumer.inbox,
                                 {"test.broken.*": fail, "test.fine.*": pipeline.apply})
    stop = consuming(broker.transport(max_attempts=3, retry_delay=1.0), pipeline.consumer)
    [poisoned] = pipeline.write(1, "test.broken.happened")
    good = pipeline.write(30, "test.fine.happened")
    relay_all(Relay(pipeline.producer, pipeline.outbox, broker.transport()))
    assert eventually(lambda: len(pipeline.applied()) == 30)
    assert len(attempts) < 3, "later events waited for the failing one"
    assert eventually(lambda: len(attempts) == 3)
    time.sleep(0.5)
    stop()
    [(properties, body)] = broker.messages(f"{broker.queue}.dead")
    assert (properties.message_id, properties.headers[ATTEMPTS_HEADER]) == (poisoned, 3)
    assert Event.from_json(body).id == poisoned and "handler bug" in properties.headers["x-last-error"]
    assert sorted(pipeline.applied()) == sorted(good) and attempts == [poisoned] * 3
    assert broker.messages(broker.queue) == [] and broker.messages(f"{broker.queue}.retry") == []


@pytest.mark.rabbitmq
def test_an_unparseable_message_is_dead_lettered_at_once(tmp_path, broker, consuming):
    pipeline = Pipeline(tmp_path)
    stop = consuming(broker.transport(), pipeline.consumer)
    publisher = broker.transport()
    publisher.publish([])  # declares the exchange
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    connection.channel().basic_publish(broker.exchange, "test.thing.happened", b"{not json")
    connection.close()
    event = Event("test.thing.happened", {"n": 1}, client_id=1)
    publisher.publish([event])
    assert eventually(lambda: pipeline.applied() == [event.id])
    stop()
    publisher.close()
    [(properties, body)] = broker.messages(f"{broker.queue}.dead")
    assert body == b"{not json" and properties.headers[ATTEMPTS_HEADER] == 0


@pytest.mark.rabbitmq
def test_an_event_nobody_listens_to_is_confirmed_and_kept_in_the_unrouted_queue(broker):
    publisher = broker.transport()
    event = Event("test.nobody.listens", {"n": 1}, client_id=7)
    publisher.publish([event])
    publisher.close()
    [(properties, body)] = broker.messages(f"{broker.exchange}.unrouted")
    assert properties.message_id == event.id and properties.type == event.type
    assert properties.delivery_mode == 2 and properties.content_type == "application/json"
    assert Event.from_json(body) == event


def test_a_broker_that_cannot_be_reached_fails_the_publish_and_the_rows_stay_pending(tmp_path):
    pipeline = Pipeline(tmp_path)
    pipeline.write(3)
    relay = Relay(pipeline.producer, pipeline.outbox, RabbitTransport("amqp://guest:guest@127.0.0.1:9/%2F"))
    with pytest.raises(PublishError):
        relay.run_once()
    assert pipeline.pending() == 3


@pytest.mark.rabbitmq
def test_a_batch_the_broker_refuses_in_part_stays_pending_and_goes_once_it_can(tmp_path, broker):
    """A queue full with overflow=reject-publish makes the broker nack: the relay marks nothing of that batch sent."""
    publisher = broker.transport()
    publisher.publish([])  # declares the exchange
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    channel = connection.channel()
    channel.queue_declare(broker.queue, durable=True, arguments={"x-max-length": 2, "x-overflow": "reject-publish"})
    channel.queue_bind(broker.queue, broker.exchange, routing_key="test.#")
    pipeline = Pipeline(tmp_path)
    pipeline.write(5)
    relay = Relay(pipeline.producer, pipeline.outbox, publisher)
    with pytest.raises(PublishError, match="nack"):
        relay.run_once()
    assert pipeline.pending() == 5
    channel.queue_purge(broker.queue)
    channel.queue_delete(broker.queue)
    connection.close()
    relay_all(relay)
    publisher.close()
    assert pipeline.pending() == 0
