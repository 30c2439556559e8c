"""The trainer's clients: who counts, their figures, activity, search, pages, notes and tags."""
from __future__ import annotations

import pytest

from services.portal.tests.support.events import TRAINER, registered
from services.portal.tests.support.harness import Clock
from services.portal.tests.support.sequence import ALICE, BOB, C50, CAROL, DAVE, ERIN, NOW, known_sequence
from tests.fixtures.queries import queries, recorded_statements


@pytest.fixture
def known(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())
    return portal


def by_user(clients: list[dict]) -> dict[int, dict]:
    return {client["userId"]: client for client in clients}


def test_clients_are_who_booked_joined_subscribed_or_registered_with_the_trainer_by_name(known):
    data = known.data("GET", "/trainer-portal/clients")

    assert [c["name"] for c in data["clients"]] == ["Alice", "Bob", "Carol", "Dave", "Erin"]
    assert data["pagination"] == {"page": 1, "limit": 20, "total": 5, "totalPages": 1}


def test_each_client_shows_counts_and_last_and_next_booking(known):
    clients = by_user(known.data("GET", "/trainer-portal/clients")["clients"])

    alice, bob, carol = clients[ALICE], clients[BOB], clients[CAROL]
    assert (alice["sessions"], alice["classes"], alice["programmes"]) == (2, 1, 0)
    assert (bob["sessions"], bob["classes"], bob["programmes"]) == (3, 1, 1)
    assert (carol["sessions"], carol["classes"], carol["programmes"]) == (2, 0, 1)
    assert alice["lastBooking"] == {"type": "class", "id": C50, "name": "Group HIIT", "date": "2026-03-04",
                                    "time": "18:00", "startsAt": "2026-03-04T09:00:00+00:00",
                                    "endsAt": "2026-03-04T09:45:00+00:00"}
    assert (alice["nextBooking"]["type"], alice["nextBooking"]["id"]) == ("session", 102)
    assert (bob["lastBooking"]["id"], bob["nextBooking"]["id"]) == (101, 103)
    assert carol["lastBooking"]["id"] == 107 and carol["nextBooking"] is None  # 104 was cancelled
    assert clients[ERIN]["lastBooking"] is None and clients[ERIN]["nextBooking"] is None
    assert alice["email"] == "alice@example.com" and alice["notes"] is None and alice["tags"] == []
    assert alice["clientSince"] == "2026-03-03T10:00:00+00:00"


def test_active_clients_booked_in_the_last_60_days_or_ahead(known):
    active = known.data("GET", "/trainer-portal/clients?status=active")["clients"]
    inactive = known.data("GET", "/trainer-portal/clients?status=inactive")["clients"]

    assert [c["userId"] for c in active] == [ALICE, BOB, CAROL]
    assert all(c["status"] == "active" for c in active)
    assert [c["userId"] for c in inactive] == [DAVE, ERIN]  # Dave's only subscription was cancelled


def test_a_client_becomes_inactive_sixty_days_after_their_last_booking(make_portal):
    clock = Clock(NOW)
    portal = make_portal(clock)
    portal.deliver(*known_sequence())

    clock.now = NOW.replace(month=8)  # 60 days after the last session (03-20) and programme (ends 05-26)

    assert portal.data("GET", "/trainer-portal/clients?status=active")["clients"] == []


def test_search_finds_clients_by_name_or_email_case_insensitively(known):
    assert [c["userId"] for c in known.data("GET", "/trainer-portal/clients?search=ALI")["clients"]] == [ALICE]
    assert [c["userId"] for c in known.data("GET", "/trainer-portal/clients?search=bob@")["clients"]] == [BOB]
    assert known.data("GET", "/trainer-portal/clients?search=%25")["clients"] == []  # % is a character


def test_pages_hold_limit_clients_each(known):
    second = known.data("GET", "/trainer-portal/clients?page=2&limit=2")

    assert [c["userId"] for c in second["clients"]] == [CAROL, DAVE]
    assert second["pagination"] == {"page": 2, "limit": 2, "total": 5, "totalPages": 3}


