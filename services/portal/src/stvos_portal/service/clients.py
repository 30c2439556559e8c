"""The trainer's clients: who they are, how much they book, and the trainer's notes and tags about them."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.pagination import pagination
from stvos_shared.principal import Principal

from ..adapters.repository import Repositories
from ..domain.commands import ListClients, UpdateClient
from ..domain.errors import ClientNotFound
from ..domain.model import TrainerScope, scope_of, tidy_tags
from .views import local


def _booking(row: Any, timezone: str | None) -> dict[str, Any]:
    return {"type": row.type, "id": row.id, "name": row.name, **local(row.starts_at, timezone),
            "starts_at": row.starts_at, "ends_at": row.ends_at}


def _client(row: Any, around: dict[tuple[int, bool], Any], timezone: str | None) -> dict[str, Any]:
    last, upcoming = around.get((row.user_id, False)), around.get((row.user_id, True))
    return {
        "user_id": row.user_id, "name": row.name, "email": row.email,
        "status": "active" if row.active else "inactive", "client_since": row.since,
        "sessions": row.sessions, "classes": row.classes, "programmes": row.programmes,
        "last_booking": _booking(last, timezone) if last else None,
        "next_booking": _booking(upcoming, timezone) if upcoming else None,
        "notes": row.notes, "tags": list(row.tags or []),
    }


class Clients:
    """GET /trainer-portal/clients and PUT /trainer-portal/clients/{userId}."""

    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uow, clock

    def list(self, principal: Principal, query: ListClients) -> dict[str, Any]:
        """A page of the trainer's clients, by name: four queries whatever the page size."""
        scope = scope_of(principal)
        with self.uow(write=False) as repos:
            clients, total = self._page(repos, scope, query.status, query.search, query.page, query.limit)
        return {"clients": clients, "pagination": pagination(query.page, query.limit, total)}

    def update(self, principal: Principal, command: UpdateClient) -> dict[str, Any]:
        """Replace the client's notes and/or tags; a user who is not this trainer's client is a 404."""
        scope = scope_of(principal)
        changes: dict[str, Any] = {}
        if command.notes is not None or command.clear_notes:
            changes["notes"] = command.notes
        if command.tags is not None:
            changes["tags"] = list(tidy_tags(command.tags))
        with self.uow() as repos:
            if not repos.clients.annotate(scope, command.user_id, changes):
                raise ClientNotFound()
            clients, _ = self._page(repos, scope, None, None, 1, 1, command.user_id)
        return {"client": clients[0]}

    def _page(self, repos: Repositories, scope: TrainerScope, status: str | None, search: str | None, page: int,
              limit: int, user_id: int | None = None) -> tuple[list[dict[str, Any]], int]:
        now = self.clock()
        rows, total = repos.clients.page(scope, now, status, search, page, limit, user_id)
        if not rows:
            return [], total
        around = {(row.user_id, bool(row.ahead)): row
                  for row in repos.clients.last_and_next(scope, [row.user_id for row in rows], now)}
        timezone = repos.insights.timezone(scope)
        return [_client(row, around, timezone) for row in rows], total
