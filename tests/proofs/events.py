"""The events ledger: every event any service published was consumed exactly once by every service subscribed to
its type (the outbox empty, each event id once in each subscriber's inbox, no dead letters), on either topology;
on the stack also as each consumer process counted it (its `stvos_events_consumed_total` applied = its inbox)."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.fixtures.figures import count, highest


@dataclass
class Ledger:
    """What the services' databases and the transport say about events, read at one moment."""

    published: dict[str, tuple[str, str]] = field(default_factory=dict)  # event id -> (publisher, type)
    pending: dict[str, int] = field(default_factory=dict)  # publisher -> rows not yet relayed
    handled: dict[str, list[str]] = field(default_factory=dict)  # consumer -> event ids in its inbox (with repeats)
    bindings: dict[str, list[str]] = field(default_factory=dict)  # consumer -> the types it subscribes to
    dead: dict[str, int] = field(default_factory=dict)  # queue -> messages dead-lettered (or waiting to retry)
    applied: dict[str, int] | None = None  # consumer -> events its process counted applied (its metrics), if known

    def problems(self) -> list[str]:
        from stvos_shared.events.envelope import matches

        found = [f"{service}: {n} events still in the outbox" for service, n in self.pending.items() if n]
        found += [f"{queue}: {n} messages" for queue, n in self.dead.items() if n]
        for consumer, patterns in self.bindings.items():
            expected = {event_id for event_id, (_, kind) in self.published.items()
                        if any(matches(pattern, kind) for pattern in patterns)}
            seen = Counter(self.handled.get(consumer, []))
            missing = expected - set(seen)
            found += [f"{consumer} never consumed {self.published[i][1]} {i} of {self.published[i][0]}"
                      for i in sorted(missing)][:10]
            found += [f"{consumer} consumed {i} {n} times" for i, n in seen.items() if n > 1]
            found += [f"{consumer} consumed {i}, which no service published or it does not subscribe to"
                      for i in set(seen) - expected]
            rows = len(self.handled.get(consumer, []))
            if self.applied is not None and self.applied.get(consumer, 0) != rows:
                found.append(f"{consumer}'s process applied {self.applied.get(consumer, 0)} events, "
                             f"its inbox holds {rows}")
        return found

    def deliveries(self) -> int:
        return sum(len(ids) for ids in self.handled.values())


def read_ledger(databases: dict[str, Any], consumers: dict[str, list[str]], dead: dict[str, int]) -> Ledger:
    """`databases`: service -> a SQLAlchemy engine or Database (anything with `.connect()`); `consumers`: service ->
    its bindings (a service without a consumer is absent)."""
    from sqlalchemy import func, select
    from stvos_runner.services import metadata

    ledger = Ledger(bindings=dict(consumers), dead=dict(dead))
    for service, engine in databases.items():
        outbox, inbox = metadata(service).tables["outbox"], metadata(service).tables["inbox"]
        with engine.connect() as connection:
            for event_id, kind in connection.execute(select(outbox.c.event_id, outbox.c.type)):
                ledger.published[event_id] = (service, kind)
            ledger.pending[service] = connection.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))).scalar_one()
            if service in consumers:
                ledger.handled[service] = list(connection.execute(
                    select(inbox.c.event_id).where(inbox.c.consumer == service)).scalars())
    return ledger


def assert_events_consumed_once(read: Callable[[], Ledger], topology: str, patience: float,
                                session_wide: bool = False) -> Ledger:
    """Poll the ledger (bounded) until it has no problem; assert it has none; count what was checked
    (`session_wide`: the ledger holds every earlier test's events too, so its figures are levels, not sums)."""
    deadline = time.monotonic() + patience
    while (problems := (ledger := read()).problems()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not problems, f"{topology}: events not consumed exactly once:\n" + "\n".join(problems[:40])
    count(f"events ledger checks, each after a test ({topology})")
    level = highest if session_wide else count
    level(f"events checked consumed once by every subscriber ({topology})", len(ledger.published))
    level(f"(event, subscriber) deliveries checked ({topology})", ledger.deliveries())
    return ledger


def handlers_of(services: Iterable[str]) -> dict[str, list[str]]:
    """Each service's consumer bindings: the keys of its one event table (service/handlers.py)."""
    import importlib

    return {service: list(importlib.import_module(f"stvos_{service}.service.handlers").HANDLERS)
            for service in services}


def rabbit_backlog(amqp_url: str, queues: Iterable[str]) -> dict[str, int]:
    """Messages in each queue (passively: a queue that does not exist counts 0)."""
    import pika

    found: dict[str, int] = {}
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        for queue in queues:
            channel = connection.channel()
            try:
                found[queue] = channel.queue_declare(queue, passive=True).method.message_count
                channel.close()
            except pika.exceptions.ChannelClosedByBroker:
                found[queue] = 0
    finally:
        connection.close()
    return found


def consumed_metrics(urls: dict[str, str]) -> tuple[dict[str, int], int]:
    """From each consumer process's /metrics: the events it applied, and the duplicates all of them ignored."""
    import requests
    from prometheus_client.parser import text_string_to_metric_families

    applied, duplicates = dict.fromkeys(urls, 0), 0
    for consumer, url in urls.items():
        for family in text_string_to_metric_families(requests.get(url, timeout=5).text):
            for sample in family.samples:
                if sample.name == "stvos_events_consumed_total" and sample.labels["consumer"] == consumer:
                    if sample.labels["outcome"] == "applied":
                        applied[consumer] += int(sample.value)
                    else:
                        duplicates += int(sample.value)
    return applied, duplicates
