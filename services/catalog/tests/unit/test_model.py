"""The catalog's rules, without I/O."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from stvos_catalog.domain import model


@pytest.mark.parametrize(("price", "problem"), [
    ("0", None), ("75", None), ("75.5", None), ("75.00", None), ("99999999.99", None),
    ("-0.01", "Must not be negative."), ("75.001", "At most two decimal places."),
    ("100000000", "Must not be more than 99999999.99."), ("NaN", "Must be a number."),
    ("1" + "0" * 30, "Must not be more than 99999999.99."),  # once quantize's InvalidOperation: a 500
    ("123456789012345678901234567890.5", "Must not be more than 99999999.99.")])
def test_a_price_is_at_least_zero_with_at_most_two_decimals(price, problem):
    assert model.price_problem(Decimal(price)) == problem


def test_money_is_shown_with_two_decimals():
    assert str(model.money(Decimal("75"))) == "75.00"
    assert str(model.money(Decimal("299.5"))) == "299.50"


@pytest.mark.parametrize(("code", "known"), [("GBP", True), ("EUR", True), ("JPY", True), ("gbp", False),
                                             ("XYZ", False), ("XAU", False), ("HRK", False)])
def test_only_current_iso_4217_codes_are_currencies(code, known):
    assert model.is_currency(code) is known


def test_a_local_time_becomes_the_utc_instant_of_that_wall_clock():
    assert model.local_start(date(2026, 7, 1), time(18, 30), "Europe/London") == datetime(2026, 7, 1, 17, 30,
                                                                                         tzinfo=UTC)
    assert model.local_start(date(2026, 1, 15), time(18, 30), "Europe/London") == datetime(2026, 1, 15, 18, 30,
                                                                                          tzinfo=UTC)


def test_a_skipped_local_time_does_not_exist():
    with pytest.raises(model.NonexistentLocalTime):
        model.local_start(date(2026, 3, 29), time(1, 30), "Europe/London")  # clocks go 01:00 -> 02:00


def test_a_repeated_local_time_is_its_first_pass():
    assert model.local_start(date(2026, 10, 25), time(1, 30), "Europe/London") == datetime(2026, 10, 25, 0, 30,
                                                                                          tzinfo=UTC)


def test_the_schedule_is_read_on_the_wall_clock_of_the_timezone():
    starts = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert model.local_schedule(starts, "Asia/Tokyo") == (date(2026, 3, 2), "08:30")
    assert model.in_zone(starts, "Asia/Tokyo").isoformat() == "2026-03-02T08:30:00+09:00"


def test_spots_left_never_go_below_zero():
    assert (model.spots_left(10, 3), model.spots_left(5, 6)) == (7, 0)


def test_a_capacity_below_the_participants_is_refused():
    assert model.capacity_problem(5, 6) is not None
    assert model.capacity_problem(6, 6) is None


NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(("usable", "expires_at", "max_uses", "uses", "reason"), [
    (True, None, None, 1000, None), (True, NOW + timedelta(seconds=1), 5, 4, None),
    (False, None, None, 0, "NOT_FOUND"), (True, NOW, None, 0, "EXPIRED"), (True, None, 5, 5, "EXHAUSTED"),
    (True, NOW - timedelta(days=1), 5, 5, "EXPIRED")])
def test_why_an_invite_code_cannot_be_used(usable, expires_at, max_uses, uses, reason):
    assert model.invite_problem(usable, expires_at, max_uses, uses, NOW) == reason


def test_generated_codes_are_valid_codes_without_look_alike_characters():
    codes = {model.generate_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(model.is_invite_code(code) and not set(code) & set("IO01") for code in codes)


@pytest.mark.parametrize(("code", "valid"), [("COACH-MIKE-2026", True), ("ab", False), ("-ABC", False),
                                             ("A" * 41, False), ("SPACE D", False)])
def test_invite_codes_are_3_to_40_letters_digits_dashes_or_underscores(code, valid):
    assert model.is_invite_code(code) is valid


def test_search_matches_the_name_and_specialisations_lower_cased():
    assert model.search_text("Coach Mike", ["HIIT", "Strength"]) == "coach mike hiit strength"
    assert model.search_needle("  MiKe ") == "mike"