def test_a_page_of_clients_costs_four_queries_whatever_its_size(known):
    known.deliver(*[registered(100 + n, f"Zed {n}", f"z{n}@example.com", at=NOW, coach_id=TRAINER)
                    for n in range(30)])
    known.data("GET", "/trainer-portal/clients")

    with recorded_statements(known.container.db.engine) as statements:
        assert len(known.data("GET", "/trainer-portal/clients?limit=100")["clients"]) == 35

    assert len(queries(statements)) == 4


def test_notes_and_tags_are_saved_and_shown(known):
    client = known.data("PUT", f"/trainer-portal/clients/{BOB}",
                        json={"notes": "Knee injury in 2025", "tags": [" vip ", "Knee", "VIP"]})["client"]

    assert client["notes"] == "Knee injury in 2025" and client["tags"] == ["vip", "Knee"]
    assert client["sessions"] == 3  # the whole client, as the list shows it
    listed = by_user(known.data("GET", "/trainer-portal/clients")["clients"])[BOB]
    assert listed["notes"] == "Knee injury in 2025" and listed["tags"] == ["vip", "Knee"]


def test_sending_only_tags_keeps_the_notes_and_null_clears_them(known):
    known.data("PUT", f"/trainer-portal/clients/{BOB}", json={"notes": "Prefers mornings"})

    assert known.data("PUT", f"/trainer-portal/clients/{BOB}", json={"tags": ["am"]})["client"]["notes"] == \
        "Prefers mornings"
    assert known.data("PUT", f"/trainer-portal/clients/{BOB}", json={"notes": None})["client"]["notes"] is None


@pytest.mark.parametrize("body, field", [
    ({"tags": [f"t{n}" for n in range(21)]}, "tags"),
    ({"tags": ["x" * 31]}, "tags"),
    ({"tags": ["   "]}, "tags"),
    ({"notes": "x" * 5001}, "notes"),
    ({"notes": "ok", "status": "vip"}, "status"),
    ({"tags": "vip"}, "tags"),
])
def test_bad_notes_or_tags_are_refused_and_change_nothing(known, body, field):
    response = known.call("PUT", f"/trainer-portal/clients/{BOB}", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["fields"]
    assert by_user(known.data("GET", "/trainer-portal/clients")["clients"])[BOB]["tags"] == []


def test_a_user_who_is_not_the_trainers_client_is_not_found(known):
    trainer_6 = known.trainer_token(trainer_id=6)
    another_trainers = known.call("PUT", f"/trainer-portal/clients/{BOB}", json={"notes": "x"}, token=trainer_6)
    unknown = known.call("PUT", "/trainer-portal/clients/999", json={"notes": "x"}, token=trainer_6)

    assert another_trainers.status_code == 404 and another_trainers.get_json() == unknown.get_json()
    assert unknown.get_json()["error"]["code"] == "CLIENT_NOT_FOUND"
    assert known.call("PUT", f"/trainer-portal/clients/{DAVE}", json={"notes": "x"}, token=trainer_6).status_code \
        == 200  # Dave booked with trainer 6 as well
    assert by_user(known.data("GET", "/trainer-portal/clients")["clients"])[BOB]["notes"] is None


def test_another_tenants_trainer_with_the_same_id_sees_only_their_own_clients(known):
    theirs = known.data("GET", "/trainer-portal/clients", client_id=2,
                        token=known.trainer_token(client_id=2))["clients"]
    missing = known.call("PUT", f"/trainer-portal/clients/{BOB}", json={"notes": "x"}, client_id=2,
                         token=known.trainer_token(client_id=2))
    absent = known.call("PUT", "/trainer-portal/clients/999", json={"notes": "x"}, client_id=2,
                        token=known.trainer_token(client_id=2))

    assert [c["userId"] for c in theirs] == [ALICE]  # booking 301 of tenant 2, no name known there
    assert theirs[0]["name"] is None
    assert missing.status_code == 404 and missing.get_json() == absent.get_json()
