"""SIGTERM to a relay and a consumer in the middle of a stream of events: nothing is lost, nothing applied twice.

Both run as processes of their own (shared/tests/graceful_worker.py), stopped the way production stops them.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pika
import pytest
from sqlalchemy import select

from shared.tests.test_rabbitmq_broker_kill import Writer, dead_letters
from shared.tests.test_rabbitmq_transport import Broker, Pipeline, eventually
from shared.tests.test_rabbitmq_transport import broker as broker  # the fixture

pytestmark = [pytest.mark.slow, pytest.mark.rabbitmq]
ROOT = Path(__file__).resolve().parents[2]


def start(role: str, directory: Path, broker: Broker) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "shared.tests.graceful_worker", role, str(directory), broker.url, broker.exchange,
         broker.queue], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready", process.stderr.read()
    return process


def stop(process: subprocess.Popen) -> float:
    """SIGTERM; the seconds it took to exit, which it must do by itself and cleanly."""
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("still running 15 s after SIGTERM") from None
    assert code == 0 and process.stdout.read().strip() == "stopped", process.stderr.read()
    return time.monotonic() - began


def waiting(broker: Broker) -> list[str]:
    """Ids of the messages in the consumer's queue, left there (fetched unacknowledged, then handed back)."""
    connection = pika.BlockingConnection(pika.URLParameters(broker.url))
    try:
        channel, ids = connection.channel(), []
        while (message := channel.basic_get(broker.queue))[0] is not None:
            ids.append(message[1].message_id)
        return ids
    finally:
        connection.close()


def sent(pipeline: Pipeline) -> set[str]:
    table = pipeline.outbox.table
    with pipeline.producer.unit_of_work(write=False) as session:
        return set(session.execute(select(table.c.event_id).where(table.c.sent_at.is_not(None))).scalars())


def test_a_relay_and_a_consumer_stopped_mid_stream_lose_nothing_and_apply_nothing_twice(tmp_path, broker):
    pipeline = Pipeline(tmp_path)
    consumer = start("consumer", tmp_path, broker)
    relay = start("relay", tmp_path, broker)
    writer = Writer(pipeline)
    writer.start()
    try:
        assert eventually(lambda: len(pipeline.applied()) >= 100, timeout=30), "no progress before the stop"
        took = [stop(relay), stop(consumer)]
    finally:
        writer.halt.set()
        writer.join(timeout=10)
    applied, queued, confirmed = set(pipeline.applied()), waiting(broker), sent(pipeline)
    assert len(applied) == len(pipeline.applied()), "an event was applied twice"
    assert not applied & set(queued), "a message was applied but not acknowledged"
    assert confirmed <= applied | set(queued), "a row marked sent never reached the queue"
    assert writer.written > len(confirmed) > 0, "the stop did not land in the middle of the stream"

    consumer, relay = start("consumer", tmp_path, broker), start("relay", tmp_path, broker)
    try:
        assert eventually(lambda: len(pipeline.applied()) == writer.written, timeout=60)
    finally:
        stop(relay)
        stop(consumer)
    with pipeline.consumer_db.unit_of_work(write=False) as session:
        numbers = sorted(session.execute(select(pipeline.effects.c.n)).scalars())
    print(f"\ngraceful stop: {writer.written} written, {len(confirmed)} confirmed at the stop, {len(queued)} waiting, "
          f"stopped in {took[0]:.2f} s (relay) and {took[1]:.2f} s (consumer)")
    assert numbers == list(range(writer.written)) and pipeline.pending() == 0
    assert dead_letters(broker.url, broker.queue) == 0
