"""What users of a tenant see of its trainers: the list with search, a trainer's profile and offerings.

Each read sends at most two queries: the list one (its count and page in one statement); a trainer their
profile and one UNION of their offerings. On PostgreSQL they run in autocommit (`single_read`): no BEGIN and
COMMIT round trips; each statement sees one snapshot, as it did in the READ COMMITTED transaction before.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork

from ..adapters.repository import Repositories
from ..domain.commands import FindTrainers
from ..domain.errors import TrainerNotFound
from .views import public_group_class, public_programme, public_recorded_class, public_service, trainer_view


class TrainerDirectory:
    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uow, clock

    def find(self, command: FindTrainers) -> dict[str, Any]:
        """A page of the tenant's trainers by name, active ones unless asked otherwise."""
        with self.uow(write=False) as repos:
            rows, block = repos.trainers.find(command)
        return {"trainers": [trainer_view(row) for row in rows], "pagination": block}

    @staticmethod
    def _profile(repos: Repositories, client_id: int, trainer_id: int) -> dict[str, Any]:
        row = repos.trainers.profile(client_id, trainer_id)
        if row is None:
            raise TrainerNotFound()
        return trainer_view(row)

    def trainer(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """The profile with active services and programmes and upcoming classes."""
        with self.uow(write=False) as repos:
            profile = self._profile(repos, client_id, trainer_id)
            found = repos.directory.offerings(client_id, trainer_id, self.clock())
        return {**profile, "services": [public_service(row) for row in found["services"]],
                "classes": [public_group_class(row) for row in found["classes"]],
                "programmes": [public_programme(row) for row in found["programmes"]]}

    def services(self, client_id: int, trainer_id: int) -> list[dict[str, Any]]:
        with self.uow(write=False) as repos:
            self._profile(repos, client_id, trainer_id)
            return [public_service(row) for row in repos.directory.services(client_id, trainer_id)]

    def classes(self, client_id: int, trainer_id: int) -> dict[str, Any]:
        """Recorded classes and upcoming group classes with the places left."""
        with self.uow(write=False) as repos:
            self._profile(repos, client_id, trainer_id)
            found = repos.directory.classes(client_id, trainer_id, self.clock())
        return {"recorded_classes": [public_recorded_class(row) for row in found["recorded"]],
                "upcoming_group_classes": [public_group_class(row) for row in found["classes"]]}
