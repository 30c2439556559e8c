"""Every service's Alembic migrations build exactly its metadata, and unwind back to nothing."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool
from stvos_runner.services import metadata as service_metadata
from stvos_shared.migrations import downgrade, upgrade_head

from tests.fixtures.servers import SERVICES, fresh_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request, tmp_path) -> Iterator[str]:
    """An empty database of each kind: a SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrated.db"
        return
    with fresh_database(request.getfixturevalue("postgres_url"), "stvos_test_migrations") as url:
        yield url


def schema_differences(url: str, service: str) -> list:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, service_metadata(service))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_migrating_to_head_builds_exactly_the_service_metadata(service, empty_database):
    upgrade_head(service, empty_database)
    assert schema_differences(empty_database, service) == []
    assert table_names(empty_database) == {*service_metadata(service).tables, "alembic_version"}


@pytest.mark.parametrize("service", SERVICES)
def test_downgrading_to_base_removes_every_table_of_the_service(service, empty_database):
    upgrade_head(service, empty_database)
    downgrade(service, empty_database, "base")
    assert table_names(empty_database) == {"alembic_version"}
    upgrade_head(service, empty_database)
    assert schema_differences(empty_database, service) == []
