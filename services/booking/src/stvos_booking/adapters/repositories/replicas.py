"""The replicas of other services' facts: each upsert keeps the newest by the event's time."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..orm import Service, Trainer, User


class Replicas:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _upsert(self, table: Any, values: dict[str, Any], occurred_at: datetime) -> bool:
        current = self.session.get(table, values["id"])
        if current is None:
            self.session.add(table(**values, source_updated_at=occurred_at))
            return True
        if current.client_id != values["client_id"] or current.source_updated_at > occurred_at:
            return False
        for name, value in values.items():
            setattr(current, name, value)
        current.source_updated_at = occurred_at
        return True

    def upsert_trainer(self, values: dict[str, Any], occurred_at: datetime) -> bool:
        return self._upsert(Trainer, values, occurred_at)

    def upsert_service(self, values: dict[str, Any], occurred_at: datetime) -> bool:
        return self._upsert(Service, values, occurred_at)

    def upsert_user(self, values: dict[str, Any]) -> None:
        """A user registers once; a duplicate of the event changes nothing."""
        if self.session.get(User, values["id"]) is None:
            self.session.add(User(**values))
