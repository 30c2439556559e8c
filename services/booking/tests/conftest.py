"""Booking-service fixtures: the service's database on SQLite and on migrated PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from stvos_booking.adapters import orm
from stvos_shared.db import Database
from stvos_shared.migrations import upgrade_head

from tests.fixtures.servers import empty_tables

# Enough connections that every racer of the tests holds its own.
POOL_SIZE = 12


@pytest.fixture(scope="module")
def migrated_postgres(postgres_database: str) -> str:
    """A PostgreSQL database of this test module, at the booking service's newest migration."""
    upgrade_head("booking", postgres_database)
    return postgres_database


def _postgres(url: str) -> Database:
    empty_tables(url, "booking")
    return Database(url, orm.metadata, pool_size=POOL_SIZE)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Database]:
    """The booking database, empty: a SQLite file built from the metadata, or migrated PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'booking.db'}", orm.metadata)
        database.create_all()
    else:
        database = _postgres(request.getfixturevalue("migrated_postgres"))
    yield database
    database.dispose()


@pytest.fixture
def pg_db(migrated_postgres: str) -> Iterator[Database]:
    """The booking database on migrated PostgreSQL only, empty (mark the test `postgres`)."""
    database = _postgres(migrated_postgres)
    yield database
    database.dispose()


@pytest.fixture
def world(platform, gateway, monkeypatch):
    """A tenant with a trainer in Europe/London and a user, the booking clock standing at NOW."""
    from services.booking.tests.world import World

    return World(platform, gateway, monkeypatch)
