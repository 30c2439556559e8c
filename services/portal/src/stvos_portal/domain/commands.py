"""What a trainer asks the portal to do, as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class UpdateProfile:
    """The profile fields to change (only those sent); catalog owns the profile and validates it again."""

    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListClients:
    status: Literal["active", "inactive"] | None = None
    search: str | None = None
    page: int = 1
    limit: int = 20


@dataclass(frozen=True)
class UpdateClient:
    """New notes and/or tags for one client; a field that was not sent is None and kept."""

    user_id: int
    notes: str | None = None
    tags: tuple[str, ...] | None = None
    clear_notes: bool = False


@dataclass(frozen=True)
class LaunchSession:
    """Open the video room of a booking ("booking") or of a group class ("class")."""

    kind: Literal["booking", "class"]
    target_id: int
