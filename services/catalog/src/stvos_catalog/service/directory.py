"""What users of a tenant see of its trainers: the list with search, a trainer's profile and offerings.

Each read sends at most two queries: the list one (its count and page in one statement); a trainer their
profile and one UNION of their offerings. On PostgreSQL they run in autocommit (`single_read`): no BEGIN and
COMMIT round trips; each statement sees one snapshot, as it did in the READ COMMITTED transaction before.

A page of the list is remembered with the tenant's directory version it was read at (trainer_counts.version,
moved in the same transaction as every change the list shows: Trainers.changed). Asked again, it is answered
from memory once one cheap statement has read that the version has not moved since, so an answer is never
older than the last committed change, in any worker; a page asked for the first time is read as before. The answer
is `Remembered`: its first response's bytes are kept with it and sent again (api.Blueprint.response).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.remembered import Remembered

from ..adapters.repository import Repositories
from ..domain.commands import FindTrainers
from ..domain.errors import TrainerNotFound
from .views import public_group_class, public_programme, public_recorded_class, public_service, trainer_view


class RecentPages:
    """Answers with the version they were read at, least recently used first out, up to `capacity` trainers in
    all (a page weighs its trainers and one). Answers are shared: nobody may change one."""

    def __init__(self, capacity: int) -> None:
        self.capacity, self._held = capacity, 0
        self._pages: OrderedDict[Hashable, tuple[int, dict[str, Any], int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[int, dict[str, Any]] | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None
            self._pages.move_to_end(key)
            return entry[0], entry[1]

    def put(self, key: Hashable, version: int, answer: dict[str, Any], weight: int) -> None:
        if weight > self.capacity:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            self._held += weight - (old[2] if old else 0)
            self._pages[key] = (version, answer, weight)
            while self._held > self.capacity:
                _, (_, _, dropped) = self._pages.popitem(last=False)
                self._held -= dropped


class TrainerDirectory:
    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime], cached_trainers: int = 0) -> None:
        self.uow, self.clock = uow, clock
        self.pages = RecentPages(cached_trainers)

    def find(self, command: FindTrainers) -> dict[str, Any]:
        """A page of the tenant's trainers by name, active ones unless asked otherwise: from memory while the
        tenant's directory version is the one it was read at (one statement; two when the page it held is stale)."""
        held = self.pages.get(command)
        with self.uow(write=False) as repos:
            if held is not None and repos.trainers.version(command.client_id) == held[0]:
                return held[1]
            rows, block, version = repos.trainers.find(command)
        answer = Remembered(trainers=[trainer_view(row) for row in rows], pagination=block)  # encoded once
        self.pages.put(command, version, answer, len(rows) + 1)
        return answer

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
