"""The partner service's plain rules: passwords, codes, timezones, voucher state."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from stvos_partner.domain import model as rules
from stvos_shared.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("password", "ok"), [("x" * 7, False), ("x" * 8, True), ("x" * 128, True),
                                               ("x" * 129, False)])
def test_passwords_must_be_8_to_128_characters(password, ok):
    assert (rules.password_problem(password) is None) is ok


def test_password_limits_are_the_platforms_shared_ones():
    assert rules.password_problem("x" * PASSWORD_MIN_LENGTH) is None
    assert rules.password_problem("x" * PASSWORD_MAX_LENGTH) is None
    assert rules.password_problem("x" * (PASSWORD_MIN_LENGTH - 1)) is not None
    assert rules.password_problem("x" * (PASSWORD_MAX_LENGTH + 1)) is not None


def test_voucher_codes_compare_case_insensitively():
    assert rules.normalise_code(" studio-abc123 ") == "STUDIO-ABC123"


@pytest.mark.parametrize(("code", "ok"), [("ABC", True), ("STUDIO-ABC_123", True), ("AB", False),
                                          ("-ABC", False), ("A B C", False), ("A" * 41, False)])
def test_voucher_code_shape(code, ok):
    assert rules.is_voucher_code(code) is ok


def test_generated_codes_avoid_look_alike_characters_and_fit_the_shape():
    codes = {rules.generate_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(rules.is_voucher_code(code) and not set(code) & set("IO01") for code in codes)


def test_timezones_are_iana_names():
    assert rules.is_timezone("Europe/London") and rules.is_timezone("UTC")
    assert not rules.is_timezone("Mars/Olympus") and not rules.is_timezone("+02:00")


@pytest.mark.parametrize(("limit", "used", "expires", "problem"), [
    (None, 1000, None, None),
    (3, 2, None, None),
    (3, 3, None, "EXHAUSTED"),
    (3, 0, NOW, "EXPIRED"),
    (3, 3, NOW - timedelta(days=1), "EXPIRED"),
    (None, 0, NOW + timedelta(seconds=1), None),
])
def test_a_voucher_is_redeemable_until_it_expires_or_runs_out(limit, used, expires, problem):
    assert rules.voucher_problem(limit, used, expires, NOW) == problem
