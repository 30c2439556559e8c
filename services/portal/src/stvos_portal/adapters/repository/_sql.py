"""What the repositories share: the caller's scope as a filter and the dialect's INSERT ... ON CONFLICT."""
from __future__ import annotations

from typing import Any

from stvos_shared.db import upsert

from ...domain.model import TrainerScope

__all__ = ["owned", "upsert"]


def owned(model: Any, scope: TrainerScope) -> tuple[Any, Any]:
    """Rows of this tenant and this trainer only."""
    return model.client_id == scope.client_id, model.trainer_id == scope.trainer_id
