"""Races decided by the database: concurrent launches make one room and one announcement; concurrent
deliveries of one booking's events keep the newest state (real threads, SQLite and PostgreSQL)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from services.portal.tests.support.events import TENANT, TRAINER, registered, session, utc
from services.portal.tests.support.harness import Clock

NOW = utc(2026, 3, 4, 12)


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call on its own thread, released together; their results in order (errors re-raised)."""
    start, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[index] = call()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def test_concurrent_launches_share_one_room_and_announce_it_once(make_portal):
    portal = make_portal(Clock(NOW))
    portal.booking.add(TENANT, TRAINER, 17, "2026-03-04T13:00:00+00:00", "2026-03-04T14:00:00+00:00")
    token = portal.trainer_token()

    answers = at_once([lambda: portal.app.test_client().post("/trainer-portal/bookings/17/launch",
                                                             headers=portal.headers(token))] * 6)

    assert [answer.status_code for answer in answers] == [200] * 6
    assert {answer.get_json()["data"]["room"] for answer in answers} == {f"c{TENANT}-booking-17"}
    assert len(portal.outbox("portal.session.launched")) == 1


def test_concurrent_deliveries_of_one_bookings_events_keep_the_newest_state(make_portal):
    portal = make_portal(Clock(NOW))
    starts = utc(2026, 3, 5, 10)
    events = [session(1, 7, starts, "confirmed", at=utc(2026, 3, 1)),
              session(1, 7, starts, "cancelled", at=utc(2026, 3, 2)),
              session(1, 7, starts, "confirmed", verb="updated", at=utc(2026, 3, 1, 12)),
              registered(7, "Ann", "ann@example.com", at=utc(2026, 2, 1), coach_id=TRAINER)]

    at_once([lambda event=event: portal.deliver(event) for event in events])

    [client] = portal.data("GET", "/trainer-portal/clients")["clients"]
    assert client["sessions"] == 0 and client["clientSince"] == "2026-02-01T00:00:00+00:00"
    assert portal.data("GET", "/trainer-portal/dashboard")["thisWeek"]["cancellations"] == 1
