"""What the repositories share: the caller's scope as a filter and the dialect's INSERT ... ON CONFLICT."""
from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ...domain.model import TrainerScope


def upsert(session: Session, model: Any) -> Any:
    """INSERT for `model` with ON CONFLICT support, on SQLite as on PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return (sqlite_insert if dialect == "sqlite" else postgresql_insert)(model)


def owned(model: Any, scope: TrainerScope) -> tuple[Any, Any]:
    """Rows of this tenant and this trainer only."""
    return model.client_id == scope.client_id, model.trainer_id == scope.trainer_id
