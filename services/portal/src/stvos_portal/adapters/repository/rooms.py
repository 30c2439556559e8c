"""Launched video rooms: at most one per booking or class, whoever launches first."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..orm import Room
from ._sql import upsert


class Rooms:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, client_id: int, kind: str, target_id: int) -> Room | None:
        query = select(Room).where(Room.client_id == client_id, Room.kind == kind, Room.target_id == target_id)
        return self.session.scalar(query)

    def add_once(self, values: dict[str, Any]) -> tuple[Room, bool]:
        """The room of values' booking or class, and whether this call created it (a concurrent launch may win)."""
        statement = upsert(self.session, Room).values(**values).on_conflict_do_nothing().returning(Room.target_id)
        created = self.session.execute(statement).first() is not None
        room = self.get(values["client_id"], values["kind"], values["target_id"])
        if room is None:  # another tenant's room with this name would be a bug in room naming
            raise LookupError(f"room {values['room']} exists for another booking or class")
        return room, created
