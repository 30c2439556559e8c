"""The trainer's dashboard, answered from the portal's own read models (so it answers with peers down)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.principal import Principal

from ..adapters.repository import Repositories
from ..domain.model import UPCOMING_SESSIONS, periods, scope_of
from .views import client_of, local, revenue


def _booking(row: Any, timezone: str) -> dict[str, Any]:
    return {"type": row.type, "id": row.id, "name": row.name, **local(row.starts_at, timezone),
            "starts_at": row.starts_at, "ends_at": row.ends_at, "status": row.status, "client": client_of(row),
            "participants": row.participants}


def _session(row: Any, timezone: str) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, **local(row.starts_at, timezone), "starts_at": row.starts_at,
            "ends_at": row.ends_at, "status": row.status, "client": client_of(row)}


class Dashboard:
    """GET /trainer-portal/dashboard."""

    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uow, clock

    def show(self, principal: Principal) -> dict[str, Any]:
        """Today's bookings, this week's summary, revenue today/this week/this month, the next sessions."""
        scope = scope_of(principal)
        now = self.clock()
        with self.uow(write=False) as repos:
            timezone = repos.insights.timezone(scope) or "UTC"
            at = periods(now, timezone)
            earned = repos.insights.revenue(scope, at)
            week = repos.insights.week_summary(scope, at.week)
            today = repos.insights.day_bookings(scope, at.today)
            upcoming = repos.insights.upcoming_sessions(scope, now, UPCOMING_SESSIONS)
        first_day = local(at.week.starts, timezone)["date"]
        last_day = local(at.week.ends - timedelta(seconds=1), timezone)["date"]
        return {
            "timezone": timezone,
            "today": {"date": local(now, timezone)["date"],
                      "bookings": [_booking(row, timezone) for row in today]},
            "this_week": {"start_date": first_day, "end_date": last_day, "sessions": week.sessions,
                          "classes": week.classes, "new_clients": week.new_clients,
                          "cancellations": week.cancelled_sessions + week.cancelled_participations},
            "revenue": revenue(earned),
            "upcoming_sessions": [_session(row, timezone) for row in upcoming],
        }
