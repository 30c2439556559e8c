"""Once started, the embedded platform moves events on its own: each relay is woken by its service's commits."""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select, text
from stvos_auth import admin as auth_admin


def inbox_size(container) -> int:
    with container.db.unit_of_work(write=False) as session:
        return session.execute(select(func.count()).select_from(container.db.metadata.tables["inbox"])).scalar_one()


def test_a_commit_reaches_the_consumers_without_a_flush_once_started(platform):
    platform.start()
    before = inbox_size(platform.containers["partner"])
    started = time.monotonic()
    auth_admin.create_client(platform.containers["auth"], name="Started Studio")  # auth.client.created
    # returns as soon as the event arrives; a loaded machine may take a while
    while inbox_size(platform.containers["partner"]) == before and time.monotonic() - started < 30:
        time.sleep(0.02)
    assert inbox_size(platform.containers["partner"]) == before + 1
    with platform.containers["auth"].db.unit_of_work(write=False) as session:
        assert session.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).scalar_one() == 0


def test_stop_ends_every_relay_thread_promptly(platform):
    platform.start()
    started = time.monotonic()
    platform.stop()
    assert time.monotonic() - started < 1.5
    assert not [thread.name for thread in threading.enumerate() if thread.name.startswith("relay-")]
