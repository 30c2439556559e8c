"""Portal fixtures: the portal app alone (doubles of its peers) on SQLite and on migrated PostgreSQL."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from stvos_shared.migrations import upgrade_head

from services.portal.tests.support.harness import Clock, Doubles, Portal
from tests.fixtures.servers import empty_tables


@pytest.fixture(scope="module")
def migrated_postgres(postgres_database: str) -> str:
    """A PostgreSQL database of this test module, at the portal's newest migration."""
    upgrade_head("portal", postgres_database)
    return postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """An empty portal database: a SQLite file (schema from the metadata) or migrated PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.db'}"
    url = request.getfixturevalue("migrated_postgres")
    empty_tables(url, "portal")
    return url


@pytest.fixture
def make_portal(database_url: str) -> Iterator[Callable[..., Portal]]:
    """Build the portal (again, as after a restart) on the test's database."""
    built: list[Portal] = []

    def make(clock: Clock | None = None, doubles: Doubles | None = None, **settings) -> Portal:
        portal = Portal(database_url, clock, doubles, **settings)
        if database_url.startswith("sqlite"):
            portal.container.db.create_all()
        built.append(portal)
        return portal

    yield make
    for portal in built:
        portal.close()


@pytest.fixture
def portal(make_portal) -> Portal:
    return make_portal()


def pytest_collection_modifyitems(config, items) -> None:
    """LiveKit's development secret ("secret", the embedded default) is shorter than pyjwt recommends."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"))
