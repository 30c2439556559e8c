"""The completion job: a subscription whose programme has run (weeks x 7 active days) becomes `completed`,
once, with one booking.programme_subscription.completed through the outbox; nothing changes it afterwards."""
from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from stvos_booking.service.completions import Completions
from stvos_shared.contracts import validate
from stvos_shared.jobs import drain

from services.booking.tests.integration.test_programmes_api import change, code, subscribe
from services.booking.tests.world import MONDAY, NOW

COMPLETED = "booking.programme_subscription.completed"


def at(world, day) -> None:
    """Move the booking clock to 08:00 UTC of `day`."""
    world.now = datetime.combine(day, time(8), tzinfo=NOW.tzinfo)


def subscribed(world, weeks: int, user_id=None, start=MONDAY) -> dict:
    response = subscribe(world, world.add_programme(weeks=weeks), start=str(start), user_id=user_id)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["subscription"]


def complete(world) -> int:
    """One drain of the job, then the events delivered (what the job process and the relay do)."""
    done = drain(world.booking.completions, "booking")
    world.platform.flush()
    return done


def shown(world, subscription_id: int) -> dict:
    response = world.gateway.get(f"/my-bookings/programmes/{subscription_id}", headers=world.headers())
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["subscription"]


def test_the_job_completes_exactly_the_subscriptions_whose_weeks_have_run(world):
    one_week = subscribed(world, weeks=1)  # ends 2027-03-08
    four_weeks = subscribed(world, weeks=4)  # ends 2027-03-29
    later_start = subscribed(world, weeks=1, start=MONDAY + timedelta(days=2))  # ends 2027-03-10
    at(world, MONDAY + timedelta(days=6))
    assert complete(world) == 0  # a day short of a week
    at(world, MONDAY + timedelta(days=7))
    assert complete(world) == 1
    assert [shown(world, s["id"])["status"] for s in (one_week, four_weeks, later_start)] == [
        "completed", "active", "active"]
    [event] = world.published(COMPLETED)
    assert validate(COMPLETED, 1, event) == {}
    assert (event["subscriptionId"], event["status"], event["endDate"], event["subscribers"],
            event["subscribersVersion"]) == (one_week["id"], "completed", "2027-03-08", 0, 2)
    at(world, MONDAY + timedelta(days=40))
    assert complete(world) == 2
    assert {e["subscriptionId"] for e in world.published(COMPLETED)} == {s["id"] for s in
                                                                          (one_week, four_weeks, later_start)}


def test_running_the_job_again_completes_nothing_and_publishes_nothing(world):
    subscribed(world, weeks=1)
    at(world, MONDAY + timedelta(days=30))
    assert (complete(world), complete(world), complete(world)) == (1, 0, 0)
    assert len(world.published(COMPLETED)) == 1


def test_paused_days_do_not_count_and_a_paused_subscription_never_completes(world):
    paused_then_resumed = subscribed(world, weeks=1)
    still_paused = subscribed(world, weeks=1, user_id=world.add_user("Sam"))
    change(world, paused_then_resumed["id"], "pause")
    sam = still_paused["userId"]
    change(world, still_paused["id"], "pause", sam)
    at(world, MONDAY + timedelta(days=3))
    assert change(world, paused_then_resumed["id"], "resume").get_json()["data"]["subscription"]["endDate"] == (
        "2027-03-11")  # 7 active days: from Monday, less the 3 paused
    at(world, MONDAY + timedelta(days=9))
    assert complete(world) == 0
    at(world, MONDAY + timedelta(days=10))  # 3 days paused, then 7 active: 2027-03-04 .. 2027-03-10
    assert complete(world) == 1
    assert [e["subscriptionId"] for e in world.published(COMPLETED)] == [paused_then_resumed["id"]]
    at(world, MONDAY + timedelta(days=365))
    assert complete(world) == 0  # paused: its active time does not grow


def test_a_completed_subscription_reads_completed_for_the_user_and_with_the_trainer(world):
    subscription = subscribed(world, weeks=2)
    at(world, MONDAY + timedelta(days=14))
    complete(world)
    assert (shown(world, subscription["id"])["status"], shown(world, subscription["id"])["endDate"]) == (
        "completed", "2027-03-15")
    listed = world.gateway.get("/my-bookings/programmes?status=completed", headers=world.headers()).get_json()
    assert [s["id"] for s in listed["data"]["programmes"]] == [subscription["id"]]
    assert world.gateway.get("/my-bookings/programmes?status=active", headers=world.headers()).get_json()[
        "data"]["programmes"] == []
    with_trainer = world.gateway.get(f"/trainers/{world.trainer_id}/my-bookings", headers=world.headers())
    assert [s["status"] for s in with_trainer.get_json()["data"]["programmes"]] == ["completed"]


@pytest.mark.parametrize("action", ["pause", "resume", "cancel"])
def test_a_completed_subscription_cannot_be_paused_resumed_or_cancelled(world, action):
    subscription = subscribed(world, weeks=1)
    at(world, MONDAY + timedelta(days=7))
    complete(world)
    assert code(change(world, subscription["id"], action)) == (409, "INVALID_TRANSITION")
    assert shown(world, subscription["id"])["status"] == "completed"
    assert world.published(f"booking.programme_subscription.{action}d") == []


