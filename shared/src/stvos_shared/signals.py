"""Stopping on SIGTERM or SIGINT without running a handler inside whatever the main thread was doing.

A Python signal handler runs in the main thread between two bytecodes: one that sets a
threading.Event can find the event's own lock held by the frame it interrupted, and wait forever. Here
the signals are blocked in every thread and taken by one thread that does nothing else (sigwait).
"""
from __future__ import annotations

import logging
import os
import signal
import threading

STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})
log = logging.getLogger("stvos.signals")


def stop_on_signals() -> threading.Event:
    """An event set by the first SIGTERM or SIGINT; a second one ends the process at once.

    Call it first, on the main thread, before any other thread starts: threads started later inherit
    the blocked signals, so that only the watcher receives them.
    """
    stop = threading.Event()
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)

    def watch() -> None:
        first = signal.sigwait(STOP_SIGNALS)
        log.info("stopping on %s", signal.Signals(first).name)
        stop.set()
        again = signal.sigwait(STOP_SIGNALS)
        log.warning("%s again: exiting without finishing", signal.Signals(again).name)
        os._exit(128 + again)

    threading.Thread(target=watch, name="stop-signals", daemon=True).start()
    return stop
