"""Password hashing: argon2id at no less than OWASP's minimum, and no timing difference for unknown accounts."""
from __future__ import annotations

import statistics
import time

import pytest
from argon2 import PasswordHasher
from stvos_shared.passwords import Passwords

passwords = Passwords()


def test_hashes_are_argon2id_at_the_owasp_minimum_by_default():
    stored = passwords.hash("correct horse")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert Passwords(memory_kib=32768, time_cost=3).hash("x").startswith("$argon2id$v=19$m=32768,t=3,p=1$")


@pytest.mark.parametrize("cost", [{"memory_kib": 19455}, {"time_cost": 1}, {"parallelism": 0}])
def test_parameters_below_the_owasp_minimum_are_refused(cost):
    with pytest.raises(ValueError, match="OWASP"):
        Passwords(**cost)


def test_the_right_password_verifies_and_a_wrong_one_does_not():
    stored = passwords.hash("correct horse")
    assert passwords.verify(stored, "correct horse") is True
    assert passwords.verify(stored, "wrong horse") is False


def test_the_same_password_hashes_differently_each_time():
    assert passwords.hash("correct horse") != passwords.hash("correct horse")


def test_garbage_in_the_hash_column_is_a_failed_verification_not_an_error():
    assert passwords.verify("not-a-hash", "anything") is False
    assert passwords.needs_rehash("not-a-hash") is True


def test_a_hash_made_at_another_cost_verifies_and_asks_for_a_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("correct horse")
    assert passwords.verify(weak, "correct horse") is True
    assert passwords.needs_rehash(weak) is True
    assert passwords.needs_rehash(passwords.hash("correct horse")) is False


def test_an_unknown_account_costs_what_a_wrong_password_costs():
    stored = passwords.hash("correct horse")
    assert passwords.verify_dummy("correct horse") is False  # also makes the dummy hash once

    def median_seconds(check) -> float:
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            check()
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    real = median_seconds(lambda: passwords.verify(stored, "wrong horse"))
    dummy = median_seconds(lambda: passwords.verify_dummy("wrong horse"))
    assert 0.5 < dummy / real < 2.0
