"""What callers ask the identity service to do."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RegisterUser:
    client_id: int
    address: str
    email: str
    password: str
    name: str | None = None
    voucher_code: str | None = None
    invite_code: str | None = None
    session_id: str | None = None
    coach_id: int | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LogIn:
    """`tenant` None: a trainer login with the master key, across tenants."""

    tenant: int | None
    address: str
    email: str
    password: str


@dataclass(frozen=True)
class RegisterTrainer:
    tenant: int | None
    address: str
    email: str
    password: str
    invitation_code: str | None = None
