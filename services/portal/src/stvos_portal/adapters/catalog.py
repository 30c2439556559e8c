"""The catalog service's internal API, as the portal needs it: the trainer's own profile and group classes.

Called with the trainer's own bearer token and X-Client-Id (ServiceClient forwards them), so catalog
answers only for the caller's own trainer record.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from stvos_shared.errors import ServiceUnavailable
from stvos_shared.service_client import ServiceClient

from ..domain.errors import ClassNotFound, TrainerNotFound
from ._http import instant, payload

PROFILE_FIELDS = ("id", "name", "bio", "image", "specialisations", "timezone", "active")


@dataclass(frozen=True)
class GroupClass:
    id: int
    trainer_id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int
    active: bool


class TrainerProfiles(Protocol):
    def get(self) -> dict[str, Any]:
        """The caller's profile (TrainerNotFound while catalog does not know the trainer)."""

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Change the caller's profile; catalog publishes catalog.trainer.updated."""


class GroupClasses(Protocol):
    def get(self, class_id: int) -> GroupClass:
        """One of the caller's group classes (ClassNotFound for anyone else's)."""


def _profile(trainer: dict[str, Any]) -> dict[str, Any]:
    if any(name not in trainer for name in PROFILE_FIELDS):
        raise ServiceUnavailable("The catalog gave an unexpected answer; nothing was changed.")
    return {name: trainer[name] for name in PROFILE_FIELDS}


class CatalogProfiles:
    """GET and PUT /internal/trainer-profile on catalog."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def get(self) -> dict[str, Any]:
        response = self._client.get("/internal/trainer-profile")
        return _profile(payload(response, "trainer", TrainerNotFound, "TRAINER_NOT_FOUND"))

    def update(self, changes: dict[str, Any]) -> dict[str, Any]:
        response = self._client.request("PUT", "/internal/trainer-profile", json_body=changes)
        return _profile(payload(response, "trainer", TrainerNotFound, "TRAINER_NOT_FOUND"))


class CatalogGroupClasses:
    """GET /internal/group-classes/{id} on catalog."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def get(self, class_id: int) -> GroupClass:
        found = payload(self._client.get(f"/internal/group-classes/{class_id}"), "groupClass", ClassNotFound,
                        "CLASS_NOT_FOUND")
        try:
            return GroupClass(int(found["id"]), int(found["trainerId"]), str(found["name"]), instant(found["startsAt"]),
                              instant(found["endsAt"]), str(found["timezone"]), int(found["capacity"]),
                              bool(found["active"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ServiceUnavailable("The catalog gave an unexpected answer; nothing was changed.") from error
