"""Signing keys sealed at rest with the configured KEKs: a dump alone signs nothing; the KEK rotates."""
from __future__ import annotations

import os
import stat

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from sqlalchemy import insert, select, update
from stvos_shared.db import new_metadata
from stvos_shared.keywrap import KEK_FILE, KekError, KeyWrap, SealedKeyError, embedded_kek, new_kek, parse_keks
from stvos_shared.settings import env_keks
from stvos_shared.signing_keys import SigningKeys, signing_keys_table
from stvos_shared.tokens import generate_private_key_pem


@pytest.fixture
def keys(open_database):
    """new_keys(keks) -> a SigningKeys with those KEKs on one shared database (each like another process)."""
    metadata = new_metadata()
    table = signing_keys_table(metadata)

    def new_keys(*keks: str) -> SigningKeys:
        return SigningKeys(open_database(metadata), table, KeyWrap(keks), "issuer", "audience", refresh_seconds=0)

    new_keys.table = table
    return new_keys


def stored(store: SigningKeys, table) -> dict[str, str]:
    with store._db.unit_of_work(write=False) as session:
        return dict(session.execute(select(table.c.kid, table.c.private_key_sealed)).all())


def test_the_stored_key_is_no_pem_and_opens_only_with_the_kek(keys):
    kek = new_kek()
    store = keys(kek)
    kid = store.signer().kid
    [(stored_kid, value)] = stored(store, keys.table).items()
    assert stored_kid == kid and "BEGIN" not in value and "PRIVATE" not in value
    with pytest.raises(ValueError):
        load_pem_private_key(value.encode(), None)
    with pytest.raises(SealedKeyError):
        KeyWrap([new_kek()]).open(kid, value)
    load_pem_private_key(KeyWrap([kek]).open(kid, value).encode(), None)  # with the KEK, it is the key


def test_a_sealed_key_copied_onto_another_kid_does_not_open(keys):
    wrap = KeyWrap([new_kek()])
    with pytest.raises(SealedKeyError):
        wrap.open("other", wrap.seal("mine", generate_private_key_pem()))


def test_another_kek_cannot_sign_or_publish_the_stored_keys(keys):
    keys(new_kek()).signer()
    stranger = keys(new_kek())
    with pytest.raises(SealedKeyError):
        stranger.signer()
    with pytest.raises(SealedKeyError):
        stranger.jwks()


def test_rotating_the_kek_rewraps_every_key_and_the_old_kek_can_go(keys):
    old, new = new_kek(), new_kek()
    before = keys(old)
    first = before.signer().kid
    before.rotate()
    before.retire(first)  # retired keys are rewrapped too
    token = before.signer().issue("7", "access", 60)
    assert keys(new, old).rewrap() == 2
    after = keys(new)  # the old KEK dropped
    assert after.verifier().verify(token)["sub"] == "7"
    assert all(KeyWrap([new]).open(kid, value) for kid, value in stored(after, keys.table).items())
    with pytest.raises(SealedKeyError):
        keys(old).signer()


def test_a_plaintext_key_of_an_older_version_is_sealed_on_first_read_and_still_signs(keys):
    kek = new_kek()
    store = keys(kek)
    pem = generate_private_key_pem()
    with store._db.unit_of_work() as session:
        session.execute(insert(keys.table).values(kid="legacy", private_key_sealed=pem, active=True))
    token = store.signer().issue("7", "access", 60)
    value = stored(store, keys.table)["legacy"]
    assert not value.startswith("-----BEGIN") and KeyWrap([kek]).open("legacy", value) == pem
    assert keys(kek).verifier().verify(token)["sub"] == "7"


def test_a_lost_kek_retires_the_keys_it_sealed_and_a_new_key_signs(keys):
    lost = keys(new_kek())
    old = lost.signer().kid
    kek = new_kek()
    store = keys(kek)
    assert store.retire_unreadable() == [old]
    assert store.retire_unreadable() == []
    new = store.signer().kid
    assert new != old and [key["kid"] for key in store.jwks()["keys"]] == [new]


def test_a_rewrap_that_meets_a_key_no_kek_opens_changes_nothing(keys):
    keys(new_kek()).signer()
    kek = new_kek()
    other = keys(kek)
    with other._db.unit_of_work() as session:  # a second key, sealed with `kek`
        session.execute(update(keys.table).values(active=False))
        session.execute(insert(keys.table).values(kid="mine", private_key_sealed=KeyWrap([kek]).seal(
            "mine", generate_private_key_pem()), active=True))
    before = stored(other, keys.table)
    with pytest.raises(SealedKeyError):
        other.rewrap()
    assert stored(other, keys.table) == before


def test_a_missing_or_malformed_kek_is_a_clear_configuration_error(monkeypatch):
    monkeypatch.delenv("SIGNING_KEY_KEK", raising=False)
    with pytest.raises(KekError, match="SIGNING_KEY_KEK is not set"):
        env_keks("SIGNING_KEY_KEK")
    monkeypatch.setenv("SIGNING_KEY_KEK", f"{new_kek()},not-a-key")
    with pytest.raises(KekError, match="key 2 of 2 is not a Fernet key"):
        env_keks("SIGNING_KEY_KEK")
    with pytest.raises(KekError):
        KeyWrap([])
    first, second = new_kek(), new_kek()
    assert parse_keks(f" {first} , {second} ") == (first, second)


def test_the_embedded_kek_is_made_once_for_its_owner_only_and_reused(tmp_path):
    made = embedded_kek(str(tmp_path / "var"))
    assert embedded_kek(str(tmp_path / "var")) == made
    path = tmp_path / "var" / KEK_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_uid == os.getuid()
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
