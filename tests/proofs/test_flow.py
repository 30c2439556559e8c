"""The booking flow end to end through the gateway, written once and run on both topologies.

A partner admin creates a trainer; the trainer registers and sets a service, hours, a group class and a programme;
a user registers with a voucher, browses, reads availability, books, joins the class, subscribes and sees all three
in My Bookings; the trainer sees them in the portal, updates the booking and launches it; the user sees the meeting,
then cancels; the slot is bookable again (another user books it); clients, the dashboard, `spotsLeft` and the
subscriber count agree with what happened. Every event the flow caused is consumed once by every subscriber
(checked by the topology fixture at teardown).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.fixtures.figures import count
from tests.proofs.events import Ledger
from tests.proofs.flow_steps import Studio, Topology, by_id, open_studio, register_user, set_up_business, slots
from tests.proofs.topologies import embedded, on_stack  # noqa: F401  (fixtures)


def test_the_booking_flow_through_the_embedded_gateway(embedded):  # noqa: F811
    journey(embedded)


@pytest.mark.slow
def test_the_booking_flow_through_nginx_on_the_stack(on_stack):  # noqa: F811
    journey(on_stack)


def journey(t: Topology) -> None:
    studio = open_studio(t, "Flow Studio")
    set_up_business(t, studio)
    user = register_user(t, studio, "Ann", voucher=studio.voucher)
    voucher_was_redeemed(t, studio)
    browse(t, studio, user)
    free = slots(t, studio, user)
    booking = t.call("POST", f"/trainers/{studio.trainer_id}/book", {
        "serviceId": studio.service["id"], "slotId": free[0]["id"], "notes": "Focus on upper body"},
        user["headers"], 201)["booking"]
    assert (booking["status"], booking["scheduledDate"]) == ("confirmed", str(studio.day))
    assert booking["userId"] == user["id"]
    assert by_id(slots(t, studio, user, lambda found: by_id(found, free[0]["id"]) is None), free[0]["id"]) is None
    class_id, programme_id = studio.group_class["id"], studio.programme["id"]
    t.call("POST", f"/trainers/classes/{class_id}/join", {"paymentAmount": 15}, user["headers"], 201)
    subscription = t.call("POST", f"/trainers/{studio.trainer_id}/programmes/subscribe", {
        "programmeId": programme_id, "startDate": str(studio.day), "paymentAmount": 299},
        user["headers"], 201)["subscription"]
    sees_all_three(t, studio, user, booking["id"], subscription["id"])
    counts_agree(t, studio, user, spots_left=7, subscribers=1, sessions=[booking["id"]])
    trainer_serves(t, studio, user, booking["id"])
    cancelled = t.call("POST", f"/my-bookings/sessions/{booking['id']}/cancel", None, user["headers"])["booking"]
    assert (cancelled["status"], cancelled["lateCancellation"]) == ("cancelled", False)
    t.call("POST", f"/my-bookings/group-classes/{class_id}/cancel", None, user["headers"])
    again = slots(t, studio, user, lambda found: by_id(found, free[0]["id"]) is not None)
    other = register_user(t, studio, "Ben")
    rebooked = t.call("POST", f"/trainers/{studio.trainer_id}/book", {
        "serviceId": studio.service["id"], "slotId": by_id(again, free[0]["id"])["id"]}, other["headers"], 201)
    counts_agree(t, studio, user, spots_left=8, subscribers=1, sessions=[rebooked["booking"]["id"]], other=other)
    count(f"booking flows completed ({t.name})")


def voucher_was_redeemed(t: Topology, studio: Studio) -> None:
    vouchers = t.call("GET", "/partner/vouchers", None, studio.admin)["vouchers"]
    assert [v["redemptions"] for v in vouchers if v["code"] == studio.voucher] == [1]
    t.read("/partner/overview", studio.admin, lambda data: data["usersRegisteredWithVouchers"] == 1)


def browse(t: Topology, studio: Studio, user: dict[str, Any]) -> None:
    """The trainer in the list, their profile with the service, the class and the programme; the class's spots."""
    listed = t.read("/trainers?search=Flow", user["headers"],
                    lambda data: by_id(data["trainers"], studio.trainer_id))["trainers"]
    assert [trainer["id"] for trainer in listed] == [studio.trainer_id]
    detail = t.call("GET", f"/trainers/{studio.trainer_id}", None, user["headers"])["trainer"]
    assert [s["id"] for s in detail["services"]] == [studio.service["id"]]
    assert [c["id"] for c in detail["classes"]] == [studio.group_class["id"]]
    assert [p["id"] for p in detail["programmes"]] == [studio.programme["id"]]
    services = t.call("GET", f"/trainers/{studio.trainer_id}/services", None, user["headers"])["services"]
    assert [(s["name"], s["price"]) for s in services] == [("1-on-1 Training", 75)]
    classes = t.call("GET", f"/trainers/{studio.trainer_id}/classes", None, user["headers"])
    assert [(c["id"], c["spotsLeft"]) for c in classes["upcomingGroupClasses"]] == [(studio.group_class["id"], 8)]


