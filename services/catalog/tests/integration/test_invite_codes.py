"""Invite codes: the trainer makes them; POST /invite/check (public) says whose they are or why not."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from stvos_catalog.adapters.orm import InviteCode

from services.catalog.tests.support import at_once, data, error


@pytest.fixture
def coach(studio):
    tenant = studio()
    trainer_id, headers = tenant.signed_in_trainer("Coach Mike")
    return tenant, trainer_id, headers


def make_code(gateway, trainer, **body):
    response = gateway.post("/trainer-portal/invite-codes", json=body, headers=trainer)
    assert response.status_code == 201, response.get_json()
    return data(response)["inviteCode"]


def check(gateway, code: str, address: str = "203.0.113.7"):
    response = gateway.post("/invite/check", json={"code": code}, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200, response.get_json()
    return data(response)


def test_a_chosen_code_is_valid_for_anyone_without_a_key(coach, gateway):
    tenant, trainer_id, trainer = coach
    expires = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    created = make_code(gateway, trainer, code="coach-mike-2026", expiresAt=expires.isoformat(), maxUses=50)
    assert created == {"id": created["id"], "code": "COACH-MIKE-2026", "expiresAt": expires.isoformat(),
                       "maxUses": 50, "uses": 0, "active": True, "createdAt": created["createdAt"]}
    assert check(gateway, " Coach-Mike-2026 ") == {"valid": True, "trainer": {"id": trainer_id, "name": "Coach Mike"},
                                                    "clientId": tenant.client_id}


def test_a_generated_code_is_listed_and_valid(coach, gateway):
    _, trainer_id, trainer = coach
    created = make_code(gateway, trainer)
    assert created["code"] and created["maxUses"] is None and created["expiresAt"] is None
    assert data(gateway.get("/trainer-portal/invite-codes", headers=trainer))["inviteCodes"] == [created]
    assert check(gateway, created["code"].lower())["trainer"]["id"] == trainer_id


@pytest.mark.parametrize("code", ["NO-SUCH-CODE", "x", "not a code at all!"])
def test_an_unknown_or_malformed_code_is_not_found(gateway, code):
    assert check(gateway, code) == {"valid": False, "reason": "NOT_FOUND"}


def test_an_expired_code_says_so(coach, gateway, catalog):
    _, _, trainer = coach
    created = make_code(gateway, trainer, code="SUMMER", expiresAt=(datetime.now(UTC) + timedelta(days=1)).isoformat())
    catalog.invite_check.clock = lambda: datetime.now(UTC) + timedelta(days=2)
    assert check(gateway, created["code"]) == {"valid": False, "reason": "EXPIRED"}


def test_a_used_up_code_is_exhausted(coach, gateway, catalog):
    _, _, trainer = coach
    created = make_code(gateway, trainer, code="TEN-ONLY", maxUses=10)
    with catalog.db.unit_of_work() as session:  # uses are counted from registrations (see the README)
        session.execute(update(InviteCode).where(InviteCode.id == created["id"]).values(uses=10))
    assert check(gateway, "TEN-ONLY") == {"valid": False, "reason": "EXHAUSTED"}


def test_a_deactivated_code_or_trainer_answers_like_no_code(coach, gateway):
    tenant, trainer_id, trainer = coach
    first, second = make_code(gateway, trainer, code="FIRST"), make_code(gateway, trainer, code="SECOND")
    assert data(gateway.delete(f"/trainer-portal/invite-codes/{first['id']}", headers=trainer))["inviteCode"][
        "active"] is False
    assert check(gateway, "FIRST") == {"valid": False, "reason": "NOT_FOUND"}
    tenant.deactivate_trainer(trainer_id)
    assert check(gateway, second["code"]) == {"valid": False, "reason": "NOT_FOUND"}


def test_changing_a_code_changes_its_limits_only(coach, gateway):
    _, _, trainer = coach
    created = make_code(gateway, trainer, code="LIMITS")
    changed = data(gateway.put(f"/trainer-portal/invite-codes/{created['id']}", json={"maxUses": 3},
                               headers=trainer))["inviteCode"]
    assert changed == {**created, "maxUses": 3}
    refused = gateway.put(f"/trainer-portal/invite-codes/{created['id']}", json={"code": "OTHER"}, headers=trainer)
    assert refused.status_code == 422


def test_a_code_is_unique_across_tenants(studio, gateway):
    first, second = studio(), studio()
    make_code(gateway, first.signed_in_trainer()[1], code="WELCOME")
    taken = gateway.post("/trainer-portal/invite-codes", json={"code": "welcome"},
                         headers=second.signed_in_trainer()[1])
    assert taken.status_code == 409
    assert error(taken)["code"] == "INVITE_CODE_TAKEN"


def test_two_trainers_choosing_the_same_code_at_once_get_one_201_and_one_409(studio, gateway):
    tenant = studio()
    first, second = tenant.signed_in_trainer("A")[1], tenant.signed_in_trainer("B")[1]
    answers = at_once([lambda h=h: gateway.client.post("/trainer-portal/invite-codes", json={"code": "RACE"},
                                                       headers=h).status_code for h in (first, second)])
    assert sorted(answers) == [201, 409]


def test_checks_are_limited_per_address(gateway):
    answers = [gateway.post("/invite/check", json={"code": f"GUESS-{n}"}, environ_base={"REMOTE_ADDR": "198.51.100.9"})
               for n in range(21)]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429
    assert error(answers[20])["code"] == "RATE_LIMITED" and int(answers[20].headers["Retry-After"]) >= 1
    assert gateway.post("/invite/check", json={"code": "GUESS"},
                        environ_base={"REMOTE_ADDR": "198.51.100.10"}).status_code == 200


def test_a_check_without_a_code_is_422(gateway):
    response = gateway.post("/invite/check", json={})
    assert response.status_code == 422
    assert list(error(response)["details"]["fields"]) == ["code"]
