"""Voucher validation and redemption: a reservation taken atomically, then confirmed or released."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from stvos_shared.emails import normalise_email
from stvos_shared.events import Outbox

from ..adapters.orm import Redemption, Voucher, utcnow
from ..domain.events import VoucherRedeemed
from ..domain.rules import normalise_code, voucher_problem
from .errors import RedemptionConfirmed, RedemptionNotFound, VoucherInvalid
from .staff import partner_name

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer


# A reservation auth never confirmed nor released (auth died between redeeming and creating the user)
# gives its place back after this long: far beyond any registration, and beyond a long event backlog.
RESERVATION_TTL = timedelta(hours=24)


def _release_stale(session: Session, voucher: Voucher, now: datetime) -> None:
    """Release this voucher's abandoned reservations; each row is released by one transaction only."""
    released = session.execute(
        update(Redemption)
        .where(Redemption.voucher_id == voucher.id, Redemption.status == "reserved",
               Redemption.created_at < now - RESERVATION_TTL)
        .values(status="released", released_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if released:
        session.execute(update(Voucher).where(Voucher.id == voucher.id)
                        .values(redemptions=Voucher.redemptions - released)
                        .execution_options(synchronize_session=False))


def _find(session: Session, client_id: int, code: str) -> Voucher | None:
    code = normalise_code(code)
    return session.scalar(select(Voucher).where(Voucher.client_id == client_id, Voucher.code == code))


def _stale_reservations(session: Session, voucher: Voucher, now: datetime) -> int:
    """How many of the voucher's reservations are past RESERVATION_TTL (free again, though not yet released)."""
    return session.scalar(select(func.count()).select_from(Redemption).where(
        Redemption.voucher_id == voucher.id, Redemption.status == "reserved",
        Redemption.created_at < now - RESERVATION_TTL)) or 0


def validate(c: PartnerContainer, client_id: int, code: str) -> dict[str, Any]:
    """Whether `code` could be redeemed in this tenant now, and whose voucher it is (reads only)."""
    now = utcnow()
    with c.db.unit_of_work(write=False) as session:
        voucher = _find(session, client_id, code)
        if voucher is None:
            return {"valid": False, "reason": "NOT_FOUND"}
        reason = voucher_problem(voucher.max_redemptions, voucher.redemptions, voucher.expires_at, now)
        if reason == "EXHAUSTED":  # redeem would release abandoned reservations first: count them as free
            taken = voucher.redemptions - _stale_reservations(session, voucher, now)
            reason = voucher_problem(voucher.max_redemptions, taken, voucher.expires_at, now)
        if reason:
            return {"valid": False, "reason": reason}
        return {"valid": True, "partner": {"name": partner_name(session, client_id), "client_id": client_id}}


def redeem(c: PartnerContainer, client_id: int, code: str, email: str) -> dict[str, Any]:
    """Reserve one redemption: the conditional UPDATE lets exactly one racer take the last one."""
    now = utcnow()
    with c.db.unit_of_work() as session:
        voucher = _find(session, client_id, code)
        if voucher is None:
            raise VoucherInvalid("NOT_FOUND")
        _release_stale(session, voucher, now)
        taken = session.execute(
            update(Voucher)
            .where(Voucher.id == voucher.id,
                   or_(Voucher.max_redemptions.is_(None), Voucher.redemptions < Voucher.max_redemptions),
                   or_(Voucher.expires_at.is_(None), Voucher.expires_at > now))
            .values(redemptions=Voucher.redemptions + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not taken:
            session.refresh(voucher)
            raise VoucherInvalid(voucher_problem(voucher.max_redemptions, voucher.redemptions,
                                                 voucher.expires_at, now) or "EXHAUSTED")
        redemption = Redemption(client_id=client_id, voucher_id=voucher.id, email=normalise_email(email),
                                status="reserved")
        session.add(redemption)
        session.flush()
        partner = {"name": partner_name(session, client_id), "client_id": client_id}
        return {"id": redemption.id, "voucher_id": voucher.id, "code": voucher.code, "partner": partner}


def _move_voucher_count(session: Session, voucher_id: int, by: int) -> None:
    session.execute(update(Voucher).where(Voucher.id == voucher_id)
                    .values(redemptions=Voucher.redemptions + by).execution_options(synchronize_session=False))


def _transition(session: Session, client_id: int, redemption_id: int, before: str, **values: Any) -> int | None:
    """Move the redemption from status `before` in one conditional UPDATE: its voucher id if this call did it.

    Of concurrent transactions trying the same move, exactly one sees its row change (PostgreSQL re-checks
    the WHERE once the first commits; SQLite runs writers one at a time), so counts move exactly once.
    """
    return session.execute(
        update(Redemption)
        .where(Redemption.id == redemption_id, Redemption.client_id == client_id, Redemption.status == before)
        .values(**values).returning(Redemption.voucher_id).execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def release(c: PartnerContainer, client_id: int, redemption_id: int) -> None:
    """Give a reservation back (registration failed after redeeming); releasing twice is a no-op."""
    with c.db.unit_of_work() as session:
        voucher_id = _transition(session, client_id, redemption_id, "reserved", status="released",
                                 released_at=utcnow())
        if voucher_id is not None:
            _move_voucher_count(session, voucher_id, -1)
            return
        status = session.scalar(select(Redemption.status).where(Redemption.id == redemption_id,
                                                                Redemption.client_id == client_id))
        if status is None:
            raise RedemptionNotFound()
        if status == "confirmed":
            raise RedemptionConfirmed()


def confirm(session: Session, outbox: Outbox, client_id: int, redemption_id: int, user_id: int) -> None:
    """The user registered with the reservation: record who, and tell the others (partner.voucher.redeemed).

    Only the transaction that moves the row to "confirmed" announces it; a released reservation counts again.
    """
    values = {"status": "confirmed", "user_id": user_id, "confirmed_at": utcnow()}
    voucher_id = _transition(session, client_id, redemption_id, "reserved", **values)
    if voucher_id is None:
        voucher_id = _transition(session, client_id, redemption_id, "released", **values)
        if voucher_id is None:
            return  # unknown in this tenant, or confirmed already
        _move_voucher_count(session, voucher_id, +1)  # the user exists after all: count them again
    code = session.scalar(select(Voucher.code).where(Voucher.id == voucher_id))
    outbox.add(session, VoucherRedeemed(voucher_id, code, redemption_id, user_id), client_id)
