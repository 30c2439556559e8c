"""Scheduled jobs: work a service does on its own every so often (e.g. booking completing subscriptions).

A job is a `run_once()` that changes at most `batch_size` rows in one transaction and says how many it
changed. `run_periodically` drains a job (passes until one changes fewer than a batch), then waits the
interval; a failing pass is logged and retried with a growing back-off. Jobs must be safe to run in any
number of processes at once (each claims its rows with FOR UPDATE SKIP LOCKED or a conditional UPDATE),
so the production job process may have replicas and the embedded platform runs each job in a thread.
"""
from __future__ import annotations

import logging
import threading
from typing import Protocol

from .metrics import JOB_FAILURES, JOB_ITEMS

log = logging.getLogger("stvos.jobs")
JOB_INTERVAL_SECONDS = 60.0  # the wait between two drains (the env's JOB_INTERVAL_SECONDS in production)


class Job(Protocol):
    name: str
    batch_size: int

    def run_once(self) -> int:
        """One batch in one transaction; how many rows it changed."""


def drain(job: Job, service: str, stop: threading.Event | None = None) -> int:
    """Passes of `job` until one changes fewer than a batch (or `stop` is set); how many rows they changed."""
    total = 0
    while stop is None or not stop.is_set():
        changed = job.run_once()
        total += changed
        if changed:
            JOB_ITEMS.labels(service, job.name).inc(changed)
            log.info("%s: %d changed", job.name, changed, extra={"service": service})
        if changed < job.batch_size:
            break
    return total


def run_periodically(job: Job, service: str, stop: threading.Event, interval: float = JOB_INTERVAL_SECONDS,
                     max_backoff: float = 300.0) -> None:
    """Drain `job` every `interval` seconds until `stop` is set (a stop finishes the batch in hand)."""
    backoff = interval
    while not stop.is_set():
        try:
            drain(job, service, stop)
            backoff = interval
        except Exception:
            JOB_FAILURES.labels(service, job.name).inc()
            log.exception("%s failed; retrying", job.name, extra={"service": service})
            stop.wait(min(backoff, max_backoff))
            backoff = min(backoff * 2, max_backoff)
            continue
        stop.wait(interval)
