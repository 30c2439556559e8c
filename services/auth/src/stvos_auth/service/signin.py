"""After the right password: the hash upgraded if the cost rose, a session started, its tokens signed."""
from __future__ import annotations

from typing import Any

from stvos_shared.credentials.refresh import RefreshFamilies, TokenPair
from stvos_shared.db import UnitOfWork
from stvos_shared.passwords import Passwords

from ..adapters.orm import TrainerRecord, User
from ..adapters.repository import Repositories


def user_view(user: Any) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role}


def tokens_view(pair: TokenPair) -> dict[str, str]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token}


def record_of(repos: Repositories, user: User | None) -> TrainerRecord | None:
    """The trainer record of a trainer's account (None for users)."""
    if user is None or user.trainer_id is None:
        return None
    return repos.trainers.get(user.client_id, user.trainer_id)


class SignIn:
    def __init__(self, uow: UnitOfWork[Repositories], passwords: Passwords, families: RefreshFamilies) -> None:
        self._uow, self._passwords, self._families = uow, passwords, families

    def tokens_for(self, user: User, password: str, record: TrainerRecord | None) -> dict[str, Any]:
        """{user, accessToken, refreshToken} for an account whose password was just verified."""
        new_hash = self._passwords.hash(password) if self._passwords.needs_rehash(user.password_hash) else None
        with self._uow() as repos:
            if new_hash:
                repos.users.set_password_hash(user.id, new_hash)
            grant = repos.sessions.start(user, record)
        return {"user": user_view(user), **tokens_view(self._families.sign(grant))}
