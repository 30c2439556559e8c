"""The in-process token-bucket rate limiter."""
from __future__ import annotations

from stvos_auth.adapters.ratelimit import InProcessRateLimiter, Rule


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RULE = Rule("login", limit=3, window=60)


def test_allows_up_to_the_limit_then_says_how_long_to_wait():
    limiter = InProcessRateLimiter(clock=Clock())
    assert [limiter.hit(RULE, "ip") for _ in range(3)] == [None, None, None]
    assert limiter.hit(RULE, "ip") == 20


def test_capacity_comes_back_over_the_window():
    clock = Clock()
    limiter = InProcessRateLimiter(clock=clock)
    for _ in range(3):
        limiter.hit(RULE, "ip")
    clock.now += 20
    assert limiter.hit(RULE, "ip") is None
    assert limiter.hit(RULE, "ip") is not None


def test_keys_and_rules_are_counted_separately():
    limiter = InProcessRateLimiter(clock=Clock())
    for _ in range(3):
        limiter.hit(RULE, "a")
    assert limiter.hit(RULE, "b") is None
    assert limiter.hit(Rule("other", 1, 60), "a") is None


def test_memory_stays_bounded_and_busy_buckets_survive_a_flood_of_keys():
    clock = Clock()
    limiter = InProcessRateLimiter(clock=clock, max_keys=10)
    for _ in range(3):
        limiter.hit(RULE, "attacker")
    clock.now += 1
    for number in range(20):
        limiter.hit(Rule("burst", 100, 1), f"k{number}")
        clock.now += 0.001
    assert len(limiter._buckets) <= 10
    assert limiter.hit(RULE, "attacker") is not None
