"""Partner staff accounts and the overview figures, through the gateway."""
from __future__ import annotations

from stvos_shared.events import Event

from services.partner.tests.support import announce_registration


def test_an_admin_adds_a_staff_member_who_can_then_log_in(make_tenant, gateway, login):
    tenant = make_tenant()
    response = gateway.post("/partner/staff", json={"email": "New@Studio.test", "password": "a long password",
                                                    "name": "New Person", "role": "staff"}, headers=tenant.admin)
    assert response.status_code == 201
    created = response.get_json()["data"]["staff"]
    assert created == {"id": created["id"], "email": "new@studio.test", "name": "New Person", "role": "staff",
                       "clientId": tenant.client_id}
    assert login("new@studio.test", "a long password")["staff"] == created


def test_a_staff_email_is_unique_across_tenants(make_tenant, gateway):
    first, second = make_tenant(), make_tenant()
    response = gateway.post("/partner/staff", json={"email": first.admin_email, "password": "a long password",
                                                    "role": "admin"}, headers=second.admin)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "EMAIL_TAKEN"


def test_bad_staff_bodies_are_422(make_tenant, gateway):
    tenant = make_tenant()
    for body in ({"email": "x@studio.test", "password": "short", "role": "staff"},
                 {"email": "x@studio.test", "password": "a long password", "role": "owner"},
                 {"email": "not an email", "password": "a long password", "role": "staff"},
                 {"email": "x@studio.test", "password": "a long password", "role": "staff", "clientId": 2},
                 {"email": "x@studio.test", "password": "p" * 129, "role": "staff"}):
        assert gateway.post("/partner/staff", json=body, headers=tenant.admin).status_code == 422, body


def test_staff_can_list_the_team_but_not_add_to_it(make_tenant, gateway):
    tenant, other = make_tenant(), make_tenant()
    listed = gateway.get("/partner/staff", headers=tenant.staff)
    assert listed.status_code == 200
    data = listed.get_json()["data"]
    assert [(s["email"], s["role"]) for s in data["staff"]] == [
        (f"admin{tenant.client_id}@partner.test", "admin"), (f"staff{tenant.client_id}@partner.test", "staff")]
    assert data["pagination"]["total"] == 2
    refused = gateway.post("/partner/staff", json={"email": "x@studio.test", "password": "a long password",
                                                   "role": "admin"}, headers=tenant.staff)
    assert refused.status_code == 403
    assert other.admin_email not in {s["email"] for s in data["staff"]}


def test_the_overview_counts_voucher_users_trainers_and_trainer_accounts(make_tenant, gateway, partner):
    tenant, other = make_tenant(), make_tenant()
    for number in range(3):
        gateway.post("/partner/trainers", json={"name": f"T{number}", "email": f"t{number}@studio.test"},
                     headers=tenant.admin)
    trainers = gateway.get("/partner/trainers", headers=tenant.admin).get_json()["data"]["trainers"]
    gateway.post(f"/partner/trainers/{trainers[0]['id']}/deactivate", headers=tenant.admin)
    partner.vouchers.create(tenant.client_id, "JOIN", None, None)
    for user_id in (10, 11):
        redemption = partner.redemptions.redeem(tenant.client_id, "JOIN", f"u{user_id}@x.io")["redemption"]
        announce_registration(partner, tenant.client_id, user_id, "JOIN", redemption["id"])
    partner.redemptions.redeem(tenant.client_id, "JOIN", "pending@x.io")  # reserved, not yet registered
    announce_registration(partner, tenant.client_id, 12, None, None)  # registered without a voucher
    partner.consumer.handle(Event(type="auth.trainer_account.registered", client_id=tenant.client_id,
                                  data={"userId": 20, "trainerId": trainers[1]["id"], "email": "t1@studio.test",
                                        "claimedFrom": "10.0.0.5"}))
    response = gateway.get("/partner/overview", headers=tenant.staff)
    assert response.status_code == 200
    assert response.get_json()["data"] == {"usersRegisteredWithVouchers": 2, "trainers": 3, "activeTrainers": 2,
                                           "registeredTrainerAccounts": 1}
    assert gateway.get("/partner/overview", headers=other.admin).get_json()["data"] == {
        "usersRegisteredWithVouchers": 0, "trainers": 0, "activeTrainers": 0, "registeredTrainerAccounts": 0}
