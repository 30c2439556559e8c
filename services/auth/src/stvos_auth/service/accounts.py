"""Client user accounts: register (with an optional voucher and invite code), log in, refresh, log out, who am I."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from stvos_shared.credentials.login import LoginGuard
from stvos_shared.credentials.refresh import RefreshFamilies
from stvos_shared.db import UnitOfWork
from stvos_shared.errors import InvalidCredentials, TokenInvalid, invalid_fields
from stvos_shared.passwords import Passwords
from stvos_shared.principal import Principal

from ..adapters.catalog import InviteRedemption, Invites
from ..adapters.partner import Redemption, Vouchers
from ..adapters.repository import Repositories, load_subject
from ..domain.commands import LogIn, RegisterUser
from ..domain.errors import ApiKeyInvalid, EmailTaken
from ..domain.events import InviteUse, UserRegistered, VoucherUse
from .signin import SignIn, record_of, tokens_view, user_view


def account_key(tenant: int | None, email: str) -> str:
    """The login guard's name for an account: tenant and email (whether or not the account exists)."""
    return f"{tenant if tenant is not None else '*'}:{email}"


class Accounts:
    def __init__(self, uow: UnitOfWork[Repositories], guard: LoginGuard, passwords: Passwords,
                 vouchers: Vouchers, invites: Invites, signin: SignIn, families: RefreshFamilies) -> None:
        self._uow, self._guard, self._passwords, self._vouchers = uow, guard, passwords, vouchers
        self._invites, self._signin, self._families = invites, signin, families

    def register(self, c: RegisterUser) -> dict[str, Any]:
        """Check, redeem the invite code and the voucher, then create the user and its first session (what was
        redeemed goes back on failure). An invite code makes its trainer the user's coach."""
        self._guard.throttle_address(c.address)
        with self._uow(write=False) as repos:
            if repos.clients.get(c.client_id) is None:
                raise ApiKeyInvalid()
            if repos.users.email_taken(c.client_id, c.email):
                raise EmailTaken()
            if c.coach_id is not None:
                record = repos.trainers.get(c.client_id, c.coach_id)
                if record is None or not record.active:
                    raise invalid_fields(coachId="No active trainer with this id exists for this client.")
        password_hash = self._passwords.hash(c.password)
        invite = self._invites.redeem(c.client_id, c.invite_code, c.email) if c.invite_code else None
        with self._given_back_on_failure(invite, lambda held: self._invites.release(c.client_id, held)):
            coach_id = c.coach_id if invite is None else invite.trainer_id
            if c.coach_id is not None and c.coach_id != coach_id:
                raise invalid_fields(inviteCode="This invite code is another trainer's than coachId.")
            redemption = self._vouchers.redeem(c.client_id, c.voucher_code, c.email) if c.voucher_code else None
            with (self._given_back_on_failure(redemption, lambda held: self._vouchers.release(c.client_id, held)),
                  self._uow() as repos):
                user = repos.users.add(c.client_id, email=c.email, password_hash=password_hash, role="user",
                                       name=c.name, profile=c.profile, settings=c.settings, coach_id=coach_id,
                                       session_id=c.session_id)
                voucher = VoucherUse(redemption.code, redemption.id) if redemption else None
                use = InviteUse(invite.code, invite.id) if invite else None
                repos.outbox.add(UserRegistered(user.id, c.email, c.name, "user", coach_id, c.session_id, voucher,
                                                use), c.client_id)
                grant = repos.sessions.start(user)
                view = user_view(user)
        return {"user": view, **tokens_view(self._families.sign(grant))}

    def log_in(self, c: LogIn) -> dict[str, Any]:
        """Email and password in, tokens and the client out; one 401 for an unknown account and a wrong password."""
        with self._uow(write=False) as repos:
            client = repos.clients.get(c.tenant)
            if client is None:
                raise ApiKeyInvalid()
            user = repos.users.by_email(c.tenant, c.email)
            record = record_of(repos, user)
            client_view = {"id": client.id, "name": client.name, "branding": client.branding or {}}
        if not self._guard.verify(account_key(c.tenant, c.email), c.address,
                                  user.password_hash if user else None, c.password):
            raise InvalidCredentials()
        return {**self._signin.tokens_for(user, c.password, record), "client": client_view}

    def refresh(self, refresh_token: str, client_id: int) -> dict[str, str]:
        """The successor of a refresh token and a new access token."""
        return tokens_view(self._families.rotate(refresh_token, client_id, load_subject))

    def log_out(self, principal: Principal, refresh_token: str | None) -> None:
        """End the session of the caller's refresh token (anything else is ignored)."""
        if refresh_token:
            self._families.end_by_token(refresh_token, principal.user_id, principal.client_id)

    def me(self, principal: Principal) -> dict[str, Any]:
        """The caller's account with profile and settings, and their client (one query)."""
        with self._uow(write=False) as repos:
            user = repos.users.me(principal.client_id, principal.user_id)
        if user is None:
            raise TokenInvalid("The account of this token no longer exists.")
        view = {**user_view(user), "profile": user.profile or {}, "settings": user.settings or {},
                "coach_id": user.coach_id, "session_id": user.session_id}
        return {"user": view, "client": {"id": user.client_id, "name": user.client_name}}

    @staticmethod
    @contextmanager
    def _given_back_on_failure(reserved: Redemption | InviteRedemption | None,
                               release: Callable[[int], None]) -> Iterator[None]:
        """If the user cannot be created after a use was reserved (a voucher's, an invite code's), give it back."""
        try:
            yield
        except BaseException:
            if reserved is not None:
                release(reserved.id)
            raise
