"""The unit of work: commit or roll back as one, and writers on SQLite never interleave a check and a write."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Column, Integer, String, Table, func, insert, select
from stvos_shared.db import Database, new_metadata


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
