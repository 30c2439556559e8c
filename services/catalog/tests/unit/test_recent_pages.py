"""RecentPages: answers by key with the version they were read at, weighed in trainers, least recent out first."""
from __future__ import annotations

from stvos_catalog.service.directory import RecentPages


def test_an_answer_is_given_back_with_its_version_until_heavier_ones_push_it_out():
    pages = RecentPages(capacity=10)
    pages.put("a", 1, {"page": "a"}, weight=4)
    pages.put("b", 1, {"page": "b"}, weight=4)
    assert pages.get("a") == (1, {"page": "a"})  # now the most recent
    pages.put("c", 2, {"page": "c"}, weight=4)  # 12 > 10: the least recent, b, goes
    assert pages.get("b") is None
    assert pages.get("a") == (1, {"page": "a"}) and pages.get("c") == (2, {"page": "c"})


def test_an_answer_put_again_replaces_the_old_one_and_its_weight():
    pages = RecentPages(capacity=10)
    pages.put("a", 1, {"v": 1}, weight=8)
    pages.put("a", 2, {"v": 2}, weight=2)
    pages.put("b", 2, {"v": 2}, weight=8)  # fits beside a's new weight
    assert pages.get("a") == (2, {"v": 2}) and pages.get("b") == (2, {"v": 2})


def test_nothing_is_held_that_weighs_more_than_all_of_it_and_a_capacity_of_0_holds_nothing():
    pages = RecentPages(capacity=3)
    pages.put("big", 1, {}, weight=4)
    assert pages.get("big") is None
    off = RecentPages(capacity=0)
    off.put("a", 1, {}, weight=1)
    assert off.get("a") is None
