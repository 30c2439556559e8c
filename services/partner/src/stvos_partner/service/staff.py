"""Partner staff accounts: created by admins (and by operators for a tenant's first admin), listed."""
from __future__ import annotations

from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.emails import is_email, normalise_email
from stvos_shared.errors import invalid_fields
from stvos_shared.passwords import Passwords

from ..adapters.orm import Staff
from ..adapters.repository import Repositories
from ..domain.errors import EmailTaken
from ..domain.model import ROLES, password_problem
from .tenants import ensure_partner


def staff_view(staff: Any) -> dict[str, Any]:
    return {"id": staff.id, "email": staff.email, "name": staff.name, "role": staff.role,
            "client_id": staff.client_id}


def _check_new_staff(email: str, password: str, role: str, name: str | None) -> None:
    if not isinstance(email, str) or not is_email(normalise_email(email)):
        raise invalid_fields(email="Not a valid email address.")
    problem = password_problem(password) if isinstance(password, str) else "Not a valid string."
    if problem:
        raise invalid_fields(password=problem)
    if role not in ROLES:
        raise invalid_fields(role=f"Must be one of: {', '.join(ROLES)}.")
    if name is not None and not 1 <= len(name.strip()) <= 120:
        raise invalid_fields(name="Must be between 1 and 120 characters.")


class StaffAccounts:
    def __init__(self, uow: UnitOfWork[Repositories], passwords: Passwords) -> None:
        self._uow, self._passwords = uow, passwords

    def create(self, client_id: int, email: str, password: str, role: str, name: str | None = None,
               partner_name: str | None = None) -> dict[str, Any]:
        """A new staff account of the tenant's partner; emails are unique across tenants (login has no tenant)."""
        _check_new_staff(email, password, role, name)
        email = normalise_email(email)
        password_hash = self._passwords.hash(password)  # before the write lock: hashing takes a while
        with self._uow() as repos:
            if repos.staff.email_taken(email):
                raise EmailTaken()
            partner = ensure_partner(repos, client_id, partner_name)
            staff = repos.staff.add(Staff(client_id=client_id, partner_id=partner.id, email=email, role=role,
                                          name=name.strip() if name else None, password_hash=password_hash))
            return staff_view(staff)

    def set_password(self, email: str, password: str) -> int | None:
        """An operator's reset of a staff member's password (their sessions end); their client id, None if unknown."""
        with self._uow(write=False) as repos:
            staff = repos.staff.by_email(normalise_email(email))
            found = (staff.id, staff.client_id) if staff else None
        if found is None:
            return None  # no hash computed in vain: the demo's first start asks this
        password_hash = self._passwords.hash(password)  # outside the write lock: hashing takes a while
        with self._uow() as repos:
            repos.staff.set_password_hash(found[0], password_hash)
            repos.sessions.end_all(found[0], "password_set")
        return found[1]

    def list(self, client_id: int, page: int, limit: int) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            items, block = repos.staff.page(client_id, page, limit)
            return {"staff": [staff_view(staff) for staff in items], "pagination": block}
