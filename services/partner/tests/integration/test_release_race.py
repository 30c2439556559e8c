"""Releases and confirmations of one redemption racing each other: the voucher's count moves once."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from stvos_partner.adapters import orm
from stvos_partner.adapters.orm import Redemption, Voucher
from stvos_partner.service.redemptions import confirm
from stvos_partner.service.tenants import ensure_partner
from stvos_shared.db import utcnow

from services.partner.tests.support import at_once, own_partner_service

RACERS, ROUNDS = 8, 5


def _reservations(container, count: int) -> list[int]:
    """`count` reservations of voucher RACE of tenant 1 (limit 100)."""
    with container.uow() as repos:
        ensure_partner(repos, 1, "Racing Studio")
    container.vouchers.create(1, "RACE", 100, None)
    return [container.redemptions.redeem(1, "RACE", f"user{number}@x.io")["redemption"]["id"]
            for number in range(count)]


def _counted(container) -> int:
    with container.db.unit_of_work(write=False) as session:
        return session.scalar(select(Voucher.redemptions).where(Voucher.code == "RACE"))


def _release_call(app, redemption_id: int):
    def release() -> int:
        return app.test_client().post(f"/internal/vouchers/redemptions/{redemption_id}/release",
                                      headers={"X-Client-Id": "1"}).status_code

    return release


def _confirm_call(container, redemption_id: int):
    def confirm_registration() -> None:
        with container.uow() as repos:
            confirm(repos, 1, redemption_id, 77, utcnow())

    return confirm_registration


def _concurrent_releases(database_url: str) -> tuple[Counter, int]:
    """(statuses, the voucher's count) after RACERS concurrent releases of each of ROUNDS reservations."""
    with own_partner_service(database_url) as (container, app):
        statuses = Counter()
        for redemption_id in _reservations(container, ROUNDS):
            statuses.update(at_once([_release_call(app, redemption_id)] * RACERS))
        return statuses, _counted(container)


def _release_against_confirmations(database_url: str) -> tuple[Counter, int, list[str], int]:
    """One release and two confirmations of each reservation at once: (release statuses, count, states, events)."""
    with own_partner_service(database_url) as (container, app):
        ids, statuses = _reservations(container, ROUNDS), Counter()
        for redemption_id in ids:
            confirm_call = _confirm_call(container, redemption_id)
            statuses.update(at_once([_release_call(app, redemption_id), confirm_call, confirm_call])[:1])
        table = orm.outbox.table
        with container.db.unit_of_work(write=False) as session:
            states = list(session.scalars(select(Redemption.status).order_by(Redemption.id)))
            events = len(session.execute(select(table.c.seq).where(table.c.type == "partner.voucher.redeemed")).all())
        return statuses, _counted(container), states, events


def test_concurrent_releases_on_sqlite_give_the_place_back_once(tmp_path):
    statuses, counted = _concurrent_releases(f"sqlite:///{tmp_path / 'partner.db'}")
    assert (statuses, counted) == (Counter({204: RACERS * ROUNDS}), 0)


@pytest.mark.postgres
def test_concurrent_releases_on_postgresql_give_the_place_back_once(postgres_database):
    statuses, counted = _concurrent_releases(postgres_database)
    assert (statuses, counted) == (Counter({204: RACERS * ROUNDS}), 0)


@pytest.mark.postgres
def test_a_release_racing_confirmations_on_postgresql_leaves_one_counted_confirmed_user(postgres_database):
    statuses, counted, states, events = _release_against_confirmations(postgres_database)
    assert set(statuses) <= {204, 409}
    assert (counted, states, events) == (ROUNDS, ["confirmed"] * ROUNDS, ROUNDS)


def test_a_release_racing_confirmations_on_sqlite_leaves_one_counted_confirmed_user(tmp_path):
    statuses, counted, states, events = _release_against_confirmations(f"sqlite:///{tmp_path / 'partner.db'}")
    assert set(statuses) <= {204, 409}
    assert (counted, states, events) == (ROUNDS, ["confirmed"] * ROUNDS, ROUNDS)
