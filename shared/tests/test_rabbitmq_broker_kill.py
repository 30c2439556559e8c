"""The relay streams events while a private RabbitMQ node is killed (SIGKILL) and restarted, twice.

Only the test's own node (its own ports and data directory, see tests/fixtures/servers.py) is
killed; the shared broker is never touched. At the end every event written is applied exactly once.
"""
from __future__ import annotations

import threading
import time

import pika
import pytest
from sqlalchemy import select
from stvos_shared.events import Event
from stvos_shared.events.rabbitmq import RabbitTransport
from stvos_shared.events.relay import Relay

from shared.tests.test_rabbitmq_transport import Pipeline, eventually

pytestmark = [pytest.mark.slow, pytest.mark.rabbitmq]
KILLS = 2


class Writer(threading.Thread):
    """Writes one event per outbox transaction, as fast as a busy service would, until stopped."""

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(daemon=True)
        self.pipeline, self.written, self.halt = pipeline, 0, threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            self.pipeline.write(1, start=self.written)
            self.written += 1
            time.sleep(0.004)


def dead_letters(url: str, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        return connection.channel().queue_declare(f"{queue}.dead", passive=True).method.message_count
    finally:
        connection.close()


def test_events_relayed_while_the_broker_is_killed_and_restarted_are_all_applied_exactly_once(
        tmp_path, private_rabbitmq):
    began, node, pipeline = time.monotonic(), private_rabbitmq, Pipeline(tmp_path)
    deliveries: list[str] = []

    def handle(event: Event) -> None:
        deliveries.append(event.id)
        pipeline.consumer.handle(event)

    consumer_side = RabbitTransport(node.url, max_backoff=1.0)
    consumer_side.subscribe("test", pipeline.consumer.bindings, handle)
    relay = Relay(pipeline.producer, pipeline.outbox, RabbitTransport(node.url), batch_size=20)
    stop, writer = threading.Event(), Writer(pipeline)
    threads = [threading.Thread(target=consumer_side.run, args=(stop,), kwargs={"poll": 0.1}, daemon=True),
               threading.Thread(target=relay.run, args=(stop,), kwargs={"interval": 0.05, "max_backoff": 1.0},
                                daemon=True)]
    threads[0].start()
    assert eventually(lambda: _declared(node.url, "test"), timeout=10)
    threads[1].start()
    writer.start()
    restarts = []
    try:
        for _ in range(KILLS):
            mark = len(pipeline.applied())
            assert eventually(lambda mark=mark: len(pipeline.applied()) >= mark + 100, timeout=60), "no progress"
            node.kill()
            time.sleep(1.0)  # the writer goes on; the relay and the consumer fail and back off
            restarts.append(node.start())
        time.sleep(1.0)
    finally:
        writer.halt.set()
        writer.join(timeout=10)
    try:
        assert eventually(lambda: len(pipeline.applied()) >= writer.written, timeout=180)  # a loaded machine
        assert eventually(lambda: pipeline.pending() == 0, timeout=10)
        time.sleep(0.5)  # any late redelivery would land now
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    applied = pipeline.applied()
    with pipeline.consumer_db.unit_of_work(write=False) as session:
        numbers = sorted(session.execute(select(pipeline.effects.c.n)).scalars())
    print(f"\nbroker-kill: {writer.written} written, {len(applied)} applied, {len(deliveries)} deliveries "
          f"({len(deliveries) - len(applied)} duplicates ignored), restarts {[round(r, 1) for r in restarts]}s, "
          f"total {time.monotonic() - began:.1f}s")
    assert writer.written > 300
    assert len(applied) == len(set(applied)) == writer.written
    assert numbers == list(range(writer.written))
    assert dead_letters(node.url, "test") == 0


def _declared(url: str, queue: str) -> bool:
    try:
        dead_letters(url, queue)
        return True
    except pika.exceptions.ChannelClosedByBroker:
        return False
