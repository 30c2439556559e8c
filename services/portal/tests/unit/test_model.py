"""The portal's rules: periods in the trainer's zone, money, launch windows, tags, the caller's scope."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from stvos_portal.domain.errors import NotATrainer
from stvos_portal.domain.model import (
    booking_launch_problem,
    class_launch_problem,
    is_timezone,
    money_totals,
    periods,
    scope_of,
    tidy_tags,
    to_minor,
)
from stvos_shared.principal import Principal


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_today_this_week_and_this_month_are_the_trainers_local_ones():
    at = periods(utc(2026, 3, 4, 20), "Asia/Tokyo")  # Thursday 05:00 in Tokyo

    assert (at.today.starts, at.today.ends) == (utc(2026, 3, 4, 15), utc(2026, 3, 5, 15))
    assert (at.week.starts, at.week.ends) == (utc(2026, 3, 1, 15), utc(2026, 3, 8, 15))  # Monday to Sunday
    assert (at.month.starts, at.month.ends) == (utc(2026, 2, 28, 15), utc(2026, 3, 31, 15))


def test_a_week_with_a_daylight_saving_change_is_167_hours_long():
    at = periods(utc(2026, 3, 25, 12), "Europe/London")  # clocks go forward on Sunday 2026-03-29

    assert at.week.starts == utc(2026, 3, 23, 0) and at.week.ends == utc(2026, 3, 29, 23)
    assert at.week.ends - at.week.starts == timedelta(hours=167)


def test_an_unknown_zone_counts_in_utc():
    assert periods(utc(2026, 3, 4, 12), "Nowhere/Land").today.starts == utc(2026, 3, 4)
    assert not is_timezone("Nowhere/Land") and is_timezone("Europe/London")


def test_money_is_summed_exactly_per_currency():
    pairs = [("GBP", to_minor(Decimal("0.10")))] * 3 + [("USD", 5000), ("GBP", 0)]

    assert money_totals(pairs) == [{"amount": Decimal("0.30"), "currency": "GBP"},
                                   {"amount": Decimal("50.00"), "currency": "USD"}]


@pytest.mark.parametrize("status, ends, problem", [
    ("confirmed", utc(2026, 3, 4, 11), None),
    ("confirmed", utc(2026, 3, 4, 10, 59), "ended"),
    ("cancelled", utc(2026, 3, 5), "cancelled"),
    ("completed", utc(2026, 3, 5), "completed"),
    ("no_show", utc(2026, 3, 5), "no_show"),
])
def test_a_booking_may_be_launched_while_confirmed_until_an_hour_after_it_ends(status, ends, problem):
    assert booking_launch_problem(status, ends, utc(2026, 3, 4, 12)) == problem


def test_a_class_may_be_launched_while_active_until_an_hour_after_it_ends():
    now = utc(2026, 3, 4, 12)
    assert class_launch_problem(True, utc(2026, 3, 4, 11), now) is None
    assert class_launch_problem(False, utc(2026, 3, 5), now) == "cancelled"
    assert class_launch_problem(True, utc(2026, 3, 4, 10), now) == "ended"


def test_tags_are_trimmed_and_kept_once_whatever_their_case():
    assert tidy_tags([" VIP ", "vip", "knee  injury", "", "Knee injury"]) == ("VIP", "knee injury")


def test_only_a_trainer_with_a_trainer_record_has_a_scope():
    assert scope_of(Principal(1, "trainer", 3, 5)).trainer_id == 5
    with pytest.raises(NotATrainer):
        scope_of(Principal(1, "user", 3, None))
    with pytest.raises(NotATrainer):
        scope_of(Principal(1, "trainer", 3, None))
