"""Voucher validation (/auth/voucher/validate) and the internal redemption API the identity service calls."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from stvos_partner.adapters.orm import Redemption, Voucher
from stvos_partner.admin import create_partner_staff

from services.partner.tests.support import PASSWORD, announce_client, announce_registration


@pytest.fixture
def app(platform, partner):
    """The partner app called directly, as the gateway (X-Client-Id) or auth (internal) would."""
    for client_id, name in ((1, "Studio One"), (2, "Studio Two")):
        announce_client(partner, client_id, name)
        create_partner_staff(partner, client_id, f"admin{client_id}@studio.test", PASSWORD,
                             partner_name=f"Partner {name}")
    return platform.apps["partner"].test_client()


def _voucher(partner, client_id=1, code="WELCOME", max_redemptions=None, expires_at=None):
    return partner.vouchers.create(client_id, code, max_redemptions, expires_at)["voucher"]


def _validate(app, code, client_id=1):
    return app.post("/auth/voucher/validate", json={"code": code}, headers={"X-Client-Id": str(client_id)})


def _redeem(app, code, client_id=1, email="jane@example.com"):
    return app.post("/internal/vouchers/redeem", json={"code": code, "email": email},
                    headers={"X-Client-Id": str(client_id)})


def test_a_good_code_is_valid_and_names_its_partner(app, partner):
    _voucher(partner)
    response = _validate(app, "welcome")
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "data": {
        "valid": True, "partner": {"name": "Partner Studio One", "clientId": 1}}}


def test_unknown_expired_and_exhausted_codes_are_invalid_with_a_reason(app, partner):
    _voucher(partner, code="OLD")
    with partner.db.unit_of_work() as session:
        session.execute(update(Voucher).where(Voucher.code == "OLD")
                        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    _voucher(partner, code="ONCE", max_redemptions=1)
    assert _redeem(app, "ONCE").status_code == 201
    for code, reason in (("NOPE", "NOT_FOUND"), ("OLD", "EXPIRED"), ("ONCE", "EXHAUSTED")):
        response = _validate(app, code)
        assert response.status_code == 200
        assert response.get_json()["data"] == {"valid": False, "reason": reason}


def test_a_code_that_could_never_exist_is_simply_not_found(app, partner):
    for code in ("x" * 150, "two words", "ÜBER"):
        assert _validate(app, code).get_json()["data"] == {"valid": False, "reason": "NOT_FOUND"}


def test_a_code_of_another_tenant_is_not_found(app, partner):
    _voucher(partner, client_id=2, code="THEIRS")
    assert _validate(app, "THEIRS", client_id=1).get_json()["data"] == {"valid": False, "reason": "NOT_FOUND"}
    assert _redeem(app, "THEIRS", client_id=1).get_json()["error"]["details"] == {"reason": "NOT_FOUND"}


def test_a_malformed_validation_body_is_422_and_non_json_400(app):
    headers = {"X-Client-Id": "1"}
    assert app.post("/auth/voucher/validate", json={}, headers=headers).status_code == 422
    assert app.post("/auth/voucher/validate", json={"code": "A", "extra": 1}, headers=headers).status_code == 422
    assert app.post("/auth/voucher/validate", json={"code": 12}, headers=headers).status_code == 422
    response = app.post("/auth/voucher/validate", data="[", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400


def test_validation_without_the_gateways_tenant_is_401(app, partner):
    _voucher(partner)
    response = app.post("/auth/voucher/validate", json={"code": "WELCOME"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "API_KEY_INVALID"


def test_validation_through_the_gateway_without_an_api_key_is_refused(gateway):
    assert gateway.post("/auth/voucher/validate", json={"code": "WELCOME"}).status_code == 401


def test_redeeming_reserves_a_redemption_at_once(app, partner):
    voucher = _voucher(partner, max_redemptions=2)
    response = _redeem(app, "welcome")
    assert response.status_code == 201
    redemption = response.get_json()["data"]["redemption"]
    assert redemption == {"id": redemption["id"], "voucherId": voucher["id"], "code": "WELCOME",
                          "partner": {"name": "Partner Studio One", "clientId": 1}}
    with partner.db.unit_of_work(write=False) as session:
        assert session.scalar(select(Voucher.redemptions).where(Voucher.id == voucher["id"])) == 1


def test_redeeming_past_the_limit_or_expiry_is_422_voucher_invalid(app, partner):
    _voucher(partner, code="ONCE", max_redemptions=1)
    _voucher(partner, code="SOON", expires_at=datetime.now(UTC) + timedelta(seconds=60))
    with partner.db.unit_of_work() as session:
        session.execute(update(Voucher).where(Voucher.code == "SOON")
                        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    _redeem(app, "ONCE")
    for code, reason in (("ONCE", "EXHAUSTED"), ("SOON", "EXPIRED"), ("MISSING", "NOT_FOUND")):
        response = _redeem(app, code)
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "VOUCHER_INVALID"
        assert response.get_json()["error"]["details"] == {"reason": reason}


def test_a_released_redemption_frees_its_place_and_releasing_again_is_harmless(app, partner):
    _voucher(partner, code="ONCE", max_redemptions=1)
    redemption = _redeem(app, "ONCE").get_json()["data"]["redemption"]
    for _ in range(2):
        response = app.post(f"/internal/vouchers/redemptions/{redemption['id']}/release",
                            headers={"X-Client-Id": "1"})
        assert response.status_code == 204
    assert _validate(app, "ONCE").get_json()["data"]["valid"] is True
    assert _redeem(app, "ONCE").status_code == 201


def test_a_reservation_abandoned_for_a_day_gives_its_place_back(app, partner):
    _voucher(partner, code="ONCE", max_redemptions=1)
    abandoned = _redeem(app, "ONCE").get_json()["data"]["redemption"]
    assert _redeem(app, "ONCE", email="next@example.com").status_code == 422
    with partner.db.unit_of_work() as session:
        session.execute(update(Redemption).where(Redemption.id == abandoned["id"])
                        .values(created_at=datetime.now(UTC) - timedelta(hours=25)))
    assert _redeem(app, "ONCE", email="next@example.com").status_code == 201
    with partner.db.unit_of_work(write=False) as session:
        assert session.scalar(select(Redemption.status).where(Redemption.id == abandoned["id"])) == "released"
        assert session.scalar(select(Voucher.redemptions).where(Voucher.code == "ONCE")) == 1


def test_validation_counts_a_reservation_abandoned_for_a_day_as_free_without_releasing_it(app, partner):
    _voucher(partner, code="ONCE", max_redemptions=1)
    abandoned = _redeem(app, "ONCE").get_json()["data"]["redemption"]
    assert _validate(app, "ONCE").get_json()["data"] == {"valid": False, "reason": "EXHAUSTED"}
    with partner.db.unit_of_work() as session:
        session.execute(update(Redemption).where(Redemption.id == abandoned["id"])
                        .values(created_at=datetime.now(UTC) - timedelta(hours=25)))
    assert _validate(app, "ONCE").get_json()["data"]["valid"] is True
    with partner.db.unit_of_work(write=False) as session:
        assert session.scalar(select(Redemption.status).where(Redemption.id == abandoned["id"])) == "reserved"
        assert session.scalar(select(Voucher.redemptions).where(Voucher.code == "ONCE")) == 1


def test_another_tenant_cannot_release_a_redemption(app, partner):
    _voucher(partner, code="ONCE", max_redemptions=1)
    redemption = _redeem(app, "ONCE").get_json()["data"]["redemption"]
    response = app.post(f"/internal/vouchers/redemptions/{redemption['id']}/release", headers={"X-Client-Id": "2"})
    assert response.status_code == 404
    assert _validate(app, "ONCE").get_json()["data"] == {"valid": False, "reason": "EXHAUSTED"}


def test_a_registration_confirms_the_redemption_and_announces_it(app, partner, outbox_events):
    voucher = _voucher(partner, max_redemptions=5)
    redemption = _redeem(app, "WELCOME").get_json()["data"]["redemption"]
    for _ in range(2):  # a redelivered event changes nothing
        announce_registration(partner, 1, 77, "WELCOME", redemption["id"])
    with partner.db.unit_of_work(write=False) as session:
        row = session.get(Redemption, redemption["id"])
        assert (row.status, row.user_id) == ("confirmed", 77)
    assert outbox_events("partner.voucher.redeemed") == [{"clientId": 1, "voucherId": voucher["id"],
                                                          "code": "WELCOME", "redemptionId": redemption["id"],
                                                          "userId": 77}]
    release = app.post(f"/internal/vouchers/redemptions/{redemption['id']}/release", headers={"X-Client-Id": "1"})
    assert release.status_code == 409


def test_a_registration_event_of_another_tenant_does_not_confirm(app, partner):
    _voucher(partner)
    redemption = _redeem(app, "WELCOME").get_json()["data"]["redemption"]
    announce_registration(partner, 2, 77, "WELCOME", redemption["id"])
    with partner.db.unit_of_work(write=False) as session:
        assert session.get(Redemption, redemption["id"]).status == "reserved"


def test_the_internal_api_is_not_reachable_through_the_gateway(gateway):
    assert gateway.post("/internal/vouchers/redeem", json={"code": "X", "email": "a@b.co"}).status_code == 404