def sees_all_three(t: Topology, studio: Studio, user: dict[str, Any], booking_id: int, subscription_id: int) -> None:
    headers = user["headers"]
    assert [b["id"] for b in t.call("GET", "/my-bookings/sessions", None, headers)["sessions"]] == [booking_id]
    places = t.call("GET", "/my-bookings/group-classes", None, headers)["groupClasses"]
    assert [p["classId"] for p in places] == [studio.group_class["id"]]
    subscriptions = t.call("GET", "/my-bookings/programmes", None, headers)["programmes"]
    assert [s["id"] for s in subscriptions] == [subscription_id]
    summary = t.call("GET", "/my-bookings/summary", None, headers)
    assert (summary["upcomingSessions"], summary["upcomingGroupClasses"], summary["activeProgrammes"]) == (1, 1, 1)
    with_trainer = t.call("GET", f"/trainers/{studio.trainer_id}/my-bookings", None, headers)
    assert [len(with_trainer[kind]) for kind in ("sessions", "groupClasses", "programmes")] == [1, 1, 1]


def trainer_serves(t: Topology, studio: Studio, user: dict[str, Any], booking_id: int) -> None:
    """The trainer finds the booking and its client, notes a meeting link, launches; the user sees the meeting."""
    listed = t.call("GET", "/trainer-portal/bookings", None, studio.trainer)["bookings"]
    assert [b["id"] for b in listed] == [booking_id]
    updated = t.call("PUT", f"/trainer-portal/bookings/{booking_id}", {"notes": "Bring a mat"},
                     studio.trainer)["booking"]
    assert updated["notes"] == "Bring a mat" and updated["status"] == "confirmed"
    launched = t.call("POST", f"/trainer-portal/bookings/{booking_id}/launch", None, studio.trainer)
    seen = t.read(f"/my-bookings/sessions/{booking_id}", user["headers"],
                  lambda data: (data["booking"].get("meeting") or {}).get("room") == launched["room"])
    assert seen["booking"]["meeting"]["url"] == launched["url"]
    assert seen["booking"]["meeting"]["token"] != launched["token"]


def counts_agree(t: Topology, studio: Studio, user: dict[str, Any], spots_left: int, subscribers: int,
                 sessions: list[int], other: dict[str, Any] | None = None) -> None:
    """Catalog's spotsLeft and subscriber count, the portal's clients and dashboard: what happened, once converged."""
    class_id = studio.group_class["id"]
    t.read(f"/trainers/{studio.trainer_id}/classes", user["headers"],
           lambda data: [c["spotsLeft"] for c in data["upcomingGroupClasses"] if c["id"] == class_id] == [spots_left])
    t.read(f"/trainer-portal/group-classes/{class_id}", studio.trainer,
           lambda data: data["groupClass"]["participants"] == 8 - spots_left)
    t.read("/trainer-portal/programmes", studio.trainer,
           lambda data: [p["subscriberCount"] for p in data["programmes"]] == [subscribers])
    t.read("/trainer-portal/dashboard", studio.trainer,
           lambda data: [s["id"] for s in data["upcomingSessions"]] == sessions)
    expected = {user["id"]: (0 if other else 1, 8 - spots_left, subscribers)}
    if other:
        expected[other["id"]] = (1, 0, 0)
    t.read("/trainer-portal/clients", studio.trainer,
           lambda data: {c["userId"]: (c["sessions"], c["classes"], c["programmes"]) for c in data["clients"]}
           == expected)


def test_the_events_ledger_finds_each_way_an_event_can_go_wrong():
    """The check every topology runs at teardown fails for a lost, repeated, stray, pending or dead event."""
    ledger = Ledger(published={"e1": ("partner", "partner.trainer.created"), "e2": ("auth", "auth.user.registered")},
                    pending={"partner": 0}, bindings={"auth": ["partner.trainer.created"],
                                                      "partner": ["auth.user.registered"]},
                    handled={"auth": ["e1"], "partner": ["e2"]}, dead={"auth.dead": 0},
                    applied={"auth": 1, "partner": 1})
    assert ledger.problems() == []
    broken = [
        replace(ledger, handled={"auth": [], "partner": ["e2"]}, applied={"auth": 0, "partner": 1}),  # lost
        replace(ledger, handled={"auth": ["e1", "e1"], "partner": ["e2"]}, applied={"auth": 2, "partner": 1}),
        replace(ledger, handled={"auth": ["e1", "e2"], "partner": ["e2"]}, applied={"auth": 2, "partner": 1}),
        replace(ledger, pending={"partner": 1}),
        replace(ledger, dead={"auth.dead": 1}),
        replace(ledger, applied={"auth": 2, "partner": 1}),
    ]
    assert [len(case.problems()) for case in broken] == [1] * len(broken), [case.problems() for case in broken]
