"""Partners and their staff accounts."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.emails import is_email, normalise_email
from stvos_shared.errors import invalid_fields
from stvos_shared.pagination import paginate

from ..adapters.orm import Client, Partner, Staff
from ..domain.rules import ROLES, password_problem
from .errors import EmailTaken

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer


def staff_view(staff: Staff) -> dict[str, Any]:
    return {"id": staff.id, "email": staff.email, "name": staff.name, "role": staff.role,
            "client_id": staff.client_id}


def _names(session: Session, client_id: int) -> tuple[str | None, str | None]:
    """(the tenant's name, the partner's own name), either None when unknown: one query."""
    client = select(Client.name).where(Client.id == client_id).scalar_subquery()
    partner = select(Partner.name).where(Partner.client_id == client_id).scalar_subquery()
    row = session.execute(select(client, partner)).one()
    return row[0], row[1]


def partner_name(session: Session, client_id: int) -> str:
    """The partner's own name, else the tenant's name, else a neutral one."""
    client, partner = _names(session, client_id)
    return partner or client or f"Partner {client_id}"


def client_name(session: Session, client_id: int) -> str:
    """The tenant's name as auth announced it (the partner's until that event arrives)."""
    client, partner = _names(session, client_id)
    return client or partner or f"Partner {client_id}"


def ensure_partner(session: Session, client_id: int, name: str | None = None) -> Partner:
    """The partner of `client_id`, created on first use (one partner per tenant)."""
    partner = session.scalar(select(Partner).where(Partner.client_id == client_id))
    if partner is None:
        partner = Partner(client_id=client_id, name=name)
        session.add(partner)
        session.flush()
    elif name and not partner.name:
        partner.name = name
    return partner


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


def create_staff(c: PartnerContainer, client_id: int, email: str, password: str, role: str,
                 name: str | None = None, partner_name: str | None = None) -> dict[str, Any]:
    """A new staff account of the tenant's partner; emails are unique across tenants (login has no tenant)."""
    _check_new_staff(email, password, role, name)
    email = normalise_email(email)
    password_hash = c.passwords.hash(password)  # before the write lock: hashing takes a while
    try:
        with c.db.unit_of_work() as session:
            if session.scalar(select(Staff.id).where(Staff.email == email)) is not None:
                raise EmailTaken()
            partner = ensure_partner(session, client_id, partner_name)
            staff = Staff(client_id=client_id, partner_id=partner.id, email=email, role=role,
                          name=name.strip() if name else None, password_hash=password_hash, failed_logins=0)
            session.add(staff)
            session.flush()
            view = staff_view(staff)
    except IntegrityError as error:  # a concurrent request took the email first
        raise EmailTaken() from error
    return view


def list_staff(c: PartnerContainer, client_id: int, page: int, limit: int) -> dict[str, Any]:
    with c.db.unit_of_work(write=False) as session:
        query = select(Staff).where(Staff.client_id == client_id).order_by(Staff.id)
        items, block = paginate(session, query, page, limit)
        return {"staff": [staff_view(staff) for staff in items], "pagination": block}
