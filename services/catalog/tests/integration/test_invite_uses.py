"""Invite code uses: a registration with inviteCode reserves one use in the catalog (POST
/internal/invite-codes/redeem from auth), confirmed by auth.user.registered, released when the user cannot be
created; the code's trainer becomes the user's coach."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from stvos_auth.adapters.orm import User
from stvos_auth.adapters.repository import Users
from stvos_auth.domain.errors import EmailTaken
from stvos_catalog.adapters.orm import InviteCode, InviteRedemption
from stvos_shared.events import Event
from werkzeug.test import Client

from services.catalog.tests.support import PASSWORD, at_once, bearer, data, error

RACERS = 6


@pytest.fixture
def coach(studio):
    tenant = studio()
    trainer_id, headers = tenant.signed_in_trainer("Coach Mike")
    return tenant, trainer_id, headers


def make_code(gateway, trainer, **body) -> dict:
    response = gateway.post("/trainer-portal/invite-codes", json=body, headers=trainer)
    assert response.status_code == 201, response.get_json()
    return data(response)["inviteCode"]


def listed(gateway, trainer) -> dict:
    """The trainer's one code as GET /trainer-portal/invite-codes shows it."""
    [item] = data(gateway.get("/trainer-portal/invite-codes", headers=trainer))["inviteCodes"]
    return item


def check(gateway, code: str) -> dict:
    return data(gateway.post("/invite/check", json={"code": code}))


def register(gateway, tenant, email: str, **extra):
    return gateway.post("/auth/register", headers=tenant.key, json={"email": email, "password": PASSWORD, **extra})


def users(platform, client_id: int) -> int:
    with platform.containers["auth"].db.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(User).where(User.client_id == client_id,
                                                                           User.role == "user"))


def redemptions(catalog) -> list[tuple[str, int | None]]:
    with catalog.db.unit_of_work(write=False) as session:
        rows = session.execute(select(InviteRedemption.status, InviteRedemption.user_id)
                               .order_by(InviteRedemption.id)).all()
    return [tuple(row) for row in rows]


def test_a_registration_with_a_code_counts_one_use_and_links_the_user_to_the_trainer(coach, gateway, catalog):
    tenant, trainer_id, trainer = coach
    make_code(gateway, trainer, code="ONLY-ONE", maxUses=1)
    response = register(gateway, tenant, "jane@example.com", inviteCode="only-one", name="Jane")
    assert response.status_code == 201, response.get_json()
    user = data(response)["user"]
    assert listed(gateway, trainer)["uses"] == 1
    assert check(gateway, "ONLY-ONE") == {"valid": False, "reason": "EXHAUSTED"}
    assert redemptions(catalog) == [("confirmed", user["id"])]  # auth.user.registered confirmed it
    me = data(gateway.get("/auth/me", headers={**tenant.key, **bearer(data(response)["accessToken"])}))
    assert me["user"]["coachId"] == trainer_id
    clients = data(gateway.get("/trainer-portal/clients", headers=trainer))["clients"]
    assert [client["userId"] for client in clients] == [user["id"]]
    again = register(gateway, tenant, "john@example.com", inviteCode="ONLY-ONE")
    assert again.status_code == 422
    assert (error(again)["code"], error(again)["details"]) == ("INVITE_INVALID", {"reason": "EXHAUSTED"})


def test_a_code_without_a_maximum_counts_every_use(coach, gateway):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="OPEN-DOOR")
    for number in range(3):
        assert register(gateway, tenant, f"u{number}@example.com", inviteCode="OPEN-DOOR").status_code == 201
    assert listed(gateway, trainer)["uses"] == 3


@pytest.mark.parametrize("case, reason", [("expired", "EXPIRED"), ("exhausted", "EXHAUSTED"), ("unknown", "NOT_FOUND"),
                                          ("malformed", "NOT_FOUND"), ("deactivated", "NOT_FOUND"),
                                          ("other-tenant", "NOT_FOUND"), ("inactive-trainer", "NOT_FOUND")])
