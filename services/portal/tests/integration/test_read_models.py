"""The read models survive a restart, ignore duplicated events and tolerate events out of order."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from stvos_portal.adapters import orm

from services.portal.tests.support.events import TRAINER, registered, session, subscription, trainer, utc
from services.portal.tests.support.harness import Clock, Portal
from services.portal.tests.support.sequence import BOB, DAVE, NOW, known_sequence


def everything(portal: Portal) -> dict:
    """All the trainer sees of the read models: dashboard, clients and statistics."""
    portal.catalog.add_profile(1, TRAINER, timezone="Asia/Tokyo")
    return {"dashboard": portal.data("GET", "/trainer-portal/dashboard"),
            "clients": portal.data("GET", "/trainer-portal/clients"),
            "statistics": portal.data("GET", "/trainer-portal/profile")["statistics"]}


def wipe(portal: Portal) -> None:
    with portal.container.db.unit_of_work() as session_:
        for table in reversed(orm.metadata.sorted_tables):
            session_.execute(table.delete())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_events_in_any_order_and_duplicated_build_the_same_figures(make_portal, seed):
    events = known_sequence()
    portal = make_portal(Clock(NOW))
    portal.deliver(*events)
    in_order = everything(portal)
    wipe(portal)

    redelivered = [replace(event, id=f"again{n}") for n, event in enumerate(events[::3])]  # new ids, same facts
    portal.deliver(*random.Random(seed).sample(events + redelivered, len(events) + len(redelivered)))

    assert everything(portal) == in_order


def test_a_late_booked_event_never_resurrects_a_cancellation(portal):
    starts = utc(2026, 3, 5, 10)
    portal.deliver(session(1, BOB, starts, "cancelled", at=utc(2026, 3, 2, 9)),
                   session(1, BOB, starts, "confirmed", at=utc(2026, 3, 2, 8)))

    assert portal.data("GET", "/trainer-portal/dashboard")["upcomingSessions"] == []
    assert portal.data("GET", "/trainer-portal/clients")["clients"][0]["sessions"] == 0


def test_at_the_same_instant_the_later_state_wins(portal):
    starts, at = utc(2026, 3, 5, 10), utc(2026, 3, 2, 8)
    portal.deliver(session(1, BOB, starts, "cancelled", at=at), session(1, BOB, starts, "confirmed", at=at))

    assert portal.data("GET", "/trainer-portal/dashboard")["upcomingSessions"] == []


def test_a_subscription_counts_from_its_first_event_whichever_arrives_first(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(subscription(9, DAVE, "paused", at=utc(2026, 3, 4, 5)),
                   subscription(9, DAVE, "active", at=utc(2026, 2, 20)))  # subscribed in February

    revenue = portal.data("GET", "/trainer-portal/dashboard")["revenue"]
    client = portal.data("GET", "/trainer-portal/clients")["clients"][0]

    assert revenue["thisMonth"] == []  # earned in February, on the day it was subscribed
    assert client["clientSince"] == "2026-02-20T00:00:00+00:00"


@pytest.mark.parametrize("order", ["in order", "late resumed", "duplicated"])
def test_a_completed_subscription_stays_completed_whatever_arrives_late(make_portal, order):
    portal = make_portal(Clock(NOW))
    subscribed = subscription(9, DAVE, "active", at=utc(2026, 1, 5), weeks=8)
    resumed = subscription(9, DAVE, "active", verb="resumed", at=utc(2026, 2, 1), weeks=8)
    completed = subscription(9, DAVE, "completed", at=utc(2026, 3, 2), weeks=8, subscribers=0,
                             subscribers_version=2)
    same_instant = replace(resumed, id="resumed-at-completion", occurred_at=completed.occurred_at)
    events = {"in order": [subscribed, resumed, completed, same_instant],
              "late resumed": [subscribed, completed, resumed, same_instant],
              "duplicated": [subscribed, completed, completed, resumed, completed]}[order]
    portal.deliver(*events)
    portal.catalog.add_profile(1, TRAINER, timezone="Asia/Tokyo")

    with portal.container.db.unit_of_work(write=False) as session_:
        assert session_.scalars(select(orm.Subscription.status)).all() == ["completed"]
    assert portal.data("GET", "/trainer-portal/profile")["statistics"]["activeProgrammeSubscribers"] == 0
    assert portal.data("GET", "/trainer-portal/clients")["clients"][0]["programmes"] == 1  # it happened


def test_an_older_catalog_event_does_not_undo_a_newer_timezone(portal):
    portal.deliver(trainer(at=utc(2026, 3, 2), timezone="Asia/Tokyo"),
                   trainer(at=utc(2026, 3, 1), timezone="America/New_York"))

    assert portal.data("GET", "/trainer-portal/dashboard")["timezone"] == "Asia/Tokyo"


def test_a_sessions_timezone_stands_in_until_catalog_tells_the_trainers(portal):
    portal.deliver(session(1, BOB, utc(2026, 3, 5, 10), timezone="Europe/Paris", at=utc(2026, 3, 1)))
    assert portal.data("GET", "/trainer-portal/dashboard")["timezone"] == "Europe/Paris"

    portal.deliver(trainer(at=utc(2026, 2, 1), timezone="Asia/Tokyo"))  # older, but catalog's word
    assert portal.data("GET", "/trainer-portal/dashboard")["timezone"] == "Asia/Tokyo"


def test_a_duplicated_event_is_applied_once(portal):
    first = registered(40, "Zoe", "zoe@example.com", at=utc(2026, 3, 1), coach_id=TRAINER)
    portal.deliver(first, replace(first, data={**first.data, "name": "Changed"}))  # same id: a redelivery

    assert [c["name"] for c in portal.data("GET", "/trainer-portal/clients")["clients"]] == ["Zoe"]


def test_the_read_models_survive_a_restart_and_a_replay(make_portal):
    events = known_sequence()
    first = make_portal(Clock(NOW))
    first.deliver(*events)
    before = everything(first)
    first.close()

    again = make_portal(Clock(NOW))  # a new process on the same database
    after_restart = everything(again)
    again.deliver(*events)  # the broker redelivers every event after a crash: each is applied once
    with again.container.db.unit_of_work(write=False) as session_:
        handled = session_.scalar(select(func.count()).select_from(orm.inbox.table))

    assert after_restart == before
    assert everything(again) == before
    assert handled == len(events)
