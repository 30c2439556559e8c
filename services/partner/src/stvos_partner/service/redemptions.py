"""Voucher validation and redemption: a reservation taken atomically, then confirmed or released."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from stvos_shared.db import UnitOfWork, utcnow
from stvos_shared.emails import normalise_email

from ..adapters.orm import Redemption, Voucher
from ..adapters.repository import Repositories
from ..domain.errors import RedemptionConfirmed, RedemptionNotFound, VoucherInvalid
from ..domain.events import VoucherRedeemed
from ..domain.model import normalise_code, voucher_problem
from .tenants import partner_name

# A reservation auth never confirmed nor released (auth died between redeeming and creating the user)
# gives its place back after this long: far beyond any registration, and beyond a long event backlog.
RESERVATION_TTL = timedelta(hours=24)


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
                taken = voucher.redemptions - repos.redemptions.stale(voucher.id, now - RESERVATION_TTL)
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
            _release_stale(repos, voucher, now)
            if not repos.vouchers.take_one(voucher.id, now):
                repos.vouchers.reread(voucher)
                raise VoucherInvalid(voucher_problem(voucher.max_redemptions, voucher.redemptions,
                                                     voucher.expires_at, now) or "EXHAUSTED")
            redemption = repos.redemptions.add(Redemption(client_id=client_id, voucher_id=voucher.id,
                                                          email=normalise_email(email), status="reserved"))
            partner = {"name": partner_name(repos, client_id), "client_id": client_id}
            return {"redemption": {"id": redemption.id, "voucher_id": voucher.id, "code": voucher.code,
                                   "partner": partner}}

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reservation back (registration failed after redeeming); releasing twice is a no-op."""
        with self._uow() as repos:
            voucher_id = repos.redemptions.transition(client_id, redemption_id, "reserved", status="released",
                                                      released_at=self._clock())
            if voucher_id is not None:
                repos.vouchers.move_count(voucher_id, -1)
                return
            status = repos.redemptions.status(client_id, redemption_id)
            if status is None:
                raise RedemptionNotFound()
            if status == "confirmed":
                raise RedemptionConfirmed()


def confirm(repos: Repositories, client_id: int, redemption_id: int, user_id: int, now: datetime) -> None:
    """The user registered with the reservation: record who, and tell the others (partner.voucher.redeemed).

    Only the transaction that moves the row to "confirmed" announces it; a released reservation counts again.
    """
    values = {"status": "confirmed", "user_id": user_id, "confirmed_at": now}
    voucher_id = repos.redemptions.transition(client_id, redemption_id, "reserved", **values)
    if voucher_id is None:
        voucher_id = repos.redemptions.transition(client_id, redemption_id, "released", **values)
        if voucher_id is None:
            return  # unknown in this tenant, or confirmed already
        repos.vouchers.move_count(voucher_id, +1)  # the user exists after all: count them again
    repos.outbox.add(VoucherRedeemed(voucher_id, repos.vouchers.code_of(voucher_id), redemption_id, user_id),
                     client_id)


def _release_stale(repos: Repositories, voucher: Voucher, now: datetime) -> None:
    """Release this voucher's abandoned reservations, and give their places back."""
    released = repos.redemptions.release_stale(voucher.id, now - RESERVATION_TTL, now)
    if released:
        repos.vouchers.move_count(voucher.id, -released)
