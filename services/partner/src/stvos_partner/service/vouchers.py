"""Vouchers as partner admins manage them: create, list, and see who redeemed one."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.pagination import paginate

from ..adapters.orm import Redemption, Voucher
from ..domain.rules import generate_code, normalise_code
from .errors import VoucherCodeTaken, VoucherNotFound
from .staff import ensure_partner

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer

GENERATION_ATTEMPTS = 8


def voucher_view(voucher: Voucher) -> dict[str, Any]:
    return {"id": voucher.id, "code": voucher.code, "max_redemptions": voucher.max_redemptions,
            "redemptions": voucher.redemptions, "expires_at": voucher.expires_at}


def redemption_view(redemption: Redemption) -> dict[str, Any]:
    return {"id": redemption.id, "email": redemption.email, "user_id": redemption.user_id,
            "status": redemption.status, "created_at": redemption.created_at,
            "confirmed_at": redemption.confirmed_at}


def _code_taken(session: Session, client_id: int, code: str) -> bool:
    return session.scalar(select(Voucher.id).where(Voucher.client_id == client_id, Voucher.code == code)) is not None


def _free_code(session: Session, client_id: int) -> str:
    for _ in range(GENERATION_ATTEMPTS):
        code = generate_code()
        if not _code_taken(session, client_id, code):
            return code
    raise VoucherCodeTaken("No free voucher code was found; try again or choose one.")


def create_voucher(c: PartnerContainer, client_id: int, code: str | None, max_redemptions: int | None,
                   expires_at: datetime | None) -> dict[str, Any]:
    """A voucher with the given (or a generated) code, unique in the tenant regardless of case."""
    try:
        with c.db.unit_of_work() as session:
            if code is None:
                code = _free_code(session, client_id)
            else:
                code = normalise_code(code)
                if _code_taken(session, client_id, code):
                    raise VoucherCodeTaken()
            partner = ensure_partner(session, client_id)
            voucher = Voucher(client_id=client_id, partner_id=partner.id, code=code, redemptions=0,
                              max_redemptions=max_redemptions, expires_at=expires_at)
            session.add(voucher)
            session.flush()
            return voucher_view(voucher)
    except IntegrityError as error:
        raise VoucherCodeTaken() from error


def list_vouchers(c: PartnerContainer, client_id: int, page: int, limit: int) -> dict[str, Any]:
    query = select(Voucher).where(Voucher.client_id == client_id).order_by(Voucher.id.desc())
    with c.db.unit_of_work(write=False) as session:
        items, block = paginate(session, query, page, limit)
        return {"vouchers": [voucher_view(voucher) for voucher in items], "pagination": block}


def list_redemptions(c: PartnerContainer, client_id: int, voucher_id: int, page: int, limit: int) -> dict[str, Any]:
    with c.db.unit_of_work(write=False) as session:
        voucher = session.scalar(select(Voucher).where(Voucher.id == voucher_id, Voucher.client_id == client_id))
        if voucher is None:
            raise VoucherNotFound()
        query = (select(Redemption).where(Redemption.voucher_id == voucher.id, Redemption.client_id == client_id)
                 .order_by(Redemption.id.desc()))
        items, block = paginate(session, query, page, limit)
        return {"redemptions": [redemption_view(item) for item in items], "pagination": block}