def test_a_code_that_cannot_be_used_is_422_and_creates_nothing(coach, studio, gateway, catalog, platform, case,
                                                                reason):
    tenant, trainer_id, trainer = coach
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    created = make_code(gateway, trainer, code="THE-CODE", maxUses=5, expiresAt=soon)
    code = "THE-CODE"
    with catalog.db.unit_of_work() as session:
        if case == "exhausted":
            session.execute(update(InviteCode).values(uses=5))
        if case == "expired":
            session.execute(update(InviteCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    if case == "unknown":
        code = "NO-SUCH-CODE"
    if case == "malformed":
        code = "not a code!"
    if case == "deactivated":
        gateway.delete(f"/trainer-portal/invite-codes/{created['id']}", headers=trainer)
    if case == "inactive-trainer":
        tenant.deactivate_trainer(trainer_id)
    if case == "other-tenant":
        tenant = studio()
    before = listed(gateway, trainer)["uses"] if case != "inactive-trainer" else None
    response = register(gateway, tenant, "jane@example.com", inviteCode=code)
    assert response.status_code == 422, response.get_json()
    assert (error(response)["code"], error(response)["details"]) == ("INVITE_INVALID", {"reason": reason})
    assert users(platform, tenant.client_id) == 0
    assert redemptions(catalog) == []
    if before is not None:
        assert listed(gateway, trainer)["uses"] == before


def test_racing_registrations_for_the_last_use_get_exactly_one_201(coach, gateway, catalog, platform):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="LAST-ONE", maxUses=1)
    answers = at_once([lambda n=n: gateway.client.post(
        "/auth/register", headers=tenant.key,
        json={"email": f"racer{n}@example.com", "password": PASSWORD, "inviteCode": "LAST-ONE"}).status_code
        for n in range(RACERS)])
    platform.flush()
    assert sorted(answers) == [201] + [422] * (RACERS - 1)
    assert listed(gateway, trainer)["uses"] == 1
    assert users(platform, tenant.client_id) == 1
    assert [status for status, _ in redemptions(catalog)] == ["confirmed"]


def test_the_use_is_released_when_the_user_cannot_be_created(coach, gateway, catalog, platform, monkeypatch):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="ONLY-ONE", maxUses=1)

    def insert_fails(*_args, **_kwargs):
        raise EmailTaken()  # what the repository answers when a concurrent registration took the email

    monkeypatch.setattr(Users, "add", insert_fails)
    response = register(gateway, tenant, "jane@example.com", inviteCode="ONLY-ONE")
    assert response.status_code == 409
    assert listed(gateway, trainer)["uses"] == 0
    assert redemptions(catalog) == [("released", None)]
    monkeypatch.undo()
    assert register(gateway, tenant, "jane@example.com", inviteCode="ONLY-ONE").status_code == 201
    assert listed(gateway, trainer)["uses"] == 1


def test_a_coach_id_of_another_trainer_is_422_and_gives_the_use_back(coach, gateway, catalog, platform):
    tenant, trainer_id, trainer = coach
    other_id = tenant.trainer("Coach Other")
    make_code(gateway, trainer, code="MIKES", maxUses=1)
    response = register(gateway, tenant, "jane@example.com", inviteCode="MIKES", coachId=other_id)
    assert response.status_code == 422
    assert list(error(response)["details"]["fields"]) == ["inviteCode"]
    assert listed(gateway, trainer)["uses"] == 0 and users(platform, tenant.client_id) == 0
    same = register(gateway, tenant, "jane@example.com", inviteCode="MIKES", coachId=trainer_id)
    assert same.status_code == 201 and listed(gateway, trainer)["uses"] == 1


def test_confirming_twice_changes_nothing(coach, gateway, catalog, platform):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="TWICE", maxUses=2)
    assert register(gateway, tenant, "jane@example.com", inviteCode="TWICE").status_code == 201
    [payload] = [json.loads(row.payload) for row in _auth_outbox(platform) if row.type == "auth.user.registered"]
    assert payload["invite"] == {"code": "TWICE", "redemptionId": redemptions_ids(catalog)[0]}
    for _ in range(2):  # delivered again, each time under a new event id: the handler runs every time
        catalog.consumer.handle(Event(type="auth.user.registered", data=payload, client_id=tenant.client_id))
    assert listed(gateway, trainer)["uses"] == 1
    assert redemptions(catalog) == [("confirmed", payload["userId"])]


