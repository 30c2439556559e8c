"""The shared credentials: the login guard's windows and back-off, and refresh families exchanged once."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import Column, Integer, Table
from stvos_shared.credentials.login import LoginGuard, login_failures_table
from stvos_shared.credentials.refresh import RefreshFamilies, Subject, refresh_tables
from stvos_shared.credentials.settings import CredentialSettings
from stvos_shared.db import new_metadata
from stvos_shared.errors import RateLimited, Unauthorized
from stvos_shared.keywrap import KeyWrap, new_kek
from stvos_shared.passwords import Passwords
from stvos_shared.ratelimit import DatabaseRateLimiter, rate_limit_table
from stvos_shared.signing_keys import SigningKeys, signing_keys_table

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def world(open_database):
    metadata = new_metadata()
    Table("people", metadata, Column("id", Integer, primary_key=True))
    tables = {"failures": login_failures_table(metadata), "limits": rate_limit_table(metadata),
              "keys": signing_keys_table(metadata), "refresh": refresh_tables(metadata, "people")}
    return open_database(metadata), tables


@pytest.fixture
def guard(world):
    db, tables = world
    clock, hasher = Clock(), Passwords()
    settings = CredentialSettings(login_pair_failures=3, login_pair_window=60, login_account_failures=4,
                                  login_backoff_base_seconds=10, login_backoff_max_seconds=40)
    made = LoginGuard(db, tables["failures"], hasher, DatabaseRateLimiter(db, tables["limits"]), settings, clock)
    made.clock, made.stored = clock, hasher.hash(PASSWORD)
    return made


def attempt(guard, address: str, password: str = "wrong") -> int:
    """200, 401 or 429, as a login would answer."""
    try:
        return 200 if guard.verify("1:jane@example.com", address, guard.stored, password) else 401
    except RateLimited as refused:
        return 429 if int(refused.headers["Retry-After"]) > 0 else -1


def test_an_address_waits_out_its_window_after_its_failures(guard):
    assert [attempt(guard, "a") for _ in range(4)] == [401, 401, 401, 429]
    guard.clock.advance(59)
    assert attempt(guard, "a", PASSWORD) == 429
    guard.clock.advance(2)
    assert attempt(guard, "a", PASSWORD) == 200


def test_the_back_off_doubles_and_stops_at_its_maximum(guard):
    for address in "abcd":
        assert attempt(guard, address) == 401  # the account reaches 4 failures
    waits = []
    for _ in range(4):
        try:
            guard.verify("1:jane@example.com", "a", guard.stored, "wrong")
        except RateLimited as refused:
            waits.append(int(refused.headers["Retry-After"]))
            guard.clock.advance(waits[-1])
            assert attempt(guard, "a" if len(waits) % 2 else "b") == 401
    assert waits[:3] == [10, 20, 40] and waits[3] == 40


def test_a_clean_address_is_never_refused_during_the_back_off(guard):
    for address in "abcd":
        attempt(guard, address)
    assert attempt(guard, "a") == 429
    assert attempt(guard, "z", PASSWORD) == 200


def test_failures_expire_with_their_windows(guard):
    assert [attempt(guard, "a") for _ in range(3)] == [401, 401, 401]
    guard.clock.advance(3601)  # past the pair's window and the account's
    assert [attempt(guard, "a") for _ in range(4)] == [401, 401, 401, 429]


def test_an_unknown_account_costs_a_verification_and_is_never_let_in(guard):
    assert guard.verify("1:ghost@example.com", "a", None, PASSWORD) is False


@pytest.fixture
def families(world):
    db, tables = world
    clock = Clock()
    keys = SigningKeys(db, tables["keys"], KeyWrap([new_kek()]), "issuer", "audience")
    settings = CredentialSettings(refresh_reuse_grace_seconds=10, refresh_ttl_seconds=3600)
    made = RefreshFamilies(db, tables["refresh"], keys, keys.verifier(), settings, clock=clock)
    with db.unit_of_work() as session:
        session.execute(tables["refresh"].families.metadata.tables["people"].insert().values(id=1))
        grant = made.start(session, Subject(1, 7, {"role": "user"}))
    made.clock, made.first = clock, made.sign(grant).refresh_token
    return made


def load(_session, subject_id: int, client_id: int) -> Subject:
    return Subject(subject_id, client_id, {"role": "user"})


def jti(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["jti"]


def test_a_presentation_within_the_grace_answers_the_same_successor(families):
    one = families.rotate(families.first, 7, load).refresh_token
    families.clock.advance(9)
    two = families.rotate(families.first, 7, load).refresh_token
    assert jti(one) == jti(two)


def test_a_presentation_after_the_grace_ends_the_family(families):
    successor = families.rotate(families.first, 7, load).refresh_token
    families.clock.advance(11)
    with pytest.raises(Unauthorized):
        families.rotate(families.first, 7, load)
    with pytest.raises(Unauthorized):
        families.rotate(successor, 7, load)


def test_another_tenant_cannot_rotate_the_token(families):
    with pytest.raises(Unauthorized):
        families.rotate(families.first, 8, load)
