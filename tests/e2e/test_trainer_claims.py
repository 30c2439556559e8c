"""Who may claim a trainer's account: the spec's open flow, or a one-time invitation code the tenant's admin
requires; the admin sees when and from where an account was claimed, and can reset it."""
from __future__ import annotations

import pytest
from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin

ADMIN = {"email": "admin@north.example", "password": "admin-password-1"}
MIKE = {"name": "Coach Mike", "email": "mike@north.example"}
PASSWORD = "trainer-password-1"


@pytest.fixture
def tenant(platform, gateway):
    created = auth_admin.create_client(platform.containers["auth"], name="Studio North")
    platform.flush()
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=created["clientId"], **ADMIN)
    token = gateway.post("/partner-auth/login", json=ADMIN).get_json()["data"]["accessToken"]
    return {"key": {"X-API-Key": created["apiKey"]}, "admin": {"Authorization": f"Bearer {token}"}}


def create_trainer(gateway, tenant) -> dict:
    response = gateway.post("/partner/trainers", json=MIKE, headers=tenant["admin"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def claim(gateway, tenant, address="203.0.113.7", **extra):
    return gateway.post("/trainer-auth/register", json={"email": MIKE["email"], "password": PASSWORD, **extra},
                        headers=tenant["key"], environ_overrides={"REMOTE_ADDR": address})


def require_invitations(gateway, tenant) -> None:
    response = gateway.put("/partner/settings", json={"trainerRegistration": "invitation"}, headers=tenant["admin"])
    assert response.get_json()["data"] == {"settings": {"trainerRegistration": "invitation"}}


def test_the_open_flow_of_the_spec_still_works_without_a_code(gateway, tenant):
    created = create_trainer(gateway, tenant)
    assert set(created["invitation"]) == {"code", "expiresAt"}
    assert claim(gateway, tenant).status_code == 201


def test_where_the_tenant_requires_it_a_claim_needs_the_invitation_code(gateway, tenant):
    require_invitations(gateway, tenant)
    code = create_trainer(gateway, tenant)["invitation"]["code"]
    for wrong in ({}, {"invitationCode": "AAAA-BBBB-CCCC-DDDD"}):
        refused = claim(gateway, tenant, **wrong)
        assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "INVITATION_INVALID")
    assert claim(gateway, tenant, invitationCode=code.lower()).status_code == 201
    assert claim(gateway, tenant, invitationCode=code).status_code == 409  # used up: the account exists


def test_a_reissued_invitation_replaces_the_old_code(gateway, tenant):
    require_invitations(gateway, tenant)
    created = create_trainer(gateway, tenant)
    reissued = gateway.post(f"/partner/trainers/{created['trainer']['id']}/invitation", headers=tenant["admin"])
    assert reissued.status_code == 201
    old, new = created["invitation"]["code"], reissued.get_json()["data"]["invitation"]["code"]
    assert claim(gateway, tenant, invitationCode=old).status_code == 403
    assert claim(gateway, tenant, invitationCode=new).status_code == 201


def test_an_expired_invitation_is_refused(gateway, tenant, platform):
    require_invitations(gateway, tenant)
    code = create_trainer(gateway, tenant)["invitation"]["code"]
    auth = platform.containers["auth"]
    with auth.uow() as repos:
        record = repos.trainers.by_email(MIKE["email"], None)[0]
        record.invitation_expires_at = record.invitation_issued_at
    assert claim(gateway, tenant, invitationCode=code).status_code == 403


def test_the_admin_sees_when_and_from_where_the_account_was_claimed(gateway, tenant):
    trainer_id = create_trainer(gateway, tenant)["trainer"]["id"]
    assert gateway.get(f"/partner/trainers/{trainer_id}", headers=tenant["admin"]).get_json()["data"][
        "trainer"]["account"] is None
    user_id = claim(gateway, tenant, address="198.51.100.4").get_json()["data"]["user"]["id"]
    account = gateway.get(f"/partner/trainers/{trainer_id}", headers=tenant["admin"]).get_json()["data"][
        "trainer"]["account"]
    assert (account["userId"], account["claimedFrom"]) == (user_id, "198.51.100.4")
    assert account["claimedAt"]


def test_a_reset_ends_every_session_and_lets_the_record_be_claimed_again(gateway, tenant):
    require_invitations(gateway, tenant)
    created = create_trainer(gateway, tenant)
    trainer_id = created["trainer"]["id"]
    hijacked = claim(gateway, tenant, invitationCode=created["invitation"]["code"]).get_json()["data"]
    reset = gateway.post(f"/partner/trainers/{trainer_id}/reset-account", headers=tenant["admin"])
    assert reset.status_code == 200
    assert reset.get_json()["data"]["trainer"]["account"] is None
    me = gateway.get("/auth/me", headers={**tenant["key"], "Authorization": f"Bearer {hijacked['accessToken']}"})
    assert me.status_code == 401
    assert gateway.post("/auth/refresh", json={"refreshToken": hijacked["refreshToken"]},
                        headers=tenant["key"]).status_code == 401
    assert claim(gateway, tenant, invitationCode=created["invitation"]["code"]).status_code == 403
    fresh = gateway.post(f"/partner/trainers/{trainer_id}/invitation", headers=tenant["admin"]).get_json()["data"]
    assert claim(gateway, tenant, invitationCode=fresh["invitation"]["code"]).status_code == 201


def test_resetting_a_trainer_without_an_account_is_404_and_staff_cannot_reset(gateway, tenant, platform):
    trainer_id = create_trainer(gateway, tenant)["trainer"]["id"]
    missing = gateway.post(f"/partner/trainers/{trainer_id}/reset-account", headers=tenant["admin"])
    assert (missing.status_code, missing.get_json()["error"]["code"]) == (404, "TRAINER_ACCOUNT_NOT_FOUND")
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=1, email="staff@north.example",
                                       password="staff-password-1", role="staff")
    staff = gateway.post("/partner-auth/login", json={"email": "staff@north.example", "password": "staff-password-1"})
    headers = {"Authorization": f"Bearer {staff.get_json()['data']['accessToken']}"}
    assert gateway.post(f"/partner/trainers/{trainer_id}/reset-account", headers=headers).status_code == 403
    assert gateway.put("/partner/settings", json={"trainerRegistration": "invitation"},
                       headers=headers).status_code == 403
