"""Helpers the partner tests share (imported, unlike conftest.py)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from stvos_shared.events import Event

from tests.fixtures.settings import tuned

PASSWORD = "correct horse battery"
T = TypeVar("T")


@dataclass
class Tenant:
    client_id: int
    admin_email: str
    admin: dict[str, str]
    staff: dict[str, str]


def announce_client(container, client_id: int, name: str) -> None:
    """What auth.client.created does when a tenant is made."""
    container.consumer.handle(Event(type="auth.client.created", client_id=client_id,
                                    data={"clientId": client_id, "name": name, "branding": {}}))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def announce_registration(container, client_id: int, user_id: int, code: str | None, redemption_id: int | None,
                          email: str = "user@example.com") -> None:
    """What auth.user.registered does when a user registers (with a voucher when `code` is given)."""
    voucher = {"code": code, "redemptionId": redemption_id} if code else None
    container.consumer.handle(Event(type="auth.user.registered", client_id=client_id, data={
        "userId": user_id, "email": email, "name": None, "role": "user", "coachId": None, "sessionId": None,
        "voucher": voucher}))


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run each call in its own thread, all let go together by a barrier; their results, in order."""
    start, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index: int, call: Callable[[], T]) -> None:
        start.wait()
        try:
            results[index] = call()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@contextmanager
def own_partner_service(database_url: str, **settings: Any) -> Iterator[tuple[Any, Any]]:
    """(container, app) of a partner service of the test's own on `database_url`, its tables dropped afterwards."""
    from stvos_partner.app import create_app
    from stvos_partner.bootstrap import build
    from stvos_partner.config import Settings
    from stvos_shared.keywrap import new_kek

    container = build(tuned(Settings(database_url=database_url, signing_key_kek=(new_kek(),)), **settings))
    container.db.create_all()
    try:
        yield container, create_app(container=container)
    finally:
        container.db.metadata.drop_all(container.db.engine)
        container.db.dispose()
