"""Racing registrations: the last redemption of a voucher goes to exactly one of them."""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select
from stvos_partner.adapters.orm import Redemption, Voucher
from stvos_partner.app import create_app
from stvos_partner.bootstrap import build
from stvos_partner.config import Settings
from stvos_partner.service.tenants import ensure_partner
from stvos_shared.keywrap import new_kek

RACERS = 12


def _one_redemption_left(container) -> None:
    """Voucher LASTONE of tenant 1 with a limit of 3, two of them already taken."""
    with container.uow() as repos:
        ensure_partner(repos, 1, "Racing Studio")
    container.vouchers.create(1, "LASTONE", 3, None)
    for number in range(2):
        container.redemptions.redeem(1, "LASTONE", f"early{number}@x.io")


def _race(app) -> Counter:
    start, statuses, lock = threading.Barrier(RACERS), Counter(), threading.Lock()

    def register(number: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/internal/vouchers/redeem", json={"code": "lastone", "email": f"r{number}@x.io"},
                               headers={"X-Client-Id": "1"})
        with lock:
            statuses[response.status_code] += 1

    threads = [threading.Thread(target=register, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _race_for_the_last_redemption(database_url: str) -> tuple[Counter, int, int]:
    """(statuses of the racers, the voucher's redemption count, redemption rows) after the race."""
    container = build(Settings(database_url=database_url, signing_key_kek=(new_kek(),)))
    container.db.create_all()
    try:
        _one_redemption_left(container)
        statuses = _race(create_app(container=container))
        with container.db.unit_of_work(write=False) as session:
            counted = session.scalar(select(Voucher.redemptions).where(Voucher.code == "LASTONE"))
            rows = len(session.scalars(select(Redemption)).all())
        return statuses, counted, rows
    finally:
        container.db.metadata.drop_all(container.db.engine)
        container.db.dispose()


def test_racers_for_the_last_redemption_on_sqlite_get_exactly_one_201(tmp_path):
    statuses, counted, rows = _race_for_the_last_redemption(f"sqlite:///{tmp_path / 'partner.db'}")
    assert statuses == Counter({201: 1, 422: RACERS - 1})
    assert (counted, rows) == (3, 3)


@pytest.mark.postgres
def test_racers_for_the_last_redemption_on_postgresql_get_exactly_one_201(postgres_database):
    statuses, counted, rows = _race_for_the_last_redemption(postgres_database)
    assert statuses == Counter({201: 1, 422: RACERS - 1})
    assert (counted, rows) == (3, 3)
