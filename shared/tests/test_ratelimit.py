"""Rate limits in the service's database: a sliding window, shared by every process, exact under concurrency."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from stvos_shared.db import new_metadata
from stvos_shared.errors import RateLimited
from stvos_shared.ratelimit import DatabaseRateLimiter, Rule, allowance, rate_limit_table, retry_after

START = 3_600_000.0  # the start of a window of every length these tests use


class Clock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limiters(open_database):
    """new_limiter(clock) -> a limiter on its own engine (as another process would be), all on one database."""
    metadata = new_metadata()
    table = rate_limit_table(metadata)

    def new_limiter(clock: Clock, **options) -> DatabaseRateLimiter:
        return DatabaseRateLimiter(open_database(metadata), table, clock=clock, **options)

    new_limiter.table = table
    return new_limiter


def test_the_limit_is_allowed_then_the_answer_is_how_long_to_wait(limiters):
    clock = Clock(START + 40)
    limiter, rule = limiters(clock), Rule("login", limit=3, window=60)
    assert [limiter.hit(rule, "10.0.0.1") for _ in range(3)] == [None, None, None]
    assert limiter.hit(rule, "10.0.0.1") == 40
    clock.now += 39
    assert limiter.hit(rule, "10.0.0.1") is not None
    clock.now += 1
    assert limiter.hit(rule, "10.0.0.1") is None
    assert limiter.hit(rule, "10.0.0.1") == 20


def test_the_window_slides_instead_of_resetting_at_its_edge(limiters):
    clock = Clock(START + 59)
    limiter, rule = limiters(clock), Rule("login", limit=3, window=60)
    for _ in range(3):
        limiter.hit(rule, "k")
    clock.now = START + 61
    assert limiter.hit(rule, "k") is not None


def test_refused_hits_are_not_counted(limiters):
    clock = Clock(START)
    limiter, rule = limiters(clock), Rule("login", limit=2, window=60)
    limiter.hit(rule, "k")
    limiter.hit(rule, "k")
    clock.now = START + 30
    assert {limiter.hit(rule, "k") for _ in range(20)} == {60}
    clock.now = START + 90
    assert limiter.hit(rule, "k") is None


def test_keys_and_rules_are_counted_separately(limiters):
    limiter = limiters(Clock())
    rule = Rule("login", limit=1, window=60)
    limiter.hit(rule, "a")
    assert limiter.hit(rule, "a") is not None
    assert limiter.hit(rule, "b") is None
    assert limiter.hit(Rule("refresh", limit=1, window=60), "a") is None


def test_two_limiters_on_one_database_share_their_counts(limiters):
    clock = Clock()
    first, second, rule = limiters(clock), limiters(clock), Rule("login", limit=4, window=60)
    assert [first.hit(rule, "k"), second.hit(rule, "k"), first.hit(rule, "k"), second.hit(rule, "k")] == [None] * 4
    assert first.hit(rule, "k") is not None
    assert second.hit(rule, "k") is not None


def test_concurrent_hits_from_two_processes_never_get_past_the_limit(limiters):
    clock = Clock(START + 1)
    instances, rule = [limiters(clock), limiters(clock)], Rule("login", limit=10, window=60)
    allowed, errors, barrier = [], [], threading.Barrier(12)

    def attempt(limiter: DatabaseRateLimiter) -> None:
        barrier.wait()
        for _ in range(3):
            try:
                if limiter.hit(rule, "target") is None:
                    allowed.append(1)
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=attempt, args=(instances[n % 2],)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(allowed) == 10


def test_enforce_raises_429_with_retry_after(limiters):
    limiter, rule = limiters(Clock(START)), Rule("login", limit=1, window=60)
    limiter.enforce(rule, "k")
    with pytest.raises(RateLimited) as raised:
        limiter.enforce(rule, "k")
    assert raised.value.status == 429
    assert int(raised.value.headers["Retry-After"]) == limiter.hit(rule, "k")


def test_keys_are_stored_as_digests_and_windows_that_no_longer_count_are_deleted(limiters):
    clock = Clock(START)
    limiter, rule = limiters(clock), Rule("login", limit=5, window=60)
    limiter.hit(rule, "jane@example.com")
    clock.now = START + 120
    limiter.hit(rule, "joe@example.com")
    table = limiters.table
    with limiter._db.engine.connect() as connection:
        rows = connection.execute(select(table.c.bucket, table.c.window_start)).all()
    assert [row.window_start for row in rows] == [START + 120]
    assert len(rows[0].bucket) == 64 and "joe" not in rows[0].bucket


def test_a_rule_needs_a_limit_and_a_window():
    with pytest.raises(ValueError):
        Rule("login", limit=0, window=60)
    with pytest.raises(ValueError):
        Rule("login", limit=5, window=0)


@pytest.mark.parametrize(("limit", "window"), [(1, 10), (3, 60), (10, 600)])
def test_retry_after_is_the_first_whole_second_when_one_more_hit_fits(limit, window):
    rule = Rule("r", limit, window)
    for previous in range(limit + 1):
        for current in range(limit + 1):
            for elapsed in (0.0, window / 3, window / 2 + 0.5, window - 0.25):
                if current < allowance(rule, previous, elapsed):
                    continue  # this hit would be allowed: nothing to wait for
                wait = retry_after(rule, previous, current, elapsed)
                assert _fits(rule, previous, current, elapsed + wait)
                assert wait == 1 or not _fits(rule, previous, current, elapsed + wait - 1)


def _fits(rule: Rule, previous: int, current: int, elapsed: float) -> bool:
    """Whether one more hit fits `elapsed` seconds after the current window began (no other hits meanwhile)."""
    if elapsed < rule.window:
        return current < allowance(rule, previous, elapsed)
    if elapsed < 2 * rule.window:
        return allowance(rule, current, elapsed - rule.window) > 0
    return True
