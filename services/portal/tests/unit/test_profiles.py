"""The profile use case with a fake catalog: the caller's own profile only; changes go to catalog as sent."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from stvos_portal.domain.commands import UpdateProfile
from stvos_portal.domain.errors import TrainerNotFound
from stvos_portal.service.profile import Profiles
from stvos_shared.principal import Principal

from .fakes import FakeProfiles, FakeUnitOfWork

TRAINER = Principal(user_id=900, role="trainer", client_id=3, trainer_id=5)


def profile(trainer_id: int = 5) -> dict:
    return {"id": trainer_id, "name": "Coach Mike", "bio": None, "image": None, "specialisations": [],
            "timezone": "Europe/London", "active": True}


def test_changes_go_to_catalog_exactly_as_sent():
    catalog = FakeProfiles(profile())
    profiles = Profiles(FakeUnitOfWork(), catalog, lambda: datetime(2026, 3, 4, tzinfo=UTC))

    answer = profiles.update(TRAINER, UpdateProfile({"bio": None, "name": "Mike"}))

    assert catalog.changes == [{"bio": None, "name": "Mike"}]
    assert answer == {"profile": {**profile(), "name": "Mike"}}


def test_a_profile_of_another_trainer_is_never_shown():
    profiles = Profiles(FakeUnitOfWork(), FakeProfiles(profile(trainer_id=6)), lambda: datetime.now(UTC))

    with pytest.raises(TrainerNotFound):
        profiles.show(TRAINER)
    with pytest.raises(TrainerNotFound):
        profiles.update(TRAINER, UpdateProfile({"bio": "x"}))
