"""The unit of work: commit or roll back as one, and writers on SQLite never interleave a check and a write."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Column, Integer, String, Table, bindparam, func, insert, select
from stvos_shared.db import Database, UtcDateTime, new_metadata, single_read

from tests.fixtures.queries import recorded_statements


@pytest.fixture
def db(tmp_path) -> tuple[Database, Table]:
    metadata = new_metadata()
    seats = Table("seats", metadata, Column("id", Integer, primary_key=True), Column("holder", String(20)))
    database = Database(f"sqlite:///{tmp_path / 'uow.db'}", metadata)
    database.create_all()
    return database, seats


def test_an_exception_rolls_back_the_whole_unit_of_work(db):
    database, seats = db
    with pytest.raises(RuntimeError), database.unit_of_work() as session:
        session.execute(insert(seats).values(holder="a"))
        raise RuntimeError("boom")
    with database.unit_of_work(write=False) as session:
        assert session.scalar(select(func.count()).select_from(seats)) == 0


def test_concurrent_check_then_insert_on_sqlite_lets_exactly_one_writer_through(db):
    database, seats = db
    winners, errors, barrier = [], [], threading.Barrier(8)

    def take_last_seat(name: str) -> None:
        barrier.wait()
        try:
            with database.unit_of_work() as session:
                if session.scalar(select(func.count()).select_from(seats)) == 0:
                    time.sleep(0.01)  # the work between the check and the write
                    session.execute(insert(seats).values(holder=name))
                    winners.append(name)
        except Exception as error:  # a deferred transaction fails its upgrade to a writer
            errors.append(error)

    threads = [threading.Thread(target=take_last_seat, args=(f"t{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    assert errors == []


def test_commit_callbacks_run_after_writes_only(db):
    database, seats = db
    calls = []
    database.on_commit(lambda: calls.append(1))
    with database.unit_of_work(write=False) as session:
        session.execute(select(seats)).all()
    with database.unit_of_work() as session:
        session.execute(insert(seats).values(holder="a"))
    assert calls == [1]


def test_ping_reports_an_unreachable_database():
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/none", new_metadata())
    assert unreachable.ping() is False


def _backend_pids(database: Database, session_count: int) -> list[int]:
    """The server pids of `session_count` pooled connections, all checked in again."""
    from sqlalchemy import text

    connections = [database.engine.connect() for _ in range(session_count)]
    pids = [connection.execute(text("SELECT pg_backend_pid()")).scalar_one() for connection in connections]
    for connection in connections:
        connection.close()
    return pids


@pytest.mark.postgres
def test_a_pooled_connection_the_server_closed_is_replaced_before_a_read_sees_it(postgres_database):
    """No pre-ping round trip, yet a terminated backend never reaches a caller: it is replaced on checkout."""
    from sqlalchemy import text

    database = Database(postgres_database, new_metadata(), pool_size=2)
    killed = _backend_pids(database, 2)
    admin = Database(postgres_database, new_metadata())
    with admin.engine.connect() as connection:
        for pid in killed:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the terminated backends are gone once nothing lists them
        with admin.engine.connect() as connection:
            if not connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:p)"),
                                      {"p": killed}).scalar_one():
                break
        time.sleep(0.05)
    for _ in range(4):  # more reads than pooled connections: every dead one is met
        with database.unit_of_work(write=False) as session:
            assert session.scalar(select(func.count()).select_from(text("pg_class"))) > 0
    assert not set(_backend_pids(database, 2)) & set(killed)
    admin.dispose()
    database.dispose()


def _single_read_setup(url: str) -> tuple[Database, Table, object]:
    metadata = new_metadata()
    seats = Table("single_read_seats", metadata, Column("id", Integer, primary_key=True),
                  Column("holder", String(20)))
    database = Database(url, metadata, pool_size=2)
    metadata.drop_all(database.engine)
    database.create_all()
    with database.unit_of_work() as session:
        session.execute(insert(seats), [{"id": 1, "holder": "ann"}, {"id": 2, "holder": "bob"}])
    by_holder = select(seats.c.id, seats.c.holder).where(seats.c.holder == bindparam("holder"))
    return database, seats, by_holder


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_single_read_sends_its_one_statement_and_answers_rows_by_attribute(backend, tmp_path, request):
    url = (f"sqlite:///{tmp_path / 'read.db'}" if backend == "sqlite"
           else request.getfixturevalue("postgres_database"))
    database, _seats, by_holder = _single_read_setup(url)
    with recorded_statements(database.engine) as statements, database.unit_of_work(write=False) as session:
        rows = single_read(session, by_holder, {"holder": "bob"})
        again = single_read(session, by_holder, {"holder": "nobody"})
    assert [(row.id, row.holder) for row in rows] == [(2, "bob")]
    assert list(again) == []
    sent = [s.split(None, 1)[0].upper() for s in statements]
    assert sent == (["BEGIN", "SELECT", "SELECT"] if backend == "sqlite" else ["SELECT", "SELECT"])  # no BEGIN/COMMIT
    database.dispose()


@pytest.mark.postgres
def test_a_single_read_in_a_writing_unit_of_work_runs_in_its_transaction(postgres_database):
    database, seats, by_holder = _single_read_setup(postgres_database)
    with database.unit_of_work() as session:
        session.execute(insert(seats).values(id=3, holder="cy"))
        assert [row.id for row in single_read(session, by_holder, {"holder": "cy"})] == [3]
        session.rollback()
    with recorded_statements(database.engine) as statements, database.unit_of_work() as session:
        assert [row.id for row in single_read(session, by_holder, {"holder": "ann"})] == [1]  # the first statement
        assert session.in_transaction()  # ... of the write's own transaction, not a connection of its own
    assert len(statements) == 1
    with database.unit_of_work(write=False) as session:
        assert single_read(session, by_holder, {"holder": "cy"}) == []
    database.dispose()


@pytest.mark.postgres
def test_a_failing_single_read_raises_sqlalchemys_error_and_leaves_the_pool_usable(postgres_database):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    database, _seats, by_holder = _single_read_setup(postgres_database)
    with pytest.raises(DBAPIError), database.unit_of_work(write=False) as session:
        single_read(session, select(text("1 / 0")), {})
    for _ in range(4):  # more reads than pooled connections: none is left in a transaction or in autocommit
        with database.unit_of_work(write=False) as session:
            assert [row.holder for row in single_read(session, by_holder, {"holder": "ann"})] == ["ann"]
    with database.engine.connect() as connection:
        assert connection.connection.driver_connection.autocommit is False
    database.dispose()


@pytest.mark.postgres
def test_a_single_read_answers_instants_in_utc_whatever_the_servers_default_zone(postgres_database):
    from datetime import UTC, datetime

    from sqlalchemy import literal, text
    from sqlalchemy.engine import make_url

    name = make_url(postgres_database).database
    admin = Database(postgres_database, new_metadata())
    with admin.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text(f'ALTER DATABASE "{name}" SET timezone = \'Asia/Kolkata\''))
    admin.dispose()
    database = Database(postgres_database, new_metadata())
    instant = select(literal(datetime(2026, 12, 1, 9, 30, tzinfo=UTC), UtcDateTime).label("at"))
    with database.unit_of_work(write=False) as session:
        (row,) = single_read(session, instant, {})
    assert row.at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert row.at.utcoffset().total_seconds() == 0
    database.dispose()


@pytest.mark.postgres
def test_a_single_read_planned_each_time_is_never_prepared(postgres_database):
    from sqlalchemy import text

    database, _seats, by_holder = _single_read_setup(postgres_database)

    def prepared() -> int:  # on the pool's one connection (one thread: the same connection every time)
        with database.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM pg_prepared_statements "
                                           "WHERE statement LIKE 'SELECT%single_read_seats%'")).scalar_one()

    for _ in range(8):
        with database.unit_of_work(write=False) as session:
            single_read(session, by_holder, {"holder": "ann"}, plan_each_time=True)
    assert prepared() == 0
    for _ in range(8):  # psycopg prepares a statement on its fifth run
        with database.unit_of_work(write=False) as session:
            single_read(session, by_holder, {"holder": "ann"})
    assert prepared() == 1
    database.dispose()
