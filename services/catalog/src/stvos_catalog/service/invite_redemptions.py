"""Invite code uses: reserved atomically when a user registers with a code, then confirmed or released.

The same pattern as the partner service's voucher redemptions: auth reserves a use (POST
/internal/invite-codes/redeem) before it creates the user, releases it if the user cannot be created, and
the catalog confirms it when auth.user.registered arrives with the redemption's id.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from stvos_shared.db import UnitOfWork, utcnow
from stvos_shared.emails import normalise_email

from ..adapters.orm import InviteCode, InviteRedemption
from ..adapters.repository import Repositories
from ..domain.errors import InviteInvalid, InviteRedemptionConfirmed, InviteRedemptionNotFound
from ..domain.model import invite_problem, is_invite_code, normalise_code

# A reservation auth never confirmed nor released (auth died between redeeming and creating the user)
# gives its use back after this long: far beyond any registration, and beyond a long event backlog.
RESERVATION_TTL = timedelta(hours=24)


class InviteRedemptions:
    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime] = utcnow) -> None:
        self.uow, self.clock = uow, clock

    def redeem(self, client_id: int, code: str, email: str) -> dict[str, Any]:
        """Reserve one use of the tenant's code: the conditional UPDATE lets exactly one racer take the last.

        A code of another tenant, a deactivated code or trainer and a malformed code are all NOT_FOUND.
        """
        now, code = self.clock(), normalise_code(code)
        with self.uow() as repos:
            item = repos.invite_codes.by_code(client_id, code) if is_invite_code(code) else None
            if item is None:
                raise InviteInvalid("NOT_FOUND")
            release_stale(repos, item, now)
            if not repos.invite_codes.take_one(item.id, now):
                row = repos.invite_codes.check(code)  # a new statement: what the racer that won left behind
                reason = "NOT_FOUND" if row is None else invite_problem(
                    row.active and row.trainer_active, row.expires_at, row.max_uses, row.uses, now)
                raise InviteInvalid(reason or "EXHAUSTED")
            redemption = repos.invite_redemptions.add(InviteRedemption(
                client_id=client_id, invite_code_id=item.id, email=normalise_email(email), status="reserved"))
            return {"redemption": {"id": redemption.id, "code": item.code, "trainer_id": item.trainer_id}}

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reserved use back (registration failed after redeeming); releasing twice is a no-op."""
        with self.uow() as repos:
            code_id = repos.invite_redemptions.transition(client_id, redemption_id, "reserved", status="released",
                                                          released_at=self.clock())
            if code_id is not None:
                repos.invite_codes.move_count(code_id, -1)
                return
            status = repos.invite_redemptions.status(client_id, redemption_id)
            if status is None:
                raise InviteRedemptionNotFound()
            if status == "confirmed":
                raise InviteRedemptionConfirmed()


def confirm(repos: Repositories, client_id: int, redemption_id: int, user_id: int, now: datetime) -> None:
    """The user registered with the reservation: record who. Idempotent (a second delivery finds it confirmed);
    a reservation released meanwhile (by the TTL) counts again, since the user exists after all."""
    values = {"status": "confirmed", "user_id": user_id, "confirmed_at": now}
    if repos.invite_redemptions.transition(client_id, redemption_id, "reserved", **values) is not None:
        return
    code_id = repos.invite_redemptions.transition(client_id, redemption_id, "released", **values)
    if code_id is not None:
        repos.invite_codes.move_count(code_id, +1)


def release_stale(repos: Repositories, item: InviteCode, now: datetime) -> None:
    """Release this code's abandoned reservations, and give their uses back."""
    released = repos.invite_redemptions.release_stale(item.id, now - RESERVATION_TTL, now)
    if released:
        repos.invite_codes.move_count(item.id, -released)
