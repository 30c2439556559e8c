"""A guarded write that loses a race is run again, a bounded number of times, and never answers 500."""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from stvos_booking.adapters.orm import GroupClass
from stvos_booking.adapters.unit_of_work import ATTEMPTS, UnitOfWork
from stvos_shared.errors import ApiError

from services.booking.tests.support import add_class, race


class DeadlockDetected(Exception):
    sqlstate = "40P01"


def test_a_write_that_keeps_losing_races_answers_write_conflict_after_bounded_attempts(db):
    attempts = Counter()

    def always_deadlocked(repos):
        attempts["tried"] += 1
        raise OperationalError("UPDATE ...", {}, DeadlockDetected())

    with pytest.raises(ApiError) as refused:
        UnitOfWork(db).run(always_deadlocked)
    assert (refused.value.status, refused.value.code, attempts["tried"]) == (409, "WRITE_CONFLICT", ATTEMPTS)


def test_a_write_that_lost_once_is_run_again_and_commits(db):
    add_class(db, capacity=5)
    attempts = Counter()

    def flaky(repos):
        attempts["tried"] += 1
        repos.session.execute(update(GroupClass).values(participants=GroupClass.participants + 1))
        if attempts["tried"] == 1:
            raise OperationalError("UPDATE ...", {}, DeadlockDetected())

    UnitOfWork(db).run(flaky)
    with db.unit_of_work(write=False) as session:
        assert session.scalar(select(GroupClass.participants)) == 1  # the first attempt was rolled back


@pytest.mark.postgres
def test_a_real_deadlock_between_two_writers_on_postgres_is_retried_and_both_commit(pg_db):
    add_class(pg_db, 10)
    add_class(pg_db, 11)
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = Counter()

    def lock_in_order(first: int, second: int):
        def work(repos) -> None:
            attempts[first] += 1
            repos.session.execute(update(GroupClass).where(GroupClass.id == first).values(participants=1))
            if attempts[first] == 1:
                both_hold_one.wait()  # each holds one row and now asks for the other's: a deadlock
            repos.session.execute(update(GroupClass).where(GroupClass.id == second).values(participants=1))
        return work

    orders = [(10, 11), (11, 10)]
    assert race(2, lambda n: UnitOfWork(pg_db).run(lock_in_order(*orders[n]))) == Counter({"ok": 2})
    assert sorted(attempts.values()) == [1, 2]
