"""No overselling: a class never has more participants than places, and a user holds at most one."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import update
from stvos_booking.adapters.orm import ProgrammeSubscription

from services.booking.tests.support import (
    OTHER_TENANT,
    add_class,
    add_programme,
    join,
    leave,
    outcome,
    race,
    seats,
    subscribe,
)

RACERS, CAPACITY = 20, 5


def test_twenty_racers_for_a_class_of_five_leave_exactly_five_joined(db):
    add_class(db, capacity=CAPACITY)
    assert race(RACERS, lambda number: join(db, user_id=number + 1)) == Counter(
        {"ok": CAPACITY, "CLASS_FULL": RACERS - CAPACITY})
    assert seats(db) == (CAPACITY, CAPACITY)


def test_one_user_joining_twice_at_once_holds_one_place(db):
    add_class(db, capacity=CAPACITY)
    assert race(4, lambda _: join(db, user_id=7)) == Counter({"ok": 1, "ALREADY_JOINED": 3})
    assert seats(db) == (1, 1)


def test_joining_a_class_one_has_joined_gets_already_joined_and_takes_no_place(db):
    add_class(db, capacity=CAPACITY)
    join(db, user_id=7)
    assert outcome(lambda: join(db, user_id=7)) == "ALREADY_JOINED"
    assert seats(db) == (1, 1)


def test_leaving_gives_the_place_back_and_the_user_may_join_again(db):
    add_class(db, capacity=1)
    join(db, user_id=7)
    assert outcome(lambda: join(db, user_id=8)) == "CLASS_FULL"
    assert leave(db, user_id=7)["status"] == "cancelled"
    assert seats(db) == (0, 0)
    join(db, user_id=7)
    assert seats(db) == (1, 1)


def test_leaving_twice_gives_back_one_place_and_the_second_is_a_conflict(db):
    add_class(db, capacity=CAPACITY)
    join(db, user_id=7)
    join(db, user_id=8)
    leave(db, user_id=7)
    assert outcome(lambda: leave(db, user_id=7)) == "ALREADY_CANCELLED"
    assert seats(db) == (1, 1)


def test_racing_to_leave_gives_back_one_place(db):
    add_class(db, capacity=CAPACITY)
    join(db, user_id=7)
    join(db, user_id=8)
    assert race(4, lambda _: leave(db, user_id=7)) == Counter({"ok": 1, "ALREADY_CANCELLED": 3})
    assert seats(db) == (1, 1)


def test_leaving_a_class_one_never_joined_is_not_found(db):
    add_class(db)
    assert outcome(lambda: leave(db, user_id=7)) == "PARTICIPATION_NOT_FOUND"
    assert outcome(lambda: leave(db, user_id=7, class_id=99)) == "CLASS_NOT_FOUND"


def test_an_unknown_or_other_tenants_class_is_not_found_and_a_cancelled_one_is_a_conflict(db):
    add_class(db, 10)
    add_class(db, 11, active=False)
    add_class(db, 12, client_id=OTHER_TENANT)
    assert outcome(lambda: join(db, user_id=7, class_id=99)) == "CLASS_NOT_FOUND"
    assert outcome(lambda: join(db, user_id=7, class_id=12)) == "CLASS_NOT_FOUND"
    assert outcome(lambda: join(db, user_id=7, class_id=11)) == "CLASS_CANCELLED"


def test_a_participation_is_paid_in_the_class_currency(db):
    add_class(db)
    participation = join(db, user_id=7)
    assert (participation["payment_amount"], participation["currency"]) == (Decimal("15.00"), "GBP")


def test_subscribing_twice_to_a_programme_gets_already_subscribed(db):
    add_programme(db, 3)
    add_programme(db, 4)
    subscribe(db)
    assert outcome(lambda: subscribe(db)) == "ALREADY_SUBSCRIBED"
    assert subscribe(db, user_id=8)["status"] == "active"
    assert subscribe(db, programme_id=4)["status"] == "active"


def test_racing_subscriptions_of_one_user_leave_one(db):
    add_programme(db)
    assert race(4, lambda _: subscribe(db)) == Counter({"ok": 1, "ALREADY_SUBSCRIBED": 3})


def test_a_paused_subscription_still_counts_and_a_cancelled_one_does_not(db):
    add_programme(db)
    first = subscribe(db)
    with db.unit_of_work() as session:
        session.execute(update(ProgrammeSubscription).where(ProgrammeSubscription.id == first["id"])
                        .values(status="paused"))
    assert outcome(lambda: subscribe(db)) == "ALREADY_SUBSCRIBED"
    with db.unit_of_work() as session:
        session.execute(update(ProgrammeSubscription).where(ProgrammeSubscription.id == first["id"])
                        .values(status="cancelled"))
    assert subscribe(db)["status"] == "active"
