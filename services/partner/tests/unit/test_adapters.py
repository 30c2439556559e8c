"""The in-process rate limiter and the argon2id password hasher."""
from __future__ import annotations

from stvos_partner.adapters.passwords import Passwords
from stvos_partner.adapters.ratelimit import InMemoryRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_allows_the_limit_then_says_how_long_to_wait():
    clock = Clock()
    limiter = InMemoryRateLimiter(3, 60, clock=clock)
    assert [limiter.hit("ip|1") for _ in range(3)] == [None, None, None]
    clock.now += 10
    assert limiter.hit("ip|1") == 50
    assert limiter.hit("ip|2") is None


def test_the_limiter_window_slides():
    clock = Clock()
    limiter = InMemoryRateLimiter(2, 60, clock=clock)
    limiter.hit("k")
    clock.now += 30
    limiter.hit("k")
    clock.now += 31
    assert limiter.hit("k") is None
    assert limiter.hit("k") == 29


def test_the_limiter_forgets_idle_keys_when_it_grows():
    clock = Clock()
    limiter = InMemoryRateLimiter(1, 10, clock=clock, max_keys=5)
    for number in range(5):
        limiter.hit(f"old{number}")
    clock.now += 11
    limiter.hit("new")
    assert len(limiter._hits) == 1


def test_passwords_are_argon2id_with_the_configured_cost_and_verify():
    passwords = Passwords(memory_kib=8 * 1024, time_cost=1, parallelism=1)
    stored = passwords.hash("a good password")
    assert stored.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert passwords.verify(stored, "a good password")
    assert not passwords.verify(stored, "a bad password")
    assert not passwords.verify("not a hash", "a good password")
    assert not passwords.verify_dummy("a good password")


def test_a_hash_made_with_a_lower_cost_needs_a_rehash():
    weak = Passwords(memory_kib=8 * 1024, time_cost=1, parallelism=1).hash("a good password")
    strong = Passwords(memory_kib=19 * 1024, time_cost=2, parallelism=1)
    assert strong.needs_rehash(weak)
    assert not strong.needs_rehash(strong.hash("a good password"))
