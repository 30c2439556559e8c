"""What the portal tells the others (payload contracts: stvos_shared.contracts.portal). Never a token."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.domain import DomainEvent


@dataclass(frozen=True)
class SessionLaunched(DomainEvent):
    """The trainer opened the video room of a booking (kind "session") or of a group class (kind "class")."""

    TYPE = "portal.session.launched"
    kind: str
    booking_id: int | None
    class_id: int | None
    trainer_id: int
    room: str
    url: str
    meeting_link: str | None