def test_release_is_idempotent_and_refused_once_confirmed(coach, gateway, catalog, platform):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="BACK-AGAIN", maxUses=1)
    internal = Client(platform.apps["catalog"])
    headers = {"X-Client-Id": str(tenant.client_id)}
    reserved = internal.post("/internal/invite-codes/redeem", json={"code": "back-again", "email": "j@example.com"},
                             headers=headers)
    assert reserved.status_code == 201
    redemption = data(reserved)["redemption"]
    assert redemption == {"id": redemption["id"], "code": "BACK-AGAIN", "trainerId": coach[1]}
    for _ in range(2):
        assert internal.post(f"/internal/invite-codes/redemptions/{redemption['id']}/release",
                             headers=headers).status_code == 204
    assert listed(gateway, trainer)["uses"] == 0
    other = {"X-Client-Id": str(tenant.client_id + 1000)}
    missing = internal.post(f"/internal/invite-codes/redemptions/{redemption['id']}/release", headers=other)
    assert (missing.status_code, error(missing)["code"]) == (404, "REDEMPTION_NOT_FOUND")
    assert register(gateway, tenant, "jane@example.com", inviteCode="BACK-AGAIN").status_code == 201
    [_, confirmed] = redemptions(catalog)
    assert confirmed[0] == "confirmed"
    with catalog.db.unit_of_work(write=False) as session:
        confirmed_id = session.scalar(select(func.max(InviteRedemption.id)))
    refused = internal.post(f"/internal/invite-codes/redemptions/{confirmed_id}/release", headers=headers)
    assert (refused.status_code, error(refused)["code"]) == (409, "REDEMPTION_CONFIRMED")
    assert internal.post("/internal/invite-codes/redeem", json={"code": "BACK-AGAIN", "email": "j@example.com"},
                         headers={}).status_code == 401


@pytest.mark.parametrize("body", [{}, {"code": "BAD-BODY"}, {"code": "BAD-BODY", "email": "not an email"},
                                  {"code": "", "email": "j@example.com"}, {"code": 7, "email": "j@example.com"}])
def test_a_malformed_redeem_is_422_in_the_envelope_and_takes_no_use(coach, gateway, catalog, platform, body):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="BAD-BODY", maxUses=1)
    response = Client(platform.apps["catalog"]).post("/internal/invite-codes/redeem", json=body,
                                                     headers={"X-Client-Id": str(tenant.client_id)})
    assert (response.status_code, error(response)["code"]) == (422, "VALIDATION_FAILED")
    assert listed(gateway, trainer)["uses"] == 0 and redemptions(catalog) == []


def test_an_abandoned_reservation_is_released_after_the_ttl(coach, gateway, catalog, platform):
    tenant, _, trainer = coach
    make_code(gateway, trainer, code="ABANDONED", maxUses=1)
    catalog.invite_redemptions.redeem(tenant.client_id, "ABANDONED", "ghost@example.com")  # auth died after this
    assert check(gateway, "ABANDONED") == {"valid": False, "reason": "EXHAUSTED"}
    later = datetime.now(UTC) + timedelta(hours=25)
    catalog.invite_redemptions.clock = catalog.invite_check.clock = lambda: later
    assert check(gateway, "ABANDONED")["valid"] is True
    assert register(gateway, tenant, "jane@example.com", inviteCode="ABANDONED").status_code == 201
    assert listed(gateway, trainer)["uses"] == 1
    assert [status for status, _ in redemptions(catalog)] == ["released", "confirmed"]


def _auth_outbox(platform):
    auth = platform.containers["auth"]
    table = auth.outbox.table
    with auth.db.unit_of_work(write=False) as session:
        return session.execute(select(table.c.type, table.c.payload).order_by(table.c.seq)).all()


def redemptions_ids(catalog) -> list[int]:
    with catalog.db.unit_of_work(write=False) as session:
        return list(session.scalars(select(InviteRedemption.id).order_by(InviteRedemption.id)))
