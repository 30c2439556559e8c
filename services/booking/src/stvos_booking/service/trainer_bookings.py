"""The trainer's bookings list, with each client's name (from auth.user.registered)."""
from __future__ import annotations

from typing import Any

from stvos_shared.principal import Principal

from ..adapters.unit_of_work import UnitOfWork
from ..domain.commands import SessionFilter
from . import views


class TrainerBookings:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def list(self, principal: Principal, filters: SessionFilter) -> dict[str, Any]:
        """A page of the trainer's own bookings (status, local dates), soonest first: two queries."""
        with self.uow(write=False) as repos:
            rows, pagination = repos.bookings.of_trainer(principal.client_id, principal.trainer_id, filters)
        return {"bookings": [views.booking(row.SessionBooking, client=views.user(
            row.SessionBooking.user_id, row.user_name, row.user_email)) for row in rows], "pagination": pagination}
