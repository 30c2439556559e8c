"""GET /trainer-portal/profile (catalog's profile + the portal's statistics) and PUT (forwarded to catalog)."""
from __future__ import annotations

import pytest

from services.portal.tests.support.events import TENANT, TRAINER
from services.portal.tests.support.harness import Clock
from services.portal.tests.support.sequence import GBP_MONTH, NOW, USD_MONTH, known_sequence
from tests.fixtures.queries import queries, recorded_statements


@pytest.fixture
def known(make_portal):
    portal = make_portal(Clock(NOW))
    portal.catalog.add_profile(TENANT, TRAINER, name="Coach Mike", timezone="Asia/Tokyo")
    portal.deliver(*known_sequence())
    return portal


def test_the_profile_is_catalogs_with_the_trainers_statistics(known):
    data = known.data("GET", "/trainer-portal/profile")

    assert data["profile"] == {"id": TRAINER, "name": "Coach Mike", "bio": None, "image": None,
                               "specialisations": ["strength"], "timezone": "Asia/Tokyo", "active": True}
    assert data["statistics"] == {
        "sessionsCompleted": 2, "sessionsUpcoming": 4, "activeClients": 3, "classesTaught": 2,
        "activeProgrammeSubscribers": 1,
        "revenueThisMonth": [{"amount": GBP_MONTH, "currency": "GBP"}, {"amount": USD_MONTH, "currency": "USD"}]}


def test_catalog_is_asked_with_the_trainers_own_token_and_tenant(known):
    token = known.trainer_token()
    known.data("GET", "/trainer-portal/profile", token=token)

    method, path, headers, _ = known.catalog.calls[-1]
    assert (method, path) == ("GET", "/internal/trainer-profile")
    assert headers["Authorization"] == f"Bearer {token}" and headers["X-Client-Id"] == str(TENANT)


def test_the_profile_costs_two_queries_besides_catalogs_answer(known):
    known.data("GET", "/trainer-portal/profile")

    with recorded_statements(known.container.db.engine) as statements:
        known.data("GET", "/trainer-portal/profile")

    assert len(queries(statements)) == 2


def test_a_trainer_catalog_does_not_know_yet_is_not_found(portal):
    response = portal.call("GET", "/trainer-portal/profile")

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "TRAINER_NOT_FOUND"


def test_an_update_sends_catalog_only_the_fields_given_and_shows_in_the_next_read(known):
    updated = known.data("PUT", "/trainer-portal/profile",
                         json={"name": "  Coach Michael ", "bio": None, "specialisations": ["yoga", "yoga ", "hiit"]})

    assert known.catalog.calls[-1][3] == {"name": "Coach Michael", "bio": None, "specialisations": ["yoga", "hiit"]}
    assert updated["profile"]["name"] == "Coach Michael"
    assert known.data("GET", "/trainer-portal/profile")["profile"]["specialisations"] == ["yoga", "hiit"]


@pytest.mark.parametrize("body, field", [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"name": "   "}, "name"),
    ({"image": "javascript:alert(1)"}, "image"),
    ({"specialisations": ["x" * 51]}, "specialisations"),
    ({"active": False}, "active"),
    ({"id": 99}, "id"),
])
def test_bad_profile_changes_are_refused_before_catalog_is_asked(known, body, field):
    calls = len(known.catalog.calls)
    response = known.call("PUT", "/trainer-portal/profile", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["fields"]
    assert len(known.catalog.calls) == calls


def test_catalogs_own_refusal_is_passed_on(known, monkeypatch):
    monkeypatch.setattr(known.catalog, "FIELDS", ("bio",))  # this catalog refuses to change names

    response = known.call("PUT", "/trainer-portal/profile", json={"name": "Coach M"})

    assert response.status_code == 422 and response.get_json()["error"]["code"] == "VALIDATION_FAILED"


def test_with_catalog_down_the_profile_is_503_but_clients_and_dashboard_answer(make_portal):
    known = make_portal(Clock(NOW), catalog_url="inproc://stopped")  # nothing answers at catalog's address
    known.deliver(*known_sequence())

    for method in ("GET", "PUT"):
        response = known.call(method, "/trainer-portal/profile", json={"bio": "x"} if method == "PUT" else None)
        assert response.status_code == 503
        assert response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert len(known.data("GET", "/trainer-portal/clients")["clients"]) == 5
    assert known.data("GET", "/trainer-portal/dashboard")["thisWeek"]["sessions"] == 4
