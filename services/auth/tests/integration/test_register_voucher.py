"""Registration with a voucher: redeemed through the partner service's internal API (a fake partner here)."""
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


class FakePartner:
    """The partner's voucher endpoints as the contract describes them; records what it was asked."""

    def __init__(self, down: bool = False) -> None:
        self.redeemed: list[dict] = []
        self.released: list[int] = []
        self.app = Flask("fake-partner")
        self.app.add_url_rule("/internal/vouchers/redeem", view_func=self._redeem, methods=["POST"])
        self.app.add_url_rule("/internal/vouchers/redemptions/<int:rid>/release", view_func=self._release,
                              methods=["POST"])
        self.down = down

    def _redeem(self):
        if self.down:
            return jsonify({"success": False, "error": {"code": "SERVICE_UNAVAILABLE", "message": "down"}}), 503
        body = request.get_json()
        self.redeemed.append({**body, "clientId": request.headers.get("X-Client-Id")})
        if body["code"] != "STUDIO-ABC123":
            reason = REASONS.get(body["code"], "NOT_FOUND")
            return jsonify({"success": False, "error": {"code": "VOUCHER_INVALID", "message": "Not valid.",
                                                        "details": {"reason": reason}}}), 422
        redemption = {"id": 41, "voucherId": 3, "code": body["code"], "partner": {"name": "Gym", "clientId": 1}}
        return jsonify({"success": True, "data": {"redemption": redemption}}), 201

    def _release(self, rid: int):
        self.released.append(rid)
        return "", 204


@pytest.fixture
def partner(platform) -> FakePartner:
    fake = FakePartner()
    platform.inproc.register("partner", fake.app)
    return fake


def count_users(auth) -> int:
    with auth.db.unit_of_work(write=False) as session:
        return session.execute(select(func.count()).select_from(User)).scalar_one()


def post(gateway, tenant, code):
    return gateway.post("/auth/register", headers=tenant.headers,
                        json={"email": "Jane@Example.com", "password": PASSWORD, "voucherCode": code})


def test_valid_voucher_is_redeemed_for_the_tenant_and_announced(gateway, tenant, partner, events):
    response = post(gateway, tenant, "STUDIO-ABC123")
    assert response.status_code == 201
    assert partner.redeemed == [{"code": "STUDIO-ABC123", "email": "jane@example.com",
                                 "clientId": str(tenant.client_id)}]
    [event] = events("auth.user.registered")
    assert event["voucher"] == {"code": "STUDIO-ABC123", "redemptionId": 41}
    assert partner.released == []


@pytest.mark.parametrize("code, reason", [("NOPE", "NOT_FOUND"), ("OLD-ONE", "EXPIRED"), ("USED-UP", "EXHAUSTED")])
def test_invalid_voucher_gets_422_and_creates_no_user(gateway, tenant, partner, auth, code, reason):
    response = post(gateway, tenant, code)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert (error["code"], error["details"]) == ("VOUCHER_INVALID", {"reason": reason})
    assert count_users(auth) == 0


def test_partner_answering_503_gets_503_and_creates_no_user(gateway, tenant, partner, auth):
    partner.down = True
    response = post(gateway, tenant, "STUDIO-ABC123")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert count_users(auth) == 0


def test_partner_not_reachable_gets_503_and_creates_no_user(tuned_gateway):
    gateway = tuned_gateway(partner_url="http://127.0.0.1:9")  # nothing listens there
    auth = gateway.platform.containers["auth"]
    created = admin.create_client(auth, name="Studio")
    response = gateway.post("/auth/register", headers={"X-API-Key": created["apiKey"]},
                            json={"email": "jane@example.com", "password": PASSWORD, "voucherCode": "STUDIO-ABC123"})
    assert response.status_code == 503
    assert count_users(auth) == 0


def test_taken_email_is_refused_before_the_voucher_is_spent(gateway, register, tenant, partner):
    register(tenant, "jane@example.com")
    assert post(gateway, tenant, "STUDIO-ABC123").status_code == 409
    assert partner.redeemed == []


def test_redemption_is_released_when_the_user_cannot_be_created(gateway, tenant, partner, auth, monkeypatch):
    def insert_fails(*_args, **_kwargs):
        raise EmailTaken()  # what the repository answers when a concurrent registration took the email

    monkeypatch.setattr(Users, "add", insert_fails)
    response = post(gateway, tenant, "STUDIO-ABC123")
    assert response.status_code == 409
    assert partner.released == [41]
    assert count_users(auth) == 0
