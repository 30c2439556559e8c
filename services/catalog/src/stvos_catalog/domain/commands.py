"""What a caller asks the catalog to do. A change carries only the fields the caller sent."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from .model import DEFAULT_CURRENCY


@dataclass(frozen=True)
class Owner:
    """The trainer acting on their own offerings, in their tenant."""

    client_id: int
    trainer_id: int


@dataclass(frozen=True)
class ListPage:
    page: int
    limit: int
    active: bool | None = None


@dataclass(frozen=True)
class FindTrainers:
    client_id: int
    page: int
    limit: int
    active: bool = True
    search: str | None = None


@dataclass(frozen=True)
class AddService:
    name: str
    duration: int
    price: Decimal
    currency: str = DEFAULT_CURRENCY
    description: str | None = None
    cancellation_cutoff_hours: int | None = None
    active: bool = True


@dataclass(frozen=True)
class AddRecordedClass:
    name: str
    duration: int
    intensity: str
    video_url: str | None = None
    active: bool = True


@dataclass(frozen=True)
class ScheduleGroupClass:
    name: str
    scheduled_date: date
    scheduled_time: time
    duration: int
    capacity: int
    price: Decimal
    currency: str = DEFAULT_CURRENCY
    description: str | None = None
    cancellation_cutoff_hours: int | None = None


@dataclass(frozen=True)
class AddProgramme:
    name: str
    weeks: int
    price: Decimal
    currency: str = DEFAULT_CURRENCY
    description: str | None = None
    active: bool = True


@dataclass(frozen=True)
class AddInviteCode:
    code: str | None = None
    expires_at: datetime | None = None
    max_uses: int | None = None


@dataclass(frozen=True)
class Change:
    """Change the offering `id` of the owner: only the fields in `fields`."""

    id: int
    fields: Mapping[str, Any] = field(default_factory=dict)
