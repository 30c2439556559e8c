"""An issuer's signing keys in its database: made on first use, rotated, published, verified from a cache."""
from __future__ import annotations

import threading
import time

import jwt
import pytest
from sqlalchemy import func, select
from stvos_shared.db import new_metadata
from stvos_shared.errors import Unauthorized
from stvos_shared.keywrap import KeyWrap, new_kek
from stvos_shared.signing_keys import SigningKeys, signing_keys_table
from stvos_shared.tokens import TokenSigner, generate_private_key_pem

from tests.fixtures.queries import recorded_statements


@pytest.fixture
def keys(open_database):
    """new_keys() -> a SigningKeys on its own engine (as another process would be), all on one database."""
    metadata = new_metadata()
    table = signing_keys_table(metadata)
    kek = new_kek()

    def new_keys(keks: tuple[str, ...] = (kek,), **options) -> SigningKeys:
        return SigningKeys(open_database(metadata), table, KeyWrap(keks), "issuer", "audience", **options)

    new_keys.table, new_keys.kek = table, kek
    return new_keys


def kid_of(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def key_count(store: SigningKeys, table) -> int:
    with store._db.unit_of_work(write=False) as session:
        return session.scalar(select(func.count()).select_from(table))


def test_no_key_exists_until_the_first_token_is_signed(keys):
    store = keys()
    assert store.jwks() == {"keys": []}
    assert key_count(store, keys.table) == 0
    token = store.signer().issue("7", "access", 60)
    assert key_count(store, keys.table) == 1
    [published] = store.jwks()["keys"]
    assert (published["kid"], published["alg"], published["use"]) == (kid_of(token), "RS256", "sig")
    assert "d" not in published


def test_tokens_verify_with_the_issuer_and_audience_of_the_store(keys):
    store = keys()
    claims = store.verifier().verify(store.signer().issue("7", "access", 60, {"cid": 3}))
    assert (claims["iss"], claims["aud"], claims["sub"], claims["cid"]) == ("issuer", "audience", "7", 3)


def test_another_process_signs_with_the_same_key(keys):
    first, second = keys(), keys()
    assert first.signer().kid == second.signer().kid


def test_processes_racing_to_make_the_first_key_end_up_with_one(keys):
    stores = [keys() for _ in range(4)]
    kids, barrier = [], threading.Barrier(4)

    def sign(store: SigningKeys) -> None:
        barrier.wait()
        kids.append(store.signer().kid)

    threads = [threading.Thread(target=sign, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(kids)) == 1
    assert len(stores[0].jwks()["keys"]) == 1


def test_a_rotation_signs_with_the_new_key_while_old_tokens_still_verify(keys):
    store = keys()
    old = store.signer().issue("7", "access", 60)
    new_kid = store.rotate()
    new = store.signer().issue("7", "access", 60)
    assert kid_of(new) == new_kid != kid_of(old)
    assert [key["kid"] for key in store.jwks()["keys"]] == [new_kid, kid_of(old)]
    assert store.verifier().verify(old)["sub"] == store.verifier().verify(new)["sub"] == "7"


def test_a_verifier_in_another_process_learns_a_rotated_key_a_second_after_its_last_lookup(keys, monkeypatch):
    issuer, other = keys(), keys()
    other.verifier().verify(issuer.signer().issue("7", "access", 60))
    issuer.rotate()
    later = time.monotonic() + 1.1  # unknown kids re-read the keys at most once a second
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert other.verifier().verify(issuer.signer().issue("8", "access", 60))["sub"] == "8"


def test_forged_kids_cost_at_most_one_query_a_second(keys):
    store = keys()
    verifier = store.verifier()
    verifier.verify(store.signer().issue("7", "access", 60))
    pem = generate_private_key_pem()
    forged = [TokenSigner(pem, f"forged-{n}", store.issuer, store.audience).issue("7", "access", 60) for n in range(3)]
    with recorded_statements(store._db.engine) as statements:
        for token in forged * 5:
            with pytest.raises(Unauthorized):
                verifier.verify(token)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 1


def test_a_rotation_by_another_process_signs_here_after_the_refresh_period(keys):
    here, operator = keys(refresh_seconds=0), keys()
    here.signer()
    rotated = operator.rotate()
    assert here.signer().kid == rotated


def test_a_key_made_here_verifies_at_once_even_after_an_unknown_kid_was_looked_up(keys):
    store = keys()
    stranger = TokenSigner(generate_private_key_pem(), "unknown", "issuer", "audience").issue("7", "access", 60)
    with pytest.raises(Unauthorized):
        store.verifier().verify(stranger)
    assert store.verifier().verify(store.signer().issue("7", "access", 60))["sub"] == "7"


def test_a_retired_key_leaves_the_jwks_and_the_active_key_cannot_be_retired(keys):
    store = keys()
    old = store.signer().kid
    new = store.rotate()
    assert store.retire(new) is False
    assert store.retire(old) is True
    assert store.retire(old) is False
    assert [key["kid"] for key in store.jwks()["keys"]] == [new]


def test_verifying_tokens_of_known_keys_does_not_query_the_database(keys):
    store = keys()
    verifier = store.verifier()
    token = store.signer().issue("7", "access", 60)
    verifier.verify(token)
    with recorded_statements(store._db.engine) as statements:
        for _ in range(10):
            verifier.verify(token)
            store.signer()
    assert statements == []
