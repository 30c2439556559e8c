"""Two relays on one PostgreSQL outbox, as two replicas of a relay Deployment: every row is published exactly
once, and both take batches (FOR UPDATE SKIP LOCKED: neither waits for nor repeats the other's batch)."""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from stvos_shared.db import Database, new_metadata
from stvos_shared.events import Outbox
from stvos_shared.events.relay import Relay

from shared.tests.numbered import numbered

pytestmark = pytest.mark.postgres
EVENTS, BATCH = 400, 20


class SlowTransport:
    """Records what it is given; each publish takes a while, as a broker's confirm round trip does."""

    def __init__(self, seen: list[tuple[str, str]], name: str) -> None:
        self.seen, self.name = seen, name

    def publish(self, events) -> None:
        time.sleep(0.02)
        self.seen.extend((self.name, event.id) for event in events)


def test_two_relays_publish_every_row_once_and_share_the_work(postgres_database):
    metadata = new_metadata()
    outbox = Outbox(metadata)
    db = Database(postgres_database, metadata)
    db.create_all()
    written = []
    with db.unit_of_work() as session:
        for number in range(EVENTS):
            written.append(outbox.add(session, numbered("producer.thing.created", number), client_id=1).id)
    seen: list[tuple[str, str]] = []
    stop = threading.Event()
    relays = [Relay(db, outbox, SlowTransport(seen, name), batch_size=BATCH, service="producer")
              for name in ("first", "second")]
    threads = [threading.Thread(target=relay.run, args=(stop, None, 0.01)) for relay in relays]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while _pending(db, outbox) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # a batch still in hand is published now
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
        db.dispose()
    counts = Counter(event_id for _, event_id in seen)
    assert [event_id for event_id, times in counts.items() if times > 1] == [], "an event was published twice"
    assert sorted(counts) == sorted(written), "an event was lost"
    by_relay = Counter(name for name, _ in seen)
    assert by_relay["first"] >= BATCH and by_relay["second"] >= BATCH, by_relay


def _pending(db: Database, outbox: Outbox) -> int:
    with db.unit_of_work(write=False) as session:
        return outbox.backlog(session)[0]
