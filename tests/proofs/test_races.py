"""Races through nginx on the production stack (gunicorn workers, PostgreSQL, RabbitMQ): the database decides.

50 concurrent bookings of one slot -> exactly one 201; 100 concurrent joins of a class of 10 -> exactly 10;
20 concurrent refreshes of one refresh token -> no 5xx and exactly one live member of the family; a voucher with
one use left and 20 concurrent registrations -> exactly one user has it; so has an invite code with one use.
Every loser gets a clean 4xx with its stable code, and every event the races caused is consumed once by every
subscriber (the `on_stack` teardown).
"""
from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
from sqlalchemy import select

from tests.fixtures.figures import count
from tests.proofs.flow_steps import (
    PASSWORD,
    Answer,
    StackHttp,
    Studio,
    by_id,
    open_studio,
    register_user,
    set_up_business,
    slots,
)
from tests.proofs.topologies import on_stack, stack_database, stack_topology  # noqa: F401  (on_stack: a fixture)

pytestmark = pytest.mark.slow
USERS = 100


Request = tuple[str, str, Any, dict[str, str]]  # method, path, body, headers


def race(http: StackHttp, name: str, requests: list[Request]) -> tuple[Counter, list[Answer]]:
    """Send every request at once (threads released together by a barrier, the gateway's bucket full): the
    (status, code) counts and the answers in order. No answer may be a 5xx."""
    start = threading.Barrier(len(requests))
    http.burst_ready(len(requests))

    def run(request: Request) -> Answer:
        start.wait()
        return http.request(*request, paced=False)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        answers = list(pool.map(run, requests))
    outcome = Counter((answer.status, answer.code) for answer in answers)
    count(f"race requests: {name}", len(requests))
    for (status, code), n in outcome.items():
        count(f"race answers: {name}: {status}{' ' + code if code else ''}", n)
    assert not [status for status, _ in outcome if status >= 500], f"{name}: {outcome}"
    return outcome, answers


@pytest.fixture(scope="module")
def arena(production_stack) -> dict[str, Any]:
    """A studio on the stack with a service, hours, a class of 10 and a programme, and 100 registered users."""
    t = stack_topology(production_stack)
    studio = open_studio(t, "Race Studio")
    set_up_business(t, studio, capacity=10)
    with ThreadPoolExecutor(max_workers=8) as pool:
        users = list(pool.map(lambda n: register_user(t, studio, f"Racer{n}"), range(USERS)))
    return {"studio": studio, "users": users}


def test_fifty_concurrent_bookings_of_one_slot_make_exactly_one_booking(on_stack, arena):  # noqa: F811
    studio: Studio = arena["studio"]
    users = arena["users"][:50]
    slot = slots(on_stack, studio, users[0])[0]
    path, body = f"/trainers/{studio.trainer_id}/book", {"serviceId": studio.service["id"], "slotId": slot["id"]}

    outcome, _ = race(on_stack.http, "book one slot", [("POST", path, body, user["headers"]) for user in users])

    assert outcome == Counter({(201, None): 1, (409, "SLOT_TAKEN"): 49})
    bookings = on_stack.call("GET", "/trainer-portal/bookings", None, studio.trainer)["bookings"]
    assert [(b["startsAt"], b["status"]) for b in bookings] == [(slot["startsAt"], "confirmed")]
    assert by_id(slots(on_stack, studio, users[0]), slot["id"]) is None


def test_a_hundred_concurrent_joins_of_a_class_of_ten_seat_exactly_ten(on_stack, arena):  # noqa: F811
    studio: Studio = arena["studio"]
    users, class_id = arena["users"], studio.group_class["id"]
    path = f"/trainers/classes/{class_id}/join"

    outcome, answers = race(on_stack.http, "join a class of 10",
                            [("POST", path, {"paymentAmount": 15}, user["headers"]) for user in users])

    assert outcome == Counter({(201, None): 10, (409, "CLASS_FULL"): 90})
    roster = on_stack.call("GET", f"/trainer-portal/group-classes/{class_id}/roster", None, studio.trainer)
    seated = {user["id"] for user, answer in zip(users, answers, strict=True) if answer.status == 201}
    assert sorted(p["user"]["id"] for p in roster["participants"]) == sorted(seated)
    assert (roster["groupClass"]["participants"], roster["groupClass"]["spotsLeft"]) == (10, 0)
    on_stack.read(f"/trainer-portal/group-classes/{class_id}", studio.trainer,
                  lambda data: (data["groupClass"]["participants"], data["groupClass"]["spotsLeft"]) == (10, 0))


