"""A trainer's public profile and how it merges what two sources say about it.

The partner admin keeps the trainer record (partner.trainer.* carries the whole record after each change);
the trainer edits their own profile (the portal forwards it to the internal API). Each field keeps the time
its value was set. A partner record is applied only if it is newer than the last one applied (a duplicate or
late event changes nothing), and of it only the fields the admin changed since that last record, and only
where that change is newer than the field's value: a record that deactivates a trainer does not undo the
bio the trainer wrote since.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

FIELDS = ("name", "bio", "image", "specialisations", "timezone", "active")
OWN_FIELDS = ("name", "bio", "image", "specialisations", "timezone")  # what a trainer may change themselves


@dataclass(frozen=True)
class Profile:
    name: str
    bio: str | None
    image: str | None
    specialisations: tuple[str, ...]
    timezone: str
    active: bool

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Profile:
        return cls(**{name: values[name] for name in FIELDS if name != "specialisations"},
                   specialisations=tuple(values["specialisations"]))

    def as_record(self) -> dict[str, Any]:
        """JSON-ready (specialisations as a list)."""
        return {**asdict(self), "specialisations": list(self.specialisations)}


@dataclass(frozen=True)
class ProfileState:
    """A profile, when each field was last set, and the last partner record applied (with its time)."""

    profile: Profile
    stamps: Mapping[str, datetime] = field(default_factory=dict)
    partner_record: Profile | None = None
    partner_at: datetime | None = None


def first_record(record: Profile, at: datetime) -> ProfileState:
    return ProfileState(record, dict.fromkeys(FIELDS, at), record, at)


def apply_partner_record(state: ProfileState, record: Profile, at: datetime) -> ProfileState | None:
    """The state after a partner record of time `at`; None when it is not newer than the last one applied."""
    if state.partner_at is not None and at <= state.partner_at:
        return None
    previous = state.partner_record
    changed = [name for name in FIELDS if previous is None or getattr(previous, name) != getattr(record, name)]
    newer = [name for name in changed if name not in state.stamps or at > state.stamps[name]]
    profile = replace(state.profile, **{name: getattr(record, name) for name in newer})
    return ProfileState(profile, {**state.stamps, **dict.fromkeys(newer, at)}, record, at)


def apply_own_changes(state: ProfileState, changes: Mapping[str, Any], at: datetime) -> ProfileState:
    """The state after the trainer changed some of OWN_FIELDS at `at`."""
    values = {name: tuple(value) if name == "specialisations" else value
              for name, value in changes.items() if name in OWN_FIELDS}
    stamps = {**state.stamps, **dict.fromkeys(values, at)}
    return replace(state, profile=replace(state.profile, **values), stamps=stamps)


def change_kind(before: Profile | None, after: Profile) -> str | None:
    """Which catalog.trainer.* event a change is: "created", "deactivated", "updated", or None (no change)."""
    if before is None:
        return "created"
    if before == after:
        return None
    return "deactivated" if before.active and not after.active else "updated"
