"""The booking service's internal API, as the portal needs it: one of the trainer's own bookings."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from stvos_shared.errors import ServiceUnavailable
from stvos_shared.service_client import ServiceClient

from ..domain.errors import BookingNotFound
from ._http import instant, payload


@dataclass(frozen=True)
class Booking:
    id: int
    trainer_id: int
    user_id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    timezone: str


class Bookings(Protocol):
    def get(self, booking_id: int) -> Booking:
        """One of the caller's bookings (BookingNotFound for anyone else's)."""


class BookingClient:
    """GET /internal/bookings/{id} on booking, with the trainer's own token."""

    def __init__(self, client: ServiceClient) -> None:
        self._client = client

    def get(self, booking_id: int) -> Booking:
        found = payload(self._client.get(f"/internal/bookings/{booking_id}"), "booking", BookingNotFound,
                        "BOOKING_NOT_FOUND")
        try:
            return Booking(int(found["id"]), int(found["trainerId"]), int(found["userId"]), str(found["status"]),
                           instant(found["startsAt"]), instant(found["endsAt"]), str(found["timezone"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ServiceUnavailable("The booking service gave an unexpected answer; nothing was changed.") from error
