"""Wrong passwords sent at the same moment: every one of them counts toward the lockout."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import select
from stvos_partner.adapters.orm import Staff
from stvos_partner.admin import create_partner_staff

from services.partner.tests.support import PASSWORD, at_once, own_partner_service

RACERS = 16


def _wrong_passwords_at_once(database_url: str, threshold: int) -> tuple[Counter, int, datetime | None]:
    """(statuses, the failure count, locked-until) after RACERS concurrent logins with a wrong password."""
    with own_partner_service(database_url, lockout_threshold=threshold, login_account_limit=2 * RACERS) as (c, app):
        create_partner_staff(c, 1, "boss@studio.test", PASSWORD)

        def wrong_login():
            body = {"email": "boss@studio.test", "password": "not the password"}
            return app.test_client().post("/partner-auth/login", json=body).status_code

        statuses = Counter(at_once([wrong_login] * RACERS))
        with c.db.unit_of_work(write=False) as session:
            failures, locked_until = session.execute(select(Staff.failed_logins, Staff.locked_until)).one()
        return statuses, failures, locked_until


def test_concurrent_wrong_passwords_on_sqlite_are_all_counted(tmp_path):
    statuses, failures, locked_until = _wrong_passwords_at_once(f"sqlite:///{tmp_path / 'partner.db'}", 100)
    assert statuses == Counter({401: RACERS})
    assert (failures, locked_until) == (RACERS, None)


@pytest.mark.postgres
def test_concurrent_wrong_passwords_on_postgresql_are_all_counted(postgres_database):
    statuses, failures, locked_until = _wrong_passwords_at_once(postgres_database, 100)
    assert statuses == Counter({401: RACERS})
    assert (failures, locked_until) == (RACERS, None)


@pytest.mark.postgres
def test_the_threshold_th_of_concurrent_failures_locks_and_the_rest_count_again(postgres_database):
    statuses, failures, locked_until = _wrong_passwords_at_once(postgres_database, 10)
    assert statuses == Counter({401: RACERS})
    assert failures == RACERS - 10
    assert locked_until is not None
