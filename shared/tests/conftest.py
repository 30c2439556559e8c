"""Fixtures of the shared library's tests: a database of each kind, opened as often as a test needs."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import MetaData
from stvos_shared.db import Database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A SQLite file, then a fresh PostgreSQL database (shared by the module: tests drop what they create)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("postgres_database")


@pytest.fixture
def open_database(database_url: str) -> Iterator[Callable[[MetaData], Database]]:
    """open(metadata) -> Database on the same database each call (each like another process), schema created."""
    opened: list[Database] = []

    def open_(metadata: MetaData) -> Database:
        database = Database(database_url, metadata)
        if not opened:
            database.create_all()
        opened.append(database)
        return database

    yield open_
    for database in opened[1:]:
        database.dispose()
    if opened:
        opened[0].metadata.drop_all(opened[0].engine)
        opened[0].dispose()
