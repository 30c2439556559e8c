"""What callers ask the booking service for: frozen dataclasses, built by the API from parsed bodies."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from stvos_shared.principal import Principal


@dataclass(frozen=True)
class IdempotentRequest:
    """Who sent which Idempotency-Key with which request (`request_hash`: see `fingerprint`).

    A key answers for KEY_KEPT after its first success; after that it is forgotten (and pruned).
    """

    client_id: int
    user_id: int
    key: str
    request_hash: str


KEY_KEPT = timedelta(hours=24)


def fingerprint(method: str, path: str, body: Any) -> str:
    """A stable hash of a request: the same for equal JSON bodies whatever their key order."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class BookSession:
    principal: Principal
    trainer_id: int
    service_id: int
    slot_id: int
    notes: str | None = None


@dataclass(frozen=True)
class JoinClass:
    principal: Principal
    class_id: int
    payment_amount: Decimal


@dataclass(frozen=True)
class SubscribeProgramme:
    principal: Principal
    trainer_id: int
    programme_id: int
    start_date: date
    payment_amount: Decimal


@dataclass(frozen=True)
class UpdateBooking:
    """The trainer's change of one of their bookings; None leaves a field as it is."""

    principal: Principal
    booking_id: int
    status: str | None = None
    notes: str | None = None
    meeting_link: str | None = None


@dataclass(frozen=True)
class SetWindow:
    principal: Principal
    day_of_week: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class SetOverride:
    """A day off (start/end None) or other hours on one date."""

    principal: Principal
    date: date
    start_minute: int | None = None
    end_minute: int | None = None


@dataclass(frozen=True)
class AddTimeSlot:
    principal: Principal
    date: date
    start_minute: int
    end_minute: int
    service_id: int | None = None


@dataclass(frozen=True)
class SessionFilter:
    """Filters of a bookings list: status, trainer, local dates, page."""

    status: str | None = None
    trainer_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    page: int = 1
    limit: int = 20


@dataclass(frozen=True)
class StoredResponse:
    """A write's response: its HTTP status and body; `replayed` when it answers a retry of the same key."""

    status: int
    body: dict[str, Any]
    replayed: bool = field(default=False, compare=False)
