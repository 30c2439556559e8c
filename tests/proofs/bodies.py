"""A valid body for every operation of the merged OpenAPI that takes one, built from a seeded tenant.

The matrices send these so a call gets past validation to the check it proves (the tenant's id, the role); an
operation with a request body and no entry here fails them, so a new write cannot ship untested.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.proofs.world import PASSWORD, Tenant


def _day(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


BODIES: dict[str, Callable[[Tenant], dict[str, Any]]] = {
    "POST /auth/login": lambda t: {"email": t.emails["user"], "password": PASSWORD},
    "POST /auth/logout": lambda t: {},
    "POST /auth/refresh": lambda t: {"refreshToken": t.refresh["user"].pop()},
    "POST /auth/register": lambda t: {"email": f"newcomer@{t.name.lower()}.proofs.example", "password": PASSWORD},
    "POST /auth/voucher/validate": lambda t: {"code": t.codes["voucher"]},
    "POST /trainer-auth/check-email": lambda t: {"email": t.emails["trainer"]},
    "POST /trainer-auth/login": lambda t: {"email": t.emails["trainer"], "password": PASSWORD},
    "POST /trainer-auth/register": lambda t: {"email": t.emails["trainer"], "password": PASSWORD},
    "POST /partner-auth/login": lambda t: {"email": t.emails["staff"], "password": PASSWORD},
    "POST /partner-auth/refresh": lambda t: {"refreshToken": t.refresh["staff"].pop()},
    "PUT /partner/settings": lambda t: {"trainerRegistration": "open"},
    "POST /partner/staff": lambda t: {"email": f"new-staff@{t.name.lower()}.proofs.example", "password": PASSWORD,
                                      "role": "staff"},
    "POST /partner/trainers": lambda t: {"name": "New Coach", "email": f"new-coach@{t.name.lower()}.proofs.example"},
    "PUT /partner/trainers/{trainer_id}": lambda t: {"bio": "Updated by the partner."},
    "POST /partner/vouchers": lambda t: {"maxRedemptions": 5},
    "POST /invite/check": lambda t: {"code": t.codes["invite"]},
    "POST /trainers/{trainer_id}/book": lambda t: {"serviceId": t.ids["service"], "slotId": t.ids["slot"]},
    "POST /trainers/classes/{class_id}/join": lambda t: {"paymentAmount": 15},
    "POST /trainers/{trainer_id}/programmes/subscribe": lambda t: {
        "programmeId": t.ids["programme"], "startDate": _day(0), "paymentAmount": 299},
    "PUT /trainer-portal/profile": lambda t: {"bio": "Updated by the trainer."},
    "PUT /trainer-portal/clients/{user_id}": lambda t: {"notes": "Keen on mornings.", "tags": ["vip"]},
    "POST /trainer-portal/availability": lambda t: {"dayOfWeek": "monday", "startTime": "05:00", "endTime": "06:00"},
    "POST /trainer-portal/availability/overrides": lambda t: {"date": _day(50), "available": False},
    "POST /trainer-portal/time-slots": lambda t: {"date": _day(11), "startTime": "05:00", "endTime": "05:30"},
    "PUT /trainer-portal/booking-policy": lambda t: {"bufferMinutes": 5},
    "PUT /trainer-portal/bookings/{booking_id}": lambda t: {"notes": "Bring water."},
    "POST /trainer-portal/services": lambda t: {"name": "Call", "duration": 30, "price": 35, "currency": "GBP"},
    "PUT /trainer-portal/services/{item_id}": lambda t: {"description": "Updated."},
    "POST /trainer-portal/group-classes": lambda t: {
        "name": "Yoga", "scheduledDate": _day(8), "scheduledTime": "09:00", "duration": 60, "capacity": 8,
        "price": 12, "currency": "GBP"},
    "PUT /trainer-portal/group-classes/{item_id}": lambda t: {"description": "Updated."},
    "POST /trainer-portal/recorded-classes": lambda t: {"name": "Core", "duration": 15, "intensity": "medium"},
    "PUT /trainer-portal/recorded-classes/{item_id}": lambda t: {"duration": 25},
    "POST /trainer-portal/programmes": lambda t: {"name": "6 Weeks", "weeks": 6, "price": 99, "currency": "GBP"},
    "PUT /trainer-portal/programmes/{item_id}": lambda t: {"description": "Updated."},
    "POST /trainer-portal/invite-codes": lambda t: {"maxUses": 5},
    "PUT /trainer-portal/invite-codes/{item_id}": lambda t: {"maxUses": 20},
}


# Values for the query parameters an operation requires, by name.
QUERY_VALUES: dict[str, Callable[[], str]] = {"startDate": lambda: _day(2)}


def query_for(operation: dict[str, Any]) -> str:
    """The query string of an operation's required parameters (KeyError for one with no value here)."""
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
    return "?" + "&".join(f"{name}={QUERY_VALUES[name]()}" for name in names) if names else ""


def takes_body(operation: dict[str, Any]) -> bool:
    return "application/json" in operation.get("requestBody", {}).get("content", {})


def body_for(method: str, path: str, operation: dict[str, Any], tenant: Tenant) -> dict[str, Any] | None:
    """The valid body of an operation that takes one (KeyError when it has no entry), else None."""
    return BODIES[f"{method} {path}"](tenant) if takes_body(operation) else None


def missing_bodies(operations) -> list[str]:
    return [f"{m} {p}" for m, p, op in operations if takes_body(op) and f"{m} {p}" not in BODIES]


def stale_bodies(operations) -> list[str]:
    known = {f"{m} {p}" for m, p, _ in operations}
    return sorted(set(BODIES) - known)
