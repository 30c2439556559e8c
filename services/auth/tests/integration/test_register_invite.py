"""Registration with an invite code: a use reserved through the catalog's internal API (a fake catalog here;
the real one in services/catalog/tests/integration/test_invite_uses.py)."""
from __future__ import annotations

import pytest
from flask import Flask, jsonify, request
from sqlalchemy import func, select
from stvos_auth import admin
from stvos_auth.adapters.orm import User
from stvos_auth.adapters.repository import Users
from stvos_auth.domain.errors import EmailTaken

from .conftest import PASSWORD

REASONS = {"OLD-ONE": "EXPIRED", "USED-UP": "EXHAUSTED"}
TRAINER = 7


class FakeCatalog:
    """The catalog's invite code endpoints as the contract describes them; records what it was asked."""

    def __init__(self) -> None:
        self.redeemed: list[dict] = []
        self.released: list[int] = []
        self.down = False
        self.app = Flask("fake-catalog")
        self.app.add_url_rule("/internal/invite-codes/redeem", view_func=self._redeem, methods=["POST"])
        self.app.add_url_rule("/internal/invite-codes/redemptions/<int:rid>/release", view_func=self._release,
                              methods=["POST"])

    def _redeem(self):
        if self.down:
            return jsonify({"success": False, "error": {"code": "SERVICE_UNAVAILABLE", "message": "down"}}), 503
        body = request.get_json()
        self.redeemed.append({**body, "clientId": request.headers.get("X-Client-Id")})
        if body["code"] != "COACH-MIKE":
            reason = REASONS.get(body["code"], "NOT_FOUND")
            return jsonify({"success": False, "error": {"code": "INVITE_INVALID", "message": "Not valid.",
                                                        "details": {"reason": reason}}}), 422
        redemption = {"id": 52, "code": body["code"], "trainerId": TRAINER}
        return jsonify({"success": True, "data": {"redemption": redemption}}), 201

    def _release(self, rid: int):
        self.released.append(rid)
        return "", 204


@pytest.fixture
def catalog(platform) -> FakeCatalog:
    fake = FakeCatalog()
    platform.inproc.register("catalog", fake.app)
    return fake


def count_users(auth) -> int:
    with auth.db.unit_of_work(write=False) as session:
        return session.execute(select(func.count()).select_from(User)).scalar_one()


def post(gateway, tenant, code, **extra):
    return gateway.post("/auth/register", headers=tenant.headers,
                        json={"email": "Jane@Example.com", "password": PASSWORD, "inviteCode": code, **extra})


def test_a_valid_code_is_redeemed_for_the_tenant_links_the_coach_and_is_announced(gateway, tenant, catalog, events):
    response = post(gateway, tenant, "COACH-MIKE")
    assert response.status_code == 201
    assert catalog.redeemed == [{"code": "COACH-MIKE", "email": "jane@example.com", "clientId": str(tenant.client_id)}]
    [event] = events("auth.user.registered")
    assert (event["invite"], event["coachId"], event["voucher"]) == (
        {"code": "COACH-MIKE", "redemptionId": 52}, TRAINER, None)
    assert catalog.released == []


def test_a_registration_without_a_code_asks_the_catalog_nothing(gateway, tenant, catalog, events):
    assert gateway.post("/auth/register", headers=tenant.headers,
                        json={"email": "jane@example.com", "password": PASSWORD}).status_code == 201
    assert catalog.redeemed == [] and events("auth.user.registered")[0]["invite"] is None


@pytest.mark.parametrize("code, reason", [("NOPE", "NOT_FOUND"), ("OLD-ONE", "EXPIRED"), ("USED-UP", "EXHAUSTED")])
def test_an_invalid_code_gets_422_and_creates_no_user(gateway, tenant, catalog, auth, code, reason):
    response = post(gateway, tenant, code)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert (error["code"], error["details"]) == ("INVITE_INVALID", {"reason": reason})
    assert count_users(auth) == 0


def test_a_coach_id_of_another_trainer_is_422_naming_invite_code_and_releases(gateway, tenant, catalog, auth,
                                                                              add_trainer):
    add_trainer(tenant.client_id, 8, "other@studio.test")
    response = post(gateway, tenant, "COACH-MIKE", coachId=8)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["details"]["fields"]) == ["inviteCode"]
    assert catalog.released == [52] and count_users(auth) == 0


def test_catalog_answering_503_gets_503_and_creates_no_user(gateway, tenant, catalog, auth):
    catalog.down = True
    response = post(gateway, tenant, "COACH-MIKE")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert count_users(auth) == 0


def test_catalog_not_reachable_gets_503_and_creates_no_user(tuned_gateway):
    gateway = tuned_gateway(catalog_url="http://127.0.0.1:9")  # nothing listens there
    auth = gateway.platform.containers["auth"]
    created = admin.create_client(auth, name="Studio")
    response = gateway.post("/auth/register", headers={"X-API-Key": created["apiKey"]},
                            json={"email": "jane@example.com", "password": PASSWORD, "inviteCode": "COACH-MIKE"})
    assert response.status_code == 503
    assert count_users(auth) == 0


def test_a_taken_email_is_refused_before_the_code_is_used(gateway, register, tenant, catalog):
    register(tenant, "jane@example.com")
    assert post(gateway, tenant, "COACH-MIKE").status_code == 409
    assert catalog.redeemed == []


def test_the_use_is_released_when_the_user_cannot_be_created(gateway, tenant, catalog, auth, monkeypatch):
    def insert_fails(*_args, **_kwargs):
        raise EmailTaken()  # what the repository answers when a concurrent registration took the email

    monkeypatch.setattr(Users, "add", insert_fails)
    response = post(gateway, tenant, "COACH-MIKE")
    assert response.status_code == 409
    assert catalog.released == [52]
    assert count_users(auth) == 0


def test_a_refused_voucher_gives_the_invite_use_back(gateway, tenant, catalog, platform, auth):
    partner = Flask("fake-partner")
    partner.add_url_rule("/internal/vouchers/redeem", view_func=lambda: (jsonify({"success": False, "error": {
        "code": "VOUCHER_INVALID", "message": "No.", "details": {"reason": "NOT_FOUND"}}}), 422), methods=["POST"])
    platform.inproc.register("partner", partner)
    response = post(gateway, tenant, "COACH-MIKE", voucherCode="NOPE")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "VOUCHER_INVALID"
    assert catalog.released == [52] and count_users(auth) == 0
