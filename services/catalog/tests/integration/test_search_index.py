"""On PostgreSQL, trainer search is served by the trigram index, on a tenant of 10,000 trainers."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, insert, text
from stvos_catalog.adapters.orm import Trainer
from stvos_catalog.adapters.repositories.trainers import Trainers
from stvos_catalog.bootstrap import build
from stvos_catalog.config import Settings
from stvos_catalog.domain.commands import FindTrainers
from stvos_catalog.domain.model import search_text

from services.catalog.tests.support import partner_record

pytestmark = pytest.mark.postgres
BIO = ("Certified personal trainer with ten years of experience in strength, conditioning and mobility; "
       "sessions for every level, online or in the studio.")


@pytest.fixture
def big_tenant(postgres_database) -> Iterator:
    """A catalog on PostgreSQL whose tenant 1 has 10,000 trainers with bios, three of them called Mike."""
    container = build(Settings(database_url=postgres_database))
    container.db.create_all()
    rows = []
    for n in range(10_000):
        name = f"Coach Mike {n}" if n % 4000 == 7 else f"Trainer {n:05d}"
        specialisations = ["Strength", "Yoga"] if n % 2 else ["HIIT"]
        rows.append({"id": n + 1, "client_id": 1, "name": name, "bio": BIO, "image": f"https://img.test/{n}.png",
                     "specialisations": specialisations, "timezone": "UTC", "active": True,
                     "search_text": search_text(name, specialisations), "stamps": {}})
    with container.db.unit_of_work() as session:
        session.execute(insert(Trainer), rows)
        Trainers(session).changed(1)
    with container.db.engine.connect() as connection:
        connection.execute(text("ANALYZE trainers"))
        connection.commit()
    try:
        yield container
    finally:
        container.db.metadata.drop_all(container.db.engine)
        container.db.dispose()


def found_and_planned(container, find: FindTrainers) -> tuple[dict, str]:
    """The directory's answer to `find`, and PostgreSQL's plan of the one SELECT it sent."""
    sent: list[tuple[str, dict]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    event.listen(container.db.engine, "before_cursor_execute", record)
    try:
        found = container.directory.find(find)
    finally:
        event.remove(container.db.engine, "before_cursor_execute", record)
    [(statement, parameters)] = [s for s in sent if s[0].lstrip().upper().startswith("SELECT")]
    with container.db.engine.connect() as connection:
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))
    return found, plan


def test_search_uses_the_trigram_index(big_tenant):
    found, plan = found_and_planned(big_tenant, FindTrainers(client_id=1, page=1, limit=20, search="MIKE"))
    assert [t["name"] for t in found["trainers"]] == ["Coach Mike 4007", "Coach Mike 7", "Coach Mike 8007"]
    assert found["pagination"]["total"] == 3
    assert plan.count("ix_trainers_search") == 2, plan  # the count and the page alike


def test_a_page_without_search_reads_the_kept_count_not_the_rows(big_tenant):
    found, plan = found_and_planned(big_tenant, FindTrainers(client_id=1, page=300, limit=20))
    assert found["pagination"]["total"] == 10_000
    assert [t["name"] for t in found["trainers"]][:1] == ["Trainer 05979"]
    assert "trainer_counts" in plan and "ix_trainers_active" not in plan, plan  # no count of the rows


def test_trainers_added_at_once_by_many_consumers_are_all_counted_and_versioned(big_tenant):
    T0 = datetime(2026, 1, 1, tzinfo=UTC)

    def add(worker: int) -> None:
        for n in range(10):
            big_tenant.consumer.handle(partner_record(2, 20_000 + worker * 10 + n, T0, created=True,
                                                      active=n % 3 != 0))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(add, range(8)))
    active = big_tenant.directory.find(FindTrainers(client_id=2, page=1, limit=1))
    inactive = big_tenant.directory.find(FindTrainers(client_id=2, page=1, limit=1, active=False))
    assert (active["pagination"]["total"], inactive["pagination"]["total"]) == (8 * 6, 8 * 4)
    with big_tenant.db.unit_of_work(write=False) as session:
        assert Trainers(session).version(2) == 80  # one per trainer added: no change lost to another's
