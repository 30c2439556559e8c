"""The trainer's profile: catalog's (with the trainer's own token) plus statistics from the read models."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.principal import Principal

from ..adapters.catalog import TrainerProfiles
from ..adapters.repository import Repositories
from ..domain.commands import UpdateProfile
from ..domain.errors import TrainerNotFound
from ..domain.model import periods as periods_at
from ..domain.model import scope_of
from .views import revenue


class Profiles:
    """GET and PUT /trainer-portal/profile."""

    def __init__(self, uow: UnitOfWork[Repositories], catalog: TrainerProfiles, clock: Callable[[], datetime]) -> None:
        self.uow, self.catalog, self.clock = uow, catalog, clock

    def show(self, principal: Principal) -> dict[str, Any]:
        """The profile as catalog keeps it, and the trainer's figures (catalog down: 503)."""
        scope = scope_of(principal)
        profile = self._own(self.catalog.get(), scope.trainer_id)
        now = self.clock()
        with self.uow(write=False) as repos:
            figures = repos.insights.statistics(scope, now)
            earned = repos.insights.revenue(scope, periods_at(now, profile["timezone"]))
        statistics = {name: int(getattr(figures, name)) for name in figures._fields}
        statistics["revenue_this_month"] = revenue(earned)["this_month"]
        return {"profile": profile, "statistics": statistics}

    def update(self, principal: Principal, command: UpdateProfile) -> dict[str, Any]:
        """Forward the change to catalog, which owns the profile and announces it."""
        scope = scope_of(principal)
        return {"profile": self._own(self.catalog.update(dict(command.changes)), scope.trainer_id)}

    @staticmethod
    def _own(profile: dict[str, Any], trainer_id: int) -> dict[str, Any]:
        if profile.get("id") != trainer_id:  # catalog answers for the token's trainer; anything else is not ours
            raise TrainerNotFound()
        return profile
