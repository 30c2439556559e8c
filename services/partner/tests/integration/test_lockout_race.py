"""Wrong passwords sent at the same moment from one address: each counts, exactly, toward that address's wait."""
from __future__ import annotations

from collections import Counter

import pytest
from stvos_partner.admin import create_partner_staff

from services.partner.tests.support import PASSWORD, at_once, own_partner_service

RACERS = 16
ALLOWED = 5


def _wrong_passwords_at_once(database_url: str) -> Counter:
    """The statuses of RACERS concurrent logins with a wrong password from one address."""
    with own_partner_service(database_url, login_pair_failures=ALLOWED, login_address_limit=10 * RACERS) as (c, app):
        create_partner_staff(c, 1, "boss@studio.test", PASSWORD)

        def wrong_login():
            body = {"email": "boss@studio.test", "password": "not the password"}
            return app.test_client().post("/partner-auth/login", json=body,
                                          headers={"X-Real-IP": "10.0.0.1"}).status_code

        statuses = Counter(at_once([wrong_login] * RACERS))
        right = app.test_client().post("/partner-auth/login", json={"email": "boss@studio.test", "password": PASSWORD},
                                       headers={"X-Real-IP": "10.0.0.2"})
        assert right.status_code == 200, "another address is never refused the right password"
        return statuses


def test_concurrent_wrong_passwords_on_sqlite_are_counted_exactly(tmp_path):
    assert _wrong_passwords_at_once(f"sqlite:///{tmp_path / 'partner.db'}") == Counter(
        {401: ALLOWED, 429: RACERS - ALLOWED})


@pytest.mark.postgres
def test_concurrent_wrong_passwords_on_postgresql_are_counted_exactly(postgres_database):
    assert _wrong_passwords_at_once(postgres_database) == Counter({401: ALLOWED, 429: RACERS - ALLOWED})
