"""Invite code uses: reserved when a user registers with a code, then confirmed or released.

The reservation steps are stvos_shared.reservations (as for the partner service's vouchers): auth reserves a
use (POST /internal/invite-codes/redeem) before it creates the user, releases it if the user cannot be
created, and the catalog confirms it when auth.user.registered arrives with the redemption's id (handlers).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork, utcnow

from ..adapters.repository import Repositories
from ..domain.errors import InviteInvalid
from ..domain.model import invite_problem, is_invite_code, normalise_code


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
            redemption_id = repos.invite_redemptions.reserve(client_id, item.id, email, now)
            if redemption_id is None:
                row = repos.invite_codes.check(code)  # a new statement: what the racer that won left behind
                reason = "NOT_FOUND" if row is None else invite_problem(
                    row.active and row.trainer_active, row.expires_at, row.max_uses, row.uses, now)
                raise InviteInvalid(reason or "EXHAUSTED")
            return {"redemption": {"id": redemption_id, "code": item.code, "trainer_id": item.trainer_id}}

    def release(self, client_id: int, redemption_id: int) -> None:
        """Give a reserved use back (registration failed after redeeming); releasing twice is a no-op."""
        with self.uow() as repos:
            repos.invite_redemptions.release(client_id, redemption_id, self.clock())
