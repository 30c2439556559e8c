"""API key and master key digests (password hashing is tested with stvos_shared.passwords)."""
from __future__ import annotations

from stvos_auth.domain.credentials import digest, new_api_key, new_master_key, same_digest


def test_keys_are_prefixed_random_and_digested_with_sha256():
    key = new_api_key()
    assert key.startswith("stv_") and key != new_api_key() and len(key) >= 40
    assert new_master_key().startswith("stvm_")
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_digests_compare_equal_only_when_they_are():
    assert same_digest(digest("a key"), digest("a key"))
    assert not same_digest(digest("a key"), digest("another key"))
