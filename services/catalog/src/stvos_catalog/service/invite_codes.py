"""Invite codes: a trainer hands one out; anyone may check it (public, limited per address)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stvos_shared.db import UnitOfWork
from stvos_shared.ratelimit import RateLimiter, Rule

from ..adapters.orm import InviteCode
from ..adapters.repository import Repositories
from ..domain.commands import AddInviteCode, Change, ListPage, Owner
from ..domain.errors import InviteCodeNotFound, InviteCodeTaken
from ..domain.model import generate_code, invite_problem, is_invite_code, normalise_code
from .offerings import assign, require_trainer
from .views import invite_code_view

GENERATION_TRIES = 5


class InviteCodes:
    """The calling trainer's invite codes."""

    def __init__(self, uow: UnitOfWork[Repositories]) -> None:
        self.uow = uow

    def _get(self, repos: Repositories, owner: Owner, code_id: int, lock: bool = False) -> InviteCode:
        item = repos.invite_codes.get(owner, code_id, lock)
        if item is None:
            raise InviteCodeNotFound()
        return item

    @staticmethod
    def _new_code(repos: Repositories) -> str:
        for _ in range(GENERATION_TRIES):
            code = generate_code()
            if not repos.invite_codes.taken(code):
                return code
        raise InviteCodeTaken("No free code was found; try again.")

    def create(self, owner: Owner, command: AddInviteCode) -> dict[str, Any]:
        """A code chosen by the trainer (409 if any tenant has it) or generated."""
        with self.uow() as repos:
            require_trainer(repos, owner)
            code = normalise_code(command.code) if command.code else self._new_code(repos)
            item = repos.invite_codes.add(InviteCode(
                client_id=owner.client_id, trainer_id=owner.trainer_id, code=code, expires_at=command.expires_at,
                max_uses=command.max_uses, uses=0, active=True))
            return invite_code_view(item)

    def page(self, owner: Owner, page: ListPage) -> tuple[list[dict[str, Any]], dict[str, int]]:
        with self.uow(write=False) as repos:
            items, block = repos.invite_codes.page(owner, page)
            return [invite_code_view(item) for item in items], block

    def get(self, owner: Owner, code_id: int) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            return invite_code_view(self._get(repos, owner, code_id))

    def change(self, owner: Owner, change: Change) -> dict[str, Any]:
        """Change expiry, maximum uses or active (the code itself stays)."""
        with self.uow() as repos:
            item = self._get(repos, owner, change.id, lock=True)
            if assign(item, change.fields):
                repos.invite_codes.flush()
            return invite_code_view(item)

    def deactivate(self, owner: Owner, code_id: int) -> dict[str, Any]:
        """The code stops working (idempotent); the public check then answers NOT_FOUND."""
        return self.change(owner, Change(code_id, {"active": False}))


class InviteCheck:
    """POST /invite/check: is this code good, and whose is it. Counted per address, so codes cannot be guessed
    quickly; a malformed, unknown or deactivated code all answer NOT_FOUND."""

    def __init__(self, uow: UnitOfWork[Repositories], clock: Callable[[], datetime], limiter: RateLimiter,
                 rule: Rule) -> None:
        self.uow, self.clock, self.limiter, self.rule = uow, clock, limiter, rule

    def check(self, code: str, address: str) -> dict[str, Any]:
        self.limiter.enforce(self.rule, address)
        code = normalise_code(code)
        row, reason, now = None, "NOT_FOUND", self.clock()
        if is_invite_code(code):
            with self.uow(write=False) as repos:
                row = repos.invite_codes.check(code)
                if row is not None:
                    reason = invite_problem(row.active and row.trainer_active, row.expires_at, row.max_uses,
                                            row.uses, now)
                if reason == "EXHAUSTED":  # a redeem would release abandoned reservations first: count them free
                    taken = row.uses - repos.invite_redemptions.stale(row.id, now)
                    reason = invite_problem(True, row.expires_at, row.max_uses, taken, now)
        if reason is not None:
            return {"valid": False, "reason": reason}
        return {"valid": True, "trainer": {"id": row.trainer_id, "name": row.trainer_name}, "client_id": row.client_id}
