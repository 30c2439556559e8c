"""Voucher validation and redemption: a reservation (stvos_shared.reservations), then confirmed or released."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork, utcnow

from ..adapters.repository import Repositories
from ..domain.errors import VoucherInvalid
from ..domain.events import VoucherRedeemed
from ..domain.model import normalise_code, voucher_problem
from .tenants import partner_name


class Redemptions:
    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime] = utcnow) -> None:
        self._uow, self._clock = uow, clock

    def validate(self, client_id: int, code: str) -> dict[str, Any]:
        """Whether `code` could be redeemed in this tenant now, and whose voucher it is (reads only)."""
        now = self._clock()
        with self._uow(write=False) as repos:
            voucher = repos.vouchers.by_code(client_id, normalise_code(code))
            if voucher is None:
                return {"valid": False, "reason": "NOT_FOUND"}
            reason = voucher_problem(voucher.max_redemptions, voucher.redemptions, voucher.expires_at, now)
            if reason == "EXHAUSTED":  # redeem would release abandoned reservations first: count them as free
                taken = voucher.redemptions - repos.redemptions.stale(voucher.id, now)
                reason = voucher_problem(voucher.max_redemptions, taken, voucher.expires_at, now)
            if reason:
                return {"valid": False, "reason": reason}
            return {"valid": True, "partner": {"name": partner_name(repos, client_id), "client_id": client_id}}

    def redeem(self, client_id: int, code: str, email: str) -> dict[str, Any]:
        """Reserve one redemption: the conditional UPDATE lets exactly one racer take the last one."""
        now = self._clock()
        with self._uow() as repos:
            voucher = repos.vouchers.by_code(client_id, normalise_code(code))
            if voucher is None:
                raise VoucherInvalid("NOT_FOUND")
            redemption_id = repos.redemptions.reserve(client_id, voucher.id, email, now)
            if redemption_id is None:
                repos.vouchers.reread(voucher)
                raise VoucherInvalid(voucher_problem(voucher.max_redemptions, voucher.redemptions,
                                                     voucher.expires_at, now) or "EXHAUSTED")
            partner = {"name": partner_name(repos, client_id), "client_id": client_id}
            return {"redemption": {"id": redemption_id, "voucher_id": voucher.id, "code": voucher.code,
                                   "partner": partner}}

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reservation back (registration failed after redeeming); releasing twice is a no-op."""
        with self._uow() as repos:
            repos.redemptions.release(client_id, redemption_id, self._clock())


def confirm(repos: Repositories, client_id: int, redemption_id: int, user_id: int, now: datetime) -> None:
    """The user registered with the reservation: record who, and tell the others (partner.voucher.redeemed).

    Only the transaction that moves the row to "confirmed" announces it; a released reservation counts again.
    """
    voucher_id = repos.redemptions.confirm(client_id, redemption_id, user_id, now)
    if voucher_id is not None:
        repos.outbox.add(VoucherRedeemed(voucher_id, repos.vouchers.code_of(voucher_id), redemption_id, user_id),
                         client_id)
