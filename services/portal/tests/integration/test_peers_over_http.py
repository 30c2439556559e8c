"""Catalog and booking over real HTTP: their answers (404 shapes included) as the brief's internal API gives them,
and a 503 within 2 s when one of them is silent or down, while clients and the dashboard still answer."""
from __future__ import annotations

import time

import pytest
from flask import Flask

from services.portal.tests.support.events import OTHER_TRAINER, TENANT, TRAINER
from services.portal.tests.support.harness import Clock, Doubles
from services.portal.tests.support.sequence import NOW, known_sequence
from services.portal.tests.support.servers import closed_port, serve, silent_port

pytestmark = pytest.mark.slow
SOON, LATER = "2026-03-04T13:00:00+00:00", "2026-03-04T14:00:00+00:00"


@pytest.fixture
def over_http(make_portal):
    """The portal calling catalog and booking doubles served on local ports."""
    doubles = Doubles()
    with serve(doubles.catalog.app) as catalog_url, serve(doubles.booking.app) as booking_url:
        yield make_portal(Clock(NOW), doubles, catalog_url=catalog_url, booking_url=booking_url)


def test_profile_and_launches_work_over_http_with_the_trainers_token(over_http):
    over_http.catalog.add_profile(TENANT, TRAINER)
    over_http.booking.add(TENANT, TRAINER, 17, SOON, LATER)
    over_http.catalog.add_class(TENANT, TRAINER, 9, SOON, LATER)

    assert over_http.data("GET", "/trainer-portal/profile")["profile"]["id"] == TRAINER
    assert over_http.data("PUT", "/trainer-portal/profile", json={"bio": "Hi"})["profile"]["bio"] == "Hi"
    assert over_http.data("POST", "/trainer-portal/bookings/17/launch")["room"] == f"c{TENANT}-booking-17"
    assert over_http.data("POST", "/trainer-portal/group-classes/9/launch")["room"] == f"c{TENANT}-class-9"
    assert over_http.catalog.calls[0][2]["Authorization"].startswith("Bearer ")


def test_the_owners_404s_become_the_portals(over_http):
    over_http.booking.add(TENANT, OTHER_TRAINER, 18, SOON, LATER)

    answers = {path: over_http.call(method, path) for method, path in (
        ("GET", "/trainer-portal/profile"), ("POST", "/trainer-portal/bookings/18/launch"),
        ("POST", "/trainer-portal/group-classes/9/launch"))}

    assert {path: (r.status_code, r.get_json()["error"]["code"]) for path, r in answers.items()} == {
        "/trainer-portal/profile": (404, "TRAINER_NOT_FOUND"),
        "/trainer-portal/bookings/18/launch": (404, "BOOKING_NOT_FOUND"),
        "/trainer-portal/group-classes/9/launch": (404, "CLASS_NOT_FOUND")}


def test_a_peer_without_the_route_is_503_not_a_404_of_ours(make_portal):
    with serve(Flask("no-routes")) as url:
        portal = make_portal(Clock(NOW), catalog_url=url)
        response = portal.call("GET", "/trainer-portal/profile")

    assert response.status_code == 503


CALLS = [("GET", "/trainer-portal/profile", None), ("PUT", "/trainer-portal/profile", {"bio": "x"}),
         ("POST", "/trainer-portal/bookings/17/launch", None), ("POST", "/trainer-portal/group-classes/9/launch", None)]


@pytest.mark.parametrize("where", ["silent", "closed"])
def test_with_the_owner_stopped_the_portal_answers_503_within_two_seconds(make_portal, where):
    with silent_port() as silent:
        url = silent if where == "silent" else closed_port()
        portal = make_portal(Clock(NOW), catalog_url=url, booking_url=url)
        portal.deliver(*known_sequence())
        for method, path, body in CALLS:
            started = time.monotonic()
            response = portal.call(method, path, json=body)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, path
            assert response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
            assert elapsed < 2.0, f"{path} took {elapsed:.2f} s"
        assert len(portal.data("GET", "/trainer-portal/clients")["clients"]) == 5
        assert portal.data("GET", "/trainer-portal/dashboard")["thisWeek"]["newClients"] == 2
