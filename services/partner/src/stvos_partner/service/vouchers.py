"""Vouchers as partner admins manage them: create, list, see who redeemed one; and the tenant's figures."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork

from ..adapters.orm import Redemption, Voucher
from ..adapters.repository import Repositories
from ..domain.errors import VoucherCodeTaken, VoucherNotFound
from ..domain.model import generate_code, normalise_code
from .tenants import ensure_partner

GENERATION_ATTEMPTS = 8


def voucher_view(voucher: Voucher) -> dict[str, Any]:
    return {"id": voucher.id, "code": voucher.code, "max_redemptions": voucher.max_redemptions,
            "redemptions": voucher.redemptions, "expires_at": voucher.expires_at}


def redemption_view(redemption: Redemption) -> dict[str, Any]:
    return {"id": redemption.id, "email": redemption.email, "user_id": redemption.user_id,
            "status": redemption.status, "created_at": redemption.created_at,
            "confirmed_at": redemption.confirmed_at}


class Vouchers:
    def __init__(self, uow: UnitOfWork[Repositories]) -> None:
        self._uow = uow

    def create(self, client_id: int, code: str | None, max_redemptions: int | None,
               expires_at: datetime | None) -> dict[str, Any]:
        """A voucher with the given (or a generated) code, unique in the tenant regardless of case."""
        with self._uow() as repos:
            if code is None:
                code = _free_code(repos, client_id)
            else:
                code = normalise_code(code)
                if repos.vouchers.code_taken(client_id, code):
                    raise VoucherCodeTaken()
            partner = ensure_partner(repos, client_id)
            voucher = repos.vouchers.add(Voucher(client_id=client_id, partner_id=partner.id, code=code,
                                                 redemptions=0, max_redemptions=max_redemptions,
                                                 expires_at=expires_at))
            return {"voucher": voucher_view(voucher)}

    def list(self, client_id: int, page: int, limit: int) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            items, block = repos.vouchers.page(client_id, page, limit)
            return {"vouchers": [voucher_view(voucher) for voucher in items], "pagination": block}

    def redemptions(self, client_id: int, voucher_id: int, page: int, limit: int) -> dict[str, Any]:
        with self._uow(write=False) as repos:
            if repos.vouchers.get(client_id, voucher_id) is None:
                raise VoucherNotFound()
            items, block = repos.redemptions.page(client_id, voucher_id, page, limit)
            return {"redemptions": [redemption_view(item) for item in items], "pagination": block}

    def overview(self, client_id: int) -> dict[str, Any]:
        """Registrations through vouchers, trainers, active trainers, trainers with an account: one query."""
        with self._uow(write=False) as repos:
            users, trainers, active, accounts = repos.redemptions.overview(client_id)
        return {"users_registered_with_vouchers": users, "trainers": trainers, "active_trainers": active,
                "registered_trainer_accounts": accounts}


def _free_code(repos: Repositories, client_id: int) -> str:
    for _ in range(GENERATION_ATTEMPTS):
        code = generate_code()
        if not repos.vouchers.code_taken(client_id, code):
            return code
    raise VoucherCodeTaken("No free voucher code was found; try again or choose one.")
