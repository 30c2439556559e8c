"""Small Flask doubles of auth (its JWKS), catalog and booking that answer exactly as the brief's internal API says:
the trainer's own token and X-Client-Id required, 403 for another role, 404 for anything not the caller's own."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, g, jsonify, request
from stvos_shared.tokens import JwksKeys, TokenSigner, TokenVerifier, generate_private_key_pem, public_jwk

KID = "test-key"


@functools.cache
def _private_key() -> str:
    return generate_private_key_pem()


class AuthDouble:
    """Signs user and trainer tokens the way auth does, and serves the public key at /.well-known/jwks.json."""

    def __init__(self) -> None:
        self.signer = TokenSigner(_private_key(), KID, "stvos-auth", "stvos-api")
        self.jwks = {"keys": [public_jwk(_private_key(), KID)]}
        self.app = Flask("auth-double")
        self.app.get("/.well-known/jwks.json")(lambda: jsonify(self.jwks))

    def token(self, user_id: int, client_id: int, trainer_id: int | None = None, role: str | None = None) -> str:
        role = role or ("trainer" if trainer_id is not None else "user")
        return self.signer.issue(str(user_id), "access", 900, {"cid": client_id, "role": role, "tid": trainer_id})

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(JwksKeys.static(self.jwks), "stvos-auth", "stvos-api")


def _error(status: int, code: str, message: str = "No.") -> tuple[Any, int]:
    return jsonify({"success": False, "error": {"code": code, "message": message}}), status


def _ok(**data: Any) -> Any:
    return jsonify({"success": True, "data": data})


def trainer_only(verifier: TokenVerifier) -> Callable:
    """The internal APIs' guard: a valid trainer token whose tenant is X-Client-Id; g.cid and g.tid set."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme != "Bearer":
                return _error(401, "TOKEN_INVALID")
            claims = verifier.verify(token)
            if str(claims["cid"]) != request.headers.get("X-Client-Id"):
                return _error(403, "TENANT_MISMATCH")
            if claims["role"] != "trainer":
                return _error(403, "TRAINER_ROLE_REQUIRED")
            g.cid, g.tid = int(claims["cid"]), int(claims["tid"])
            return view(*args, **kwargs)

        return guarded

    return decorate


class CatalogDouble:
    """GET/PUT /internal/trainer-profile and GET /internal/group-classes/{id}; `calls` records what came in."""

    FIELDS = ("name", "bio", "image", "specialisations", "timezone")

    def __init__(self, verifier: TokenVerifier) -> None:
        self.profiles: dict[tuple[int, int], dict[str, Any]] = {}
        self.classes: dict[tuple[int, int], dict[str, Any]] = {}
        self.calls: list[tuple[str, str, dict[str, str], Any]] = []
        self.app = Flask("catalog-double")
        guard = trainer_only(verifier)
        self.app.route("/internal/trainer-profile", methods=["GET", "PUT"])(guard(self._profile))
        self.app.get("/internal/group-classes/<int:class_id>")(guard(self._class))
        self.app.before_request(self._record)

    def _record(self) -> None:
        self.calls.append((request.method, request.path, dict(request.headers), request.get_json(silent=True)))

    def add_profile(self, client_id: int, trainer_id: int, **fields: Any) -> dict[str, Any]:
        profile = {"id": trainer_id, "name": "Coach Mike", "bio": None, "image": None,
                   "specialisations": ["strength"], "timezone": "Europe/London", "active": True, **fields}
        self.profiles[(client_id, trainer_id)] = profile
        return profile

    def add_class(self, client_id: int, trainer_id: int, class_id: int, starts_at: str, ends_at: str,
                  capacity: int = 8, active: bool = True) -> None:
        self.classes[(client_id, class_id)] = {
            "id": class_id, "trainerId": trainer_id, "name": "Group HIIT", "startsAt": starts_at, "endsAt": ends_at,
            "timezone": "Europe/London", "capacity": capacity, "active": active}

    def _profile(self) -> Any:
        profile = self.profiles.get((g.cid, g.tid))
        if profile is None:
            return _error(404, "TRAINER_NOT_FOUND")
        if request.method == "PUT":
            body = request.get_json()
            if set(body) - set(self.FIELDS):
                return _error(422, "VALIDATION_FAILED")
            profile.update(body)
        return _ok(trainer=profile)

    def _class(self, class_id: int) -> Any:
        found = self.classes.get((g.cid, class_id))
        if found is None or found["trainerId"] != g.tid:
            return _error(404, "CLASS_NOT_FOUND")
        return _ok(groupClass=found)


class BookingDouble:
    """GET /internal/bookings/{id}."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.bookings: dict[tuple[int, int], dict[str, Any]] = {}
        self.app = Flask("booking-double")
        self.app.get("/internal/bookings/<int:booking_id>")(trainer_only(verifier)(self._booking))

    def add(self, client_id: int, trainer_id: int, booking_id: int, starts_at: str, ends_at: str,
            status: str = "confirmed", user_id: int = 7) -> None:
        self.bookings[(client_id, booking_id)] = {
            "id": booking_id, "trainerId": trainer_id, "userId": user_id, "status": status, "startsAt": starts_at,
            "endsAt": ends_at, "timezone": "Europe/London"}

    def _booking(self, booking_id: int) -> Any:
        found = self.bookings.get((g.cid, booking_id))
        if found is None or found["trainerId"] != g.tid:
            return _error(404, "BOOKING_NOT_FOUND")
        return _ok(booking=found)