def test_a_completed_subscription_is_no_longer_live_so_the_user_may_subscribe_again(world):
    subscription = subscribed(world, weeks=1)
    programme = subscription["programme"]["id"]
    at(world, MONDAY + timedelta(days=7))
    complete(world)
    again = subscribe(world, programme, start=str(MONDAY + timedelta(days=7)))
    assert again.status_code == 201, again.get_json()
    [_, resubscribed] = world.published("booking.programme_subscription.subscribed")
    assert (resubscribed["subscribers"], resubscribed["subscribersVersion"]) == (1, 3)


def test_the_job_works_in_batches_until_nothing_is_due(world):
    for n in range(5):
        subscribed(world, weeks=1, user_id=world.add_user(f"User {n}"))
    at(world, MONDAY + timedelta(days=7))
    small = Completions(world.booking.uow, world.booking.clock, batch_size=2)
    assert [small.run_once() for _ in range(4)] == [2, 2, 1, 0]
    assert drain(small, "booking") == 0
    events = world.published(COMPLETED)
    assert len({e["subscriptionId"] for e in events}) == 5
    # one programme each: every count goes 1 -> 0
    assert {(e["subscribers"], e["subscribersVersion"]) for e in events} == {(0, 2)}


def test_two_passes_at_once_complete_each_subscription_once_with_one_event_each(world):
    """Two job processes: each batch claims its rows (FOR UPDATE SKIP LOCKED on PostgreSQL, SQLite's one
    writer), the UPDATE completes only active rows, so no subscription is completed or told twice."""
    programme = world.add_programme(weeks=1)
    users = [world.add_user(f"Racer {n}") for n in range(24)]
    for user_id in users:
        assert subscribe(world, programme, start=str(MONDAY), user_id=user_id).status_code == 201
    at(world, MONDAY + timedelta(days=8))
    passes = [Completions(world.booking.uow, world.booking.clock, batch_size=5) for _ in range(2)]
    start, done, errors = threading.Barrier(len(passes)), [0] * len(passes), []

    def run(index: int) -> None:
        start.wait()
        try:
            done[index] = drain(passes[index], "booking")
            done[index] += drain(passes[index], "booking")  # a pass cut short by the other's locks goes on
        except BaseException as failure:
            errors.append(failure)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(passes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(done) == len(users)
    events = world.published(COMPLETED)
    assert sorted(e["userId"] for e in events) == sorted(users)
    # the programme's count went down by one per completion, each with its own version
    assert sorted(e["subscribersVersion"] for e in events) == list(range(len(users) + 1, 2 * len(users) + 1))
    assert min(e["subscribers"] for e in events) == 0


@pytest.mark.parametrize("platform", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_on_postgresql_a_pass_skips_a_row_another_transaction_holds_and_the_next_pass_takes_it(world):
    """FOR UPDATE SKIP LOCKED: a due row locked elsewhere (another pass mid-batch, a user's pause) is passed
    over at once, not waited for, and not completed twice. PostgreSQL only: SQLite has one writer, no row lock."""
    held, free = (subscribed(world, weeks=1, user_id=world.add_user(name)) for name in ("Held", "Free"))
    at(world, MONDAY + timedelta(days=7))
    done: list[int] = []
    with world.booking.db.unit_of_work() as session:
        session.execute(text("SELECT id FROM programme_subscriptions WHERE id = :id FOR UPDATE"), {"id": held["id"]})
        racer = threading.Thread(target=lambda: done.append(world.booking.completions.run_once()))
        racer.start()
        racer.join(timeout=10)
        assert not racer.is_alive(), "the pass waited for the locked row"
    assert done == [1]
    assert [e["subscriptionId"] for e in world.published(COMPLETED)] == [free["id"]]
    assert complete(world) == 1
    assert [e["subscriptionId"] for e in world.published(COMPLETED)] == [free["id"], held["id"]]


def test_a_subscription_that_cannot_complete_is_passed_over_and_holds_back_no_other(world, caplog):
    stuck, *others = (subscribed(world, weeks=1, user_id=world.add_user(name)) for name in ("Stuck", "Ann", "Bo"))
    with world.booking.db.unit_of_work() as session:  # its programme's count out of step: -1 breaks a CHECK
        session.execute(text("UPDATE programmes SET subscribers = 0 WHERE id = :id"), {"id": stuck["programmeId"]})
    at(world, MONDAY + timedelta(days=7))
    assert complete(world) == 2
    assert {e["subscriptionId"] for e in world.published(COMPLETED)} == {s["id"] for s in others}
    assert f"subscription [{stuck['id']}] cannot complete" in caplog.text
    assert complete(world) == 0  # passed over, not refused again every pass
    with world.booking.db.unit_of_work(write=False) as session:
        statuses = dict(session.execute(text("SELECT id, status FROM programme_subscriptions")).all())
    assert statuses == {stuck["id"]: "active", **{s["id"]: "completed" for s in others}}


def test_a_failure_of_the_database_itself_passes_nothing_over(world, monkeypatch):
    subscribed(world, weeks=1)
    at(world, MONDAY + timedelta(days=7))

    def connection_lost(_work):
        raise OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly"))

    with monkeypatch.context() as patched, pytest.raises(OperationalError):
        patched.setattr(world.booking.completions.uow, "run", connection_lost)
        world.booking.completions.run_once()
    assert world.booking.completions.passed_over == set()
    assert complete(world) == 1
