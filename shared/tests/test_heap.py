"""A long-running process settles its heap once started: what start-up loaded is frozen, young objects are
collected in larger batches, and cycles are still collected."""
from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from stvos_shared import gunicorn_conf, heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class Node:
    def __init__(self) -> None:
        self.me = self


def test_settling_freezes_what_start_up_loaded_and_collects_the_young_less_often(restored_gc):
    middle, oldest = gc.get_threshold()[1:]
    heap.settle()
    assert gc.get_freeze_count() > 1_000
    assert gc.get_threshold() == (heap.YOUNGEST_THRESHOLD, middle, oldest)


def test_cycles_made_after_settling_are_still_collected_without_being_asked(restored_gc):
    heap.settle()
    first = weakref.ref(Node())
    for _ in range(2 * heap.YOUNGEST_THRESHOLD):
        Node()
    assert first() is None


def test_a_gunicorn_worker_settles_its_heap_once_its_app_is_loaded(restored_gc, monkeypatch):
    monkeypatch.setattr("signal.signal", lambda *args: None)
    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=SimpleNamespace(extensions={})))
    assert gc.get_freeze_count() > 1_000
    assert gc.get_threshold()[0] == heap.YOUNGEST_THRESHOLD
