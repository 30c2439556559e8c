"""Every portal endpoint needs a trainer's token of the API key's tenant."""
from __future__ import annotations

import pytest

from services.portal.tests.support.events import TENANT

ENDPOINTS = [
    ("GET", "/trainer-portal/profile", None),
    ("PUT", "/trainer-portal/profile", {"bio": "x"}),
    ("GET", "/trainer-portal/clients", None),
    ("PUT", "/trainer-portal/clients/7", {"notes": "x"}),
    ("GET", "/trainer-portal/dashboard", None),
    ("POST", "/trainer-portal/bookings/1/launch", None),
    ("POST", "/trainer-portal/group-classes/1/launch", None),
]


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_a_users_token_is_403_trainer_role_required(portal, method, path, body):
    response = portal.call(method, path, json=body, token=portal.auth.token(7, TENANT))

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "TRAINER_ROLE_REQUIRED"


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_a_token_of_another_tenant_than_the_api_key_is_403(portal, method, path, body):
    response = portal.call(method, path, json=body, token=portal.trainer_token(client_id=2), client_id=TENANT)

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "TENANT_MISMATCH"


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_no_token_or_a_forged_one_is_401(portal, method, path, body):
    missing = portal.client.open(path, method=method, json=body, headers=portal.headers(None))
    forged = portal.call(method, path, json=body, token=portal.trainer_token()[:-4] + "AAAA")

    assert missing.status_code == forged.status_code == 401
    assert forged.get_json()["error"]["code"] == "TOKEN_INVALID"


def test_a_trainer_token_without_a_trainer_record_is_403(portal):
    token = portal.auth.token(7, TENANT, role="trainer")

    response = portal.call("GET", "/trainer-portal/dashboard", token=token)

    assert response.status_code == 403 and response.get_json()["error"]["code"] == "TRAINER_ROLE_REQUIRED"


def test_ids_beyond_32_bits_are_404_not_500(portal):
    for path in ("/trainer-portal/clients/2147483648", "/trainer-portal/bookings/99999999999/launch"):
        response = portal.call("PUT" if "clients" in path else "POST", path, json={"notes": "x"})
        assert response.status_code == 404, path


def test_list_arguments_are_validated(portal):
    assert portal.call("GET", "/trainer-portal/clients?status=gone").status_code == 422
    assert portal.call("GET", "/trainer-portal/clients?page=0").status_code == 422
    assert portal.data("GET", "/trainer-portal/clients?limit=1000")["pagination"]["limit"] == 100
