"""Partner staff sessions: login through the shared login guard, rotating refresh families, logout."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stvos_shared.credentials.login import LoginGuard
from stvos_shared.credentials.refresh import RefreshFamilies
from stvos_shared.db import UnitOfWork
from stvos_shared.errors import InvalidCredentials, TokenInvalid
from stvos_shared.passwords import Passwords

from ..adapters.repository import Repositories, load_staff
from ..domain.errors import SessionEnded
from .staff import staff_view
from .tenants import client_name


@dataclass(frozen=True)
class StaffPrincipal:
    """The partner staff member behind a request, as the database has them (role and tenant included)."""

    staff_id: int
    role: str
    client_id: int
    family_id: str
    email: str
    name: str | None


def tokens_view(pair: Any) -> dict[str, str]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token}


class StaffSessions:
    def __init__(self, uow: UnitOfWork[Repositories], guard: LoginGuard, passwords: Passwords,
                 families: RefreshFamilies) -> None:
        self._uow, self._guard, self._passwords, self._families = uow, guard, passwords, families

    def log_in(self, email: str, password: str, address: str) -> dict[str, Any]:
        """Tokens for the right password (email normalised by the schema); one 401 for unknown or wrong."""
        with self._uow(write=False) as repos:
            staff = repos.staff.by_email(email)
        if not self._guard.verify(email, address, staff.password_hash if staff else None, password):
            raise InvalidCredentials()
        new_hash = self._passwords.hash(password) if self._passwords.needs_rehash(staff.password_hash) else None
        with self._uow() as repos:
            if new_hash:
                repos.staff.set_password_hash(staff.id, new_hash)
            grant = repos.sessions.start(staff)
        return {"staff": staff_view(staff), **tokens_view(self._families.sign(grant))}

    def refresh(self, refresh_token: str, address: str) -> dict[str, str]:
        """A new access token and the next refresh token; a refresh token replayed after the grace ends the session."""
        self._guard.throttle_address(address)
        return tokens_view(self._families.rotate(refresh_token, None, load_staff))

    def log_out(self, principal: StaffPrincipal) -> None:
        """End the session: its refresh tokens and its access tokens stop working."""
        self._families.end(principal.family_id, principal.staff_id)

    def principal(self, claims: dict[str, Any]) -> StaffPrincipal:
        """BearerAuth's principal_from_claims: the staff member, if their session is still open (one query)."""
        try:
            staff_id, family_id = int(claims["sub"]), str(claims["fam"])
        except (KeyError, TypeError, ValueError) as error:
            raise TokenInvalid("The token is missing required claims.") from error
        with self._uow(write=False) as repos:
            row = repos.staff.principal(staff_id, family_id)
        if row is None:
            raise SessionEnded()
        return StaffPrincipal(row.id, row.role, row.client_id, family_id, row.email, row.name)

    def me(self, principal: StaffPrincipal) -> dict[str, Any]:
        """The staff member as loaded with the request, and their tenant's name (one query)."""
        with self._uow(write=False) as repos:
            name = client_name(repos, principal.client_id)
        staff = {"id": principal.staff_id, "email": principal.email, "name": principal.name,
                 "role": principal.role, "client_id": principal.client_id}
        return {"staff": {**staff, "client": {"id": principal.client_id, "name": name}}}
