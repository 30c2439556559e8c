"""GET /trainers: the tenant's trainers, paginated, searchable, active ones unless asked."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import data, error


@pytest.fixture
def studio_with_user(studio):
    tenant = studio()
    return tenant, tenant.user()


def test_a_trainer_is_listed_with_exactly_the_profile_fields(studio_with_user, gateway):
    tenant, user = studio_with_user
    trainer_id = tenant.trainer("Coach Mike", bio="Ten years of strength work.", image="https://img.test/mike.png",
                                specialisations=["Strength", "HIIT"], timezone="Europe/London")
    listed = data(gateway.get("/trainers", headers=user))
    assert listed == {
        "trainers": [{"id": trainer_id, "name": "Coach Mike", "bio": "Ten years of strength work.",
                      "image": "https://img.test/mike.png", "specialisations": ["Strength", "HIIT"],
                      "timezone": "Europe/London", "active": True}],
        "pagination": {"page": 1, "limit": 20, "total": 1, "totalPages": 1},
    }


def test_trainers_are_ordered_by_name_then_id_and_paginated(studio_with_user, gateway):
    tenant, user = studio_with_user
    tenant.trainer("Zoe")
    first_adam = tenant.trainer("Adam")
    tenant.trainer("Mia")
    second_adam = tenant.trainer("Adam")
    page = data(gateway.get("/trainers?limit=2", headers=user))
    assert [(t["name"], t["id"]) for t in page["trainers"]] == [("Adam", first_adam), ("Adam", second_adam)]
    assert page["pagination"] == {"page": 1, "limit": 2, "total": 4, "totalPages": 2}
    page = data(gateway.get("/trainers?limit=2&page=2", headers=user))
    assert [t["name"] for t in page["trainers"]] == ["Mia", "Zoe"]


def test_a_page_past_the_end_is_empty_with_the_right_total(studio_with_user, gateway):
    tenant, user = studio_with_user
    tenant.trainer("Adam")
    page = data(gateway.get("/trainers?page=5", headers=user))
    assert page == {"trainers": [], "pagination": {"page": 5, "limit": 20, "total": 1, "totalPages": 1}}


def test_a_limit_above_100_is_clamped_and_a_limit_below_1_is_refused(studio_with_user, gateway):
    _, user = studio_with_user
    assert data(gateway.get("/trainers?limit=1000", headers=user))["pagination"]["limit"] == 100
    response = gateway.get("/trainers?limit=0", headers=user)
    assert response.status_code == 422
    assert "limit" in error(response)["details"]["fields"]


@pytest.mark.parametrize(("search", "expected"), [
    ("mike", ["Coach Mike"]), ("COACH", ["Coach Anna", "Coach Mike"]), ("yoga", ["Coach Anna"]),
    ("  hiit ", ["Coach Mike"]), ("100%", []), ("nobody", [])])
def test_search_is_case_insensitive_on_names_and_specialisations(studio_with_user, gateway, search, expected):
    tenant, user = studio_with_user
    tenant.trainer("Coach Mike", specialisations=["HIIT", "Strength"])
    tenant.trainer("Coach Anna", specialisations=["Yoga"])
    tenant.trainer("Sam", specialisations=["Running"])
    found = data(gateway.get("/trainers", query_string={"search": search}, headers=user))
    assert [t["name"] for t in found["trainers"]] == expected
    assert found["pagination"]["total"] == len(expected)


def test_inactive_trainers_are_hidden_unless_asked_for(studio_with_user, gateway):
    tenant, user = studio_with_user
    active, gone = tenant.trainer("Active Anna"), tenant.trainer("Gone Gary")
    tenant.deactivate_trainer(gone)
    assert [t["id"] for t in data(gateway.get("/trainers", headers=user))["trainers"]] == [active]
    inactive = data(gateway.get("/trainers?active=false", headers=user))["trainers"]
    assert [(t["id"], t["active"]) for t in inactive] == [(gone, False)]


def test_a_tenant_sees_only_its_own_trainers(studio, gateway):
    first, second = studio(), studio()
    first.trainer("First's trainer")
    theirs = second.trainer("Second's trainer")
    listed = data(gateway.get("/trainers", headers=second.user()))["trainers"]
    assert [t["id"] for t in listed] == [theirs]


def test_a_trainer_token_may_browse_too(studio, gateway):
    tenant = studio()
    _, trainer = tenant.signed_in_trainer("Coach Mike")
    assert data(gateway.get("/trainers", headers=trainer))["pagination"]["total"] == 1


def test_without_a_token_the_list_is_401(studio, gateway):
    tenant = studio()
    response = gateway.get("/trainers", headers=tenant.key)
    assert response.status_code == 401
    assert error(response)["code"] == "TOKEN_INVALID"


def test_a_token_of_another_tenant_is_403(studio, gateway):
    first, second = studio(), studio()
    response = gateway.get("/trainers", headers={**first.user(), "X-API-Key": second.api_key})
    assert response.status_code == 403
    assert error(response)["code"] == "TENANT_MISMATCH"
