"""Outbox -> relay -> consumer delivers every event once, whatever the transport repeats."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import Column, Integer, String, Table, func, insert, select
from stvos_shared.db import Database, new_metadata
from stvos_shared.events import Event, Inbox, InProcessTransport, Outbox
from stvos_shared.events.consumer import Consumer
from stvos_shared.events.envelope import matches
from stvos_shared.events.relay import Relay

from shared.tests.numbered import numbered


class Side:
    """One service's database with an outbox, an inbox and an effects table."""

    def __init__(self, path: str) -> None:
        metadata = new_metadata()
        self.outbox, self.inbox = Outbox(metadata), Inbox(metadata)
        self.effects = Table("effects", metadata, Column("id", Integer, primary_key=True),
                             Column("event_id", String(32), nullable=False))
        self.db = Database(f"sqlite:///{path}", metadata)
        self.db.create_all()

    def count_effects(self) -> int:
        with self.db.unit_of_work(write=False) as session:
            return session.scalar(select(func.count()).select_from(self.effects))


@pytest.fixture
def producer(tmp_path) -> Side:
    return Side(str(tmp_path / "producer.db"))


@pytest.fixture
def consumer_side(tmp_path) -> Side:
    return Side(str(tmp_path / "consumer.db"))


def consumer_for(side: Side, fail_first: int = 0) -> Consumer:
    failures = {"left": fail_first}

    def record(session, event: Event) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("transient")
        session.execute(insert(side.effects).values(event_id=event.id))

    return Consumer("listener", side.db, side.inbox, {"producer.thing.*": record})


def write_events(side: Side, count: int) -> list[str]:
    ids = []
    for number in range(count):
        with side.db.unit_of_work() as session:
            ids.append(side.outbox.add(session, numbered("producer.thing.created", number), client_id=1).id)
    return ids


def test_every_event_written_is_delivered_exactly_once(producer, consumer_side):
    transport = InProcessTransport()
    consumer = consumer_for(consumer_side)
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    write_events(producer, 250)
    relay = Relay(producer.db, producer.outbox, transport, batch_size=100)
    assert [relay.run_once() for _ in range(4)] == [100, 100, 50, 0]
    assert transport.drain() == 250
    assert consumer_side.count_effects() == 250


def test_an_event_delivered_twice_is_applied_once(producer, consumer_side):
    consumer = consumer_for(consumer_side)
    event = Event("producer.thing.created", {"n": 1}, client_id=1)
    consumer.handle(event)
    consumer.handle(Event.from_json(event.to_json()))
    assert consumer_side.count_effects() == 1


def test_a_relay_that_crashes_after_publishing_republishes_and_the_consumer_dedupes(producer, consumer_side):
    transport = InProcessTransport()
    consumer = consumer_for(consumer_side)
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    write_events(producer, 3)

    class CrashAfterPublish(Relay):
        def run_once(self) -> int:
            with self.db.unit_of_work() as session:
                rows = self.outbox.pending(session, self.batch_size, lock=False)
                self.transport.publish([event for _, event in rows])
                raise RuntimeError("crashed before marking sent")

    with pytest.raises(RuntimeError):
        CrashAfterPublish(producer.db, producer.outbox, transport).run_once()
    assert Relay(producer.db, producer.outbox, transport).run_once() == 3
    assert transport.drain() == 6
    assert consumer_side.count_effects() == 3


def test_a_failing_publish_leaves_rows_pending(producer):
    class Down:
        def publish(self, events):
            raise ConnectionError("broker down")

    write_events(producer, 2)
    with pytest.raises(ConnectionError):
        Relay(producer.db, producer.outbox, Down()).run_once()
    transport = InProcessTransport()
    assert Relay(producer.db, producer.outbox, transport).run_once() == 2


def test_a_failing_handler_is_retried_then_succeeds(producer, consumer_side):
    transport = InProcessTransport(max_attempts=5)
    consumer = consumer_for(consumer_side, fail_first=2)
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    write_events(producer, 1)
    Relay(producer.db, producer.outbox, transport).run_once()
    transport.drain()
    assert consumer_side.count_effects() == 1
    assert transport.dead_letters("listener") == []


def test_a_poison_event_is_dead_lettered_and_does_not_block_the_rest(producer, consumer_side):
    transport = InProcessTransport(max_attempts=3)

    def handle(session, event):
        if event.data["n"] == 0:
            raise ValueError("poison")
        session.execute(insert(consumer_side.effects).values(event_id=event.id))

    consumer = Consumer("listener", consumer_side.db, consumer_side.inbox, {"producer.#": handle})
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    write_events(producer, 3)
    Relay(producer.db, producer.outbox, transport).run_once()
    transport.drain()
    assert consumer_side.count_effects() == 2
    assert [event.data for event in transport.dead_letters("listener")] == [{"n": 0}]


def test_events_a_consumer_does_not_bind_are_not_delivered(producer, consumer_side):
    transport = InProcessTransport()
    consumer = consumer_for(consumer_side)
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    transport.publish([Event("other.thing.created", {})])
    assert transport.drain() == 0


def test_concurrent_deliveries_of_one_event_apply_it_once(consumer_side):
    consumer = consumer_for(consumer_side)
    event = Event("producer.thing.created", {"n": 1})
    threads = [threading.Thread(target=consumer.handle, args=(event,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert consumer_side.count_effects() == 1


def test_the_envelope_survives_the_wire():
    event = Event("auth.user.registered", {"userId": 1}, client_id=3)
    assert Event.from_json(event.to_json()) == event


@pytest.mark.parametrize(("binding", "key", "expected"), [
    ("partner.trainer.*", "partner.trainer.created", True),
    ("partner.trainer.*", "partner.voucher.redeemed", False),
    ("partner.#", "partner.voucher.redeemed", True),
    ("#", "a.b.c", True),
    ("auth.user.registered", "auth.user.registered", True),
    ("auth.*", "auth.user.registered", False),
])
def test_topic_bindings_match_like_amqp(binding, key, expected):
    assert matches(binding, key) is expected


def test_an_event_of_a_version_no_contract_describes_is_dead_lettered_at_once(consumer_side):
    transport = InProcessTransport()
    consumer = consumer_for(consumer_side)
    transport.subscribe("listener", consumer.bindings, consumer.handle)
    transport.publish([Event("producer.thing.created", {"n": 1}, version=2)])
    transport.drain()
    assert [event.version for event in transport.dead_letters("listener")] == [2]
    assert consumer_side.count_effects() == 0


def test_every_contract_describes_a_payload_its_publisher_can_write():
    from stvos_shared.contracts.base import REGISTRY

    assert all(event_type.count(".") == 2 for event_type, _ in REGISTRY)
    for contract in REGISTRY.values():
        assert contract.schema().fields, contract.type


def test_a_user_registered_event_without_an_invite_still_conforms_and_loads_none():
    from stvos_shared import contracts

    before = {"userId": 1, "email": "jane@example.com", "name": None, "role": "user", "coachId": None,
              "sessionId": None, "voucher": None}  # written before invite codes were counted
    assert contracts.validate("auth.user.registered", 1, before) == {}
    assert contracts.load(Event("auth.user.registered", before, client_id=3))["invite"] is None
    now = {**before, "coachId": 7, "invite": {"code": "COACH-MIKE", "redemptionId": 52}}
    assert contracts.validate("auth.user.registered", 1, now) == {}
    assert contracts.load(Event("auth.user.registered", now, client_id=3))["invite"] == {
        "code": "COACH-MIKE", "redemption_id": 52}
    assert contracts.validate("auth.user.registered", 1, {**now, "invite": {"code": "X"}}) != {}
