"""The portal in the whole embedded platform, through the gateway: clients made by real registrations,
isolation of roles and tenants; and, once catalog and booking serve their internal API, the profile and
launching video end to end (test_end_to_end.py)."""
from __future__ import annotations

import pytest

from services.portal.tests.support.studio import open_studio, register_user


@pytest.fixture
def studio(platform, gateway):
    return open_studio(platform, gateway)


def test_a_user_who_registers_with_the_trainer_as_coach_is_their_new_client(gateway, studio):
    register_user(gateway, studio, "ann@example.com", "Ann", coach_id=studio.trainer_id)
    register_user(gateway, studio, "ben@example.com", "Ben")  # no coach: nobody's client

    clients = gateway.get("/trainer-portal/clients", headers=studio.bearer()).get_json()["data"]["clients"]
    week = gateway.get("/trainer-portal/dashboard", headers=studio.bearer()).get_json()["data"]["thisWeek"]

    assert [(c["name"], c["email"], c["status"]) for c in clients] == [("Ann", "ann@example.com", "inactive")]
    assert week["newClients"] == 1


def test_a_users_token_is_refused_by_every_portal_endpoint(gateway, studio):
    user = register_user(gateway, studio, "ann@example.com", "Ann", coach_id=studio.trainer_id)
    headers = studio.bearer(user["accessToken"])

    answers = [gateway.get("/trainer-portal/clients", headers=headers),
               gateway.get("/trainer-portal/dashboard", headers=headers),
               gateway.get("/trainer-portal/profile", headers=headers),
               gateway.put(f"/trainer-portal/clients/{user['user']['id']}", json={"notes": "x"}, headers=headers),
               gateway.post("/trainer-portal/bookings/1/launch", headers=headers),
               gateway.post("/trainer-portal/group-classes/1/launch", headers=headers)]

    assert {(a.status_code, a.get_json()["error"]["code"]) for a in answers} == {(403, "TRAINER_ROLE_REQUIRED")}


def test_another_tenants_trainer_sees_none_of_this_trainers_clients(platform, gateway, studio):
    user = register_user(gateway, studio, "ann@example.com", "Ann", coach_id=studio.trainer_id)
    other = open_studio(platform, gateway, "Elsewhere")

    theirs = gateway.get("/trainer-portal/clients", headers=other.bearer()).get_json()["data"]["clients"]
    touched = gateway.put(f"/trainer-portal/clients/{user['user']['id']}", json={"notes": "x"},
                          headers=other.bearer())
    crossed = gateway.get("/trainer-portal/clients", headers={**other.key,
                                                              "Authorization": f"Bearer {studio.trainer_token}"})

    assert theirs == []
    assert touched.status_code == 404 and touched.get_json()["error"]["code"] == "CLIENT_NOT_FOUND"
    assert crossed.status_code == 403 and crossed.get_json()["error"]["code"] == "TENANT_MISMATCH"


def test_internal_routes_are_never_reachable_through_the_gateway(gateway, studio):
    assert gateway.get("/internal/trainer-profile", headers=studio.bearer()).status_code == 404
