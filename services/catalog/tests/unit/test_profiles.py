"""How a trainer's profile merges the partner admin's records with the trainer's own changes."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from stvos_catalog.domain.profiles import (
    Profile,
    apply_own_changes,
    apply_partner_record,
    change_kind,
    first_record,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
RECORD = Profile("Coach Mike", "Admin's bio", None, ("HIIT",), "Europe/London", True)


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def test_a_newer_record_replaces_what_the_admin_changed():
    state = apply_partner_record(first_record(RECORD, T0), replace(RECORD, name="Coach Michael"), minutes(1))
    assert state.profile == replace(RECORD, name="Coach Michael")


def test_a_late_or_repeated_record_changes_nothing():
    state = apply_partner_record(first_record(RECORD, T0), replace(RECORD, name="Newest"), minutes(2))
    assert apply_partner_record(state, replace(RECORD, name="Late"), minutes(1)) is None
    assert apply_partner_record(state, replace(RECORD, name="Newest"), minutes(2)) is None


def test_the_trainers_own_words_survive_an_admin_change_of_something_else():
    state = apply_own_changes(first_record(RECORD, T0), {"bio": "My words"}, minutes(1))
    state = apply_partner_record(state, replace(RECORD, active=False), minutes(2))
    assert (state.profile.bio, state.profile.active) == ("My words", False)


def test_an_admin_change_older_than_the_trainers_loses_and_a_newer_one_wins():
    state = apply_own_changes(first_record(RECORD, T0), {"name": "Mike the trainer"}, minutes(5))
    older = apply_partner_record(state, replace(RECORD, name="Admin at 3"), minutes(3))
    assert older.profile.name == "Mike the trainer"
    newer = apply_partner_record(older, replace(RECORD, name="Admin at 6"), minutes(6))
    assert newer.profile.name == "Admin at 6"


def test_which_event_a_change_is():
    assert change_kind(None, RECORD) == "created"
    assert change_kind(RECORD, RECORD) is None
    assert change_kind(RECORD, replace(RECORD, active=False)) == "deactivated"
    assert change_kind(replace(RECORD, active=False), RECORD) == "updated"
    assert change_kind(RECORD, replace(RECORD, bio=None)) == "updated"


def test_a_trainer_cannot_change_their_own_active_flag():
    state = apply_own_changes(first_record(RECORD, T0), {"active": False, "timezone": "UTC"}, minutes(1))
    assert (state.profile.active, state.profile.timezone) == (True, "UTC")
