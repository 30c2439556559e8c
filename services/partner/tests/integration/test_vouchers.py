"""The partner admin API for vouchers, through the gateway."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from services.partner.tests.support import announce_registration


def _create(gateway, tenant, **body):
    response = gateway.post("/partner/vouchers", json=body, headers=tenant.admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["voucher"]


def test_an_admin_creates_a_voucher_with_a_code_limit_and_expiry(make_tenant, gateway):
    tenant = make_tenant()
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    voucher = _create(gateway, tenant, code="studio-abc123", maxRedemptions=5, expiresAt=expires.isoformat())
    assert voucher == {"id": voucher["id"], "code": "STUDIO-ABC123", "maxRedemptions": 5, "redemptions": 0,
                       "expiresAt": expires.isoformat()}


def test_a_voucher_without_a_code_gets_an_unambiguous_generated_one(make_tenant, gateway):
    tenant = make_tenant()
    codes = {_create(gateway, tenant)["code"] for _ in range(5)}
    assert len(codes) == 5
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code) for code in codes)


def test_a_code_taken_in_any_case_gets_409_but_other_tenants_may_use_it(make_tenant, gateway):
    first, second = make_tenant(), make_tenant()
    _create(gateway, first, code="SUMMER")
    again = gateway.post("/partner/vouchers", json={"code": "summer"}, headers=first.admin)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "VOUCHER_CODE_TAKEN"
    assert _create(gateway, second, code="Summer")["code"] == "SUMMER"


def test_bad_voucher_fields_are_422(make_tenant, gateway):
    tenant = make_tenant()
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    for body in ({"maxRedemptions": 0}, {"expiresAt": past}, {"code": "a b"}, {"code": "x"},
                 {"redemptions": 3}, {"expiresAt": "next week"}):
        response = gateway.post("/partner/vouchers", json=body, headers=tenant.admin)
        assert response.status_code == 422, body


def test_the_voucher_list_is_paged_newest_first_and_per_tenant(make_tenant, gateway):
    tenant, other = make_tenant(), make_tenant()
    for code in ("ONE", "TWO", "THREE"):
        _create(gateway, tenant, code=code)
    _create(gateway, other, code="ELSEWHERE")
    data = gateway.get("/partner/vouchers?limit=2", headers=tenant.staff).get_json()["data"]
    assert [v["code"] for v in data["vouchers"]] == ["THREE", "TWO"]
    assert data["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}


def test_staff_cannot_create_vouchers(make_tenant, gateway):
    tenant = make_tenant()
    response = gateway.post("/partner/vouchers", json={"code": "NOPE"}, headers=tenant.staff)
    assert response.status_code == 403
    assert gateway.get("/partner/vouchers", headers=tenant.admin).get_json()["data"]["vouchers"] == []


def test_the_redemptions_of_a_voucher_show_who_registered(make_tenant, gateway, partner):
    tenant = make_tenant()
    voucher = _create(gateway, tenant, code="WELCOME", maxRedemptions=10)
    kept = partner.redemptions.redeem(tenant.client_id, "welcome", "Jane@Example.com")["redemption"]
    partner.redemptions.redeem(tenant.client_id, "WELCOME", "joe@example.com")
    announce_registration(partner, tenant.client_id, 41, "WELCOME", kept["id"])
    response = gateway.get(f"/partner/vouchers/{voucher['id']}/redemptions", headers=tenant.staff)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [(r["email"], r["status"], r["userId"]) for r in data["redemptions"]] == [
        ("joe@example.com", "reserved", None), ("jane@example.com", "confirmed", 41)]
    assert data["pagination"]["total"] == 2
    listed = gateway.get("/partner/vouchers", headers=tenant.staff).get_json()["data"]["vouchers"]
    assert listed[0]["redemptions"] == 2


def test_another_tenants_voucher_redemptions_answer_like_a_missing_voucher(make_tenant, gateway):
    owner, other = make_tenant(), make_tenant()
    voucher = _create(gateway, owner, code="PRIVATE")
    foreign = gateway.get(f"/partner/vouchers/{voucher['id']}/redemptions", headers=other.admin)
    missing = gateway.get("/partner/vouchers/424242/redemptions", headers=other.admin)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
