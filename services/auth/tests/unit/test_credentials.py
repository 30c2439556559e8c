"""Passwords, emails and key digests."""
from __future__ import annotations

from argon2 import PasswordHasher
from stvos_auth.domain.credentials import Passwords, digest, new_api_key, new_master_key, normalise_email

passwords = Passwords(memory_kib=19456, time_cost=2, parallelism=1)


def test_email_is_trimmed_and_case_folded():
    assert normalise_email("  Jane.Doe@Example.COM\t") == "jane.doe@example.com"


def test_password_hash_is_argon2id_with_the_configured_cost_and_verifies():
    stored = passwords.hash("correct horse")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.verify(stored, "correct horse").ok
    assert not passwords.verify(stored, "wrong horse").ok


def test_same_password_hashes_differently_each_time():
    assert passwords.hash("correct horse") != passwords.hash("correct horse")


def test_hash_with_lower_cost_verifies_and_asks_for_a_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("correct horse")
    verification = passwords.verify(weak, "correct horse")
    assert verification.ok and verification.needs_rehash


def test_garbage_in_the_hash_column_is_a_failed_verification_not_an_error():
    assert not passwords.verify("not-a-hash", "anything").ok


def test_keys_are_prefixed_random_and_digested_with_sha256():
    key = new_api_key()
    assert key.startswith("stv_") and key != new_api_key() and len(key) >= 40
    assert new_master_key().startswith("stvm_")
    assert digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
