"""What the API shows of each thing, as plain dicts (snake_case; the response schemas pick and camelCase)."""
from __future__ import annotations

from typing import Any

from ..domain.model import in_zone, local_schedule, money, spots_left


def trainer_view(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "bio": row.bio, "image": row.image,
            "specialisations": list(row.specialisations or []), "timezone": row.timezone, "active": row.active}


def schedule_view(row: Any) -> dict[str, Any]:
    """When a class is: on the wall clock of its timezone, and as instants with that zone's offset."""
    day, at = local_schedule(row.starts_at, row.timezone)
    return {"scheduled_date": day, "scheduled_time": at, "starts_at": in_zone(row.starts_at, row.timezone),
            "ends_at": in_zone(row.ends_at, row.timezone), "timezone": row.timezone}


# What users see (GET /trainers/...): offerings that are on offer.

def public_service(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description, "duration": row.duration,
            "price": money(row.price), "currency": row.currency}


def public_recorded_class(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "duration": row.duration, "intensity": row.intensity,
            "video_url": row.video_url}


def public_group_class(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description, **schedule_view(row),
            "duration": row.duration, "capacity": row.capacity,
            "spots_left": spots_left(row.capacity, row.participants),
            "price": money(row.price), "currency": row.currency}


def public_programme(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "description": row.description, "weeks": row.weeks,
            "price": money(row.price), "currency": row.currency}


# What the trainer sees of their own offerings (/trainer-portal/...).

def service_view(row: Any) -> dict[str, Any]:
    return {**public_service(row), "cancellation_cutoff_hours": row.cancellation_cutoff_hours, "active": row.active}


def recorded_class_view(row: Any) -> dict[str, Any]:
    return {**public_recorded_class(row), "active": row.active}


def group_class_view(row: Any) -> dict[str, Any]:
    return {**public_group_class(row), "participants": row.participants,
            "cancellation_cutoff_hours": row.cancellation_cutoff_hours, "active": row.active}


def programme_view(row: Any) -> dict[str, Any]:
    return {**public_programme(row), "active": row.active, "subscriber_count": row.subscribers}


def invite_code_view(row: Any) -> dict[str, Any]:
    return {"id": row.id, "code": row.code, "expires_at": row.expires_at, "max_uses": row.max_uses,
            "uses": row.uses, "active": row.active, "created_at": row.created_at}
