"""The five services on their own migrated PostgreSQL databases: outbox -> relay -> consumer across services."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import func, select
from stvos_partner.domain.events import TrainerCreated
from stvos_runner.services import build_containers
from stvos_shared.container import ServiceContainer
from stvos_shared.db import Database
from stvos_shared.events import Event, InProcessTransport
from stvos_shared.events.relay import Relay

from shared.tests.numbered import numbered

pytestmark = pytest.mark.postgres
TRAINER = {"name": "Coach Mike", "email": "mike@studio.test", "bio": None, "image": None,
           "specialisations": ["strength"], "timezone": "Europe/London", "active": True}


class PostgresPlatform:
    """Each service's composition root on PostgreSQL; relays and consumers wired to the in-process transport."""

    def __init__(self, var_dir: str, database_urls: dict[str, str]) -> None:
        self.containers: dict[str, ServiceContainer] = build_containers(var_dir, database_urls)
        self.transport = InProcessTransport(max_attempts=2)
        self.relays = [Relay(c.db, c.outbox, self.transport) for c in self.containers.values()]
        for name, container in self.containers.items():
            if container.consumer is not None:
                self.transport.subscribe(name, container.consumer.bindings, container.consumer.handle)

    def flush(self) -> int:
        moved_total = 0
        while moved := sum(relay.run_once() for relay in self.relays) + self.transport.drain():
            moved_total += moved
        return moved_total

    def handled(self, service: str, event_id: str) -> bool:
        container = self.containers[service]
        with container.db.unit_of_work(write=False) as session:
            return container.consumer.inbox.seen(session, container.consumer.name, event_id)

    def close(self) -> None:
        for container in self.containers.values():
            container.db.dispose()


@pytest.fixture
def pg_platform(tmp_path, pg_database_urls) -> Iterator[PostgresPlatform]:
    platform = PostgresPlatform(str(tmp_path / "var"), pg_database_urls)
    yield platform
    platform.close()


def pending(db: Database, outbox) -> int:
    with db.unit_of_work(write=False) as session:
        query = select(func.count()).select_from(outbox.table).where(outbox.table.c.sent_at.is_(None))
        return session.execute(query).scalar_one()


def test_every_service_runs_on_its_own_migrated_postgres_database(pg_platform, pg_database_urls):
    for name, container in pg_platform.containers.items():
        assert (container.db.url, container.db.is_sqlite) == (pg_database_urls[name], False)
        assert container.db.ping()
        assert pending(container.db, container.outbox) == 0
    assert len(set(pg_database_urls.values())) == 5


def test_an_event_in_partners_outbox_is_applied_once_by_auths_consumer(pg_platform):
    partner = pg_platform.containers["partner"]
    with partner.db.unit_of_work() as session:
        event = partner.outbox.add(session, TrainerCreated(41, **TRAINER), client_id=7)
    assert pg_platform.flush() >= 2
    assert pg_platform.handled("auth", event.id)
    assert pending(partner.db, partner.outbox) == 0
    pg_platform.transport.publish([event, event])  # as if the relay had crashed before marking it sent, twice
    assert pg_platform.transport.drain() == 4  # each copy to auth and to catalog
    assert pg_platform.transport.dead_letters("auth") == pg_platform.transport.dead_letters("catalog") == []
    auth = pg_platform.containers["auth"]
    with auth.db.unit_of_work(write=False) as session:
        inbox = auth.consumer.inbox.table
        rows = session.execute(select(func.count()).select_from(inbox).where(inbox.c.event_id == event.id))
        assert rows.scalar_one() == 1


class Recorder:
    """A transport that records what it was given, slowly enough for two relays to overlap."""

    def __init__(self) -> None:
        self.published: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def publish(self, events: Sequence[Event]) -> None:
        time.sleep(0.01)
        with self._lock:
            self.published.setdefault(threading.current_thread().name, []).extend(e.id for e in events)

    def subscribe(self, *_args) -> None:
        raise NotImplementedError


def test_two_relays_racing_over_one_outbox_publish_every_row_exactly_once(pg_platform, pg_database_urls):
    catalog = pg_platform.containers["catalog"]
    with catalog.db.unit_of_work() as session:
        written = [catalog.outbox.add(session, numbered("test.thing.happened", n), client_id=1).id
                   for n in range(400)]
    recorder = Recorder()
    databases = [Database(pg_database_urls["catalog"], catalog.db.metadata) for _ in range(2)]

    def drain(relay: Relay) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (relay.run_once() or pending(relay.db, relay.outbox)):
            pass

    threads = [threading.Thread(target=drain, name=f"relay-{i}", args=(Relay(db, catalog.outbox, recorder, 10),))
               for i, db in enumerate(databases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=40)
    for db in databases:
        db.dispose()
    published = [event_id for ids in recorder.published.values() for event_id in ids]
    assert sorted(published) == sorted(written)
    assert sorted(recorder.published) == ["relay-0", "relay-1"], "both relays took a share of the rows"
    assert pending(catalog.db, catalog.outbox) == 0