def test_twenty_concurrent_refreshes_of_one_token_leave_exactly_one_live_member(on_stack, arena,  # noqa: F811
                                                                                  production_stack):
    studio: Studio = arena["studio"]
    user = arena["users"][-1]
    login = on_stack.call("POST", "/auth/login", {"email": user["email"], "password": PASSWORD}, studio.tenant.key)
    body = {"refreshToken": login["refreshToken"]}

    outcome, answers = race(on_stack.http, "refresh one token",
                            [("POST", "/auth/refresh", body, studio.tenant.key)] * 20)

    successors = {jwt.decode(a.body["data"]["refreshToken"], options={"verify_signature": False})["jti"]
                  for a in answers if a.status == 200}
    live = live_members(production_stack, login["refreshToken"])
    assert outcome[(200, None)] >= 1 and set(outcome) <= {(200, None), (401, "TOKEN_INVALID")}, outcome
    assert len(live) == 1 and successors == set(live), (outcome, successors, live)


def live_members(stack: dict[str, Any], refresh_token: str) -> list[str]:
    """The unused tokens of the (unrevoked) family `refresh_token` belongs to, from auth's database."""
    from stvos_runner.services import metadata

    jti = jwt.decode(refresh_token, options={"verify_signature": False})["jti"]
    tokens, families = metadata("auth").tables["refresh_tokens"], metadata("auth").tables["refresh_families"]
    engine = stack_database(stack, "auth")
    try:
        with engine.connect() as connection:
            family = connection.execute(select(tokens.c.family_id).where(tokens.c.jti == jti)).scalar_one()
            query = (select(tokens.c.jti).join(families, families.c.id == tokens.c.family_id)
                     .where(tokens.c.family_id == family, tokens.c.used_at.is_(None), families.c.revoked_at.is_(None)))
            return list(connection.execute(query).scalars())
    finally:
        engine.dispose()


def test_a_voucher_with_one_use_left_and_twenty_concurrent_registrations_has_exactly_one_new_user(on_stack,  # noqa: F811
                                                                                                  arena):
    studio: Studio = arena["studio"]
    voucher = on_stack.call("POST", "/partner/vouchers", {"maxRedemptions": 2}, studio.admin, 201)["voucher"]
    code = voucher["code"]
    early = register_user(on_stack, studio, "Early", voucher=code)  # the first of its two uses
    emails = [f"voucher-racer{n}@race.example" for n in range(20)]
    outcome, answers = race(on_stack.http, "register with a voucher's last use", [
        ("POST", "/auth/register", {"email": email, "password": PASSWORD, "voucherCode": code}, studio.tenant.key)
        for email in emails])

    assert outcome[(201, None)] == 1 and sum(outcome.values()) == 20, outcome
    assert {status for status, _ in outcome} == {201, 422}, outcome
    winner = next(email for email, answer in zip(emails, answers, strict=True) if answer.status == 201)
    vouchers = on_stack.call("GET", "/partner/vouchers", None, studio.admin)["vouchers"]
    assert [v["redemptions"] for v in vouchers if v["code"] == code] == [2]
    redeemed = on_stack.read(f"/partner/vouchers/{voucher['id']}/redemptions", studio.admin,
                             lambda data: all(r["userId"] for r in data["redemptions"]))["redemptions"]
    assert sorted(r["email"] for r in redeemed) == sorted([early["email"], winner])


def test_an_invite_code_with_one_use_and_twenty_concurrent_registrations_has_exactly_one_new_client(on_stack,  # noqa: F811
                                                                                                    arena):
    studio: Studio = arena["studio"]
    code = on_stack.call("POST", "/trainer-portal/invite-codes", {"maxUses": 1}, studio.trainer, 201)["inviteCode"]
    emails = [f"invite-racer{n}@race.example" for n in range(20)]
    outcome, answers = race(on_stack.http, "register with an invite code's last use", [
        ("POST", "/auth/register", {"email": email, "password": PASSWORD, "inviteCode": code["code"]},
         studio.tenant.key) for email in emails])

    assert outcome == Counter({(201, None): 1, (422, "INVITE_INVALID"): 19}), outcome
    winner = next(answer for answer in answers if answer.status == 201).body["data"]["user"]
    codes = on_stack.call("GET", "/trainer-portal/invite-codes", None, studio.trainer)["inviteCodes"]
    assert [c["uses"] for c in codes if c["id"] == code["id"]] == [1]
    assert on_stack.call("POST", "/invite/check", {"code": code["code"]}, {}) == {"valid": False,
                                                                                 "reason": "EXHAUSTED"}
    on_stack.read("/trainer-portal/clients?search=invite-racer", studio.trainer,  # the code's trainer's client
                  lambda data: [c["userId"] for c in data["clients"]] == [winner["id"]])
