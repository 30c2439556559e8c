"""/trainer-auth: trainer accounts (X-API-Key, or X-Master-Trainer-Key across clients)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors, no_store
from stvos_shared.security import client_ip

from ..domain.commands import LogIn, RegisterTrainer
from ..domain.model import resolve_tenant
from .auth import THROTTLED_429
from .deps import API_KEY_OR_MASTER, container, key_or_master_tenant
from .schemas import (
    CheckEmailResponse,
    TokensResponse,
    TrainerEmailBody,
    TrainerLoginBody,
    TrainerLoginResponse,
    TrainerRegisterBody,
)

blp = Blueprint("trainer-auth", __name__, url_prefix="/trainer-auth",
                description="Trainer accounts; with the master trainer key, across clients.")

KEYS_401 = (401, "API_KEY_INVALID: neither a valid X-API-Key nor a valid X-Master-Trainer-Key.")
AMBIGUOUS_409 = (409, "AMBIGUOUS_TENANT: with the master key, this email is a trainer of several clients; "
                      "send clientId (details.clients lists them).")
MISMATCH_403 = (403, "TENANT_MISMATCH: clientId names another client than the API key.")


def _tenant(args: dict[str, Any]) -> int | None:
    return resolve_tenant(key_or_master_tenant(), args.get("client_id"))


@blp.route("/check-email")
class CheckEmail(MethodView):
    @blp.doc(security=API_KEY_OR_MASTER)
    @blp.arguments(TrainerEmailBody)
    @blp.response(200, CheckEmailResponse)
    @errors(blp, 400, 422, 429, KEYS_401, MISMATCH_403, AMBIGUOUS_409)
    def post(self, args: dict[str, Any]):
        """Whether a trainer email may register (an unknown email: exists and canRegister false, trainer null)."""
        return container().trainers.check_email(_tenant(args), args["email"], client_ip())


@blp.route("/register")
class RegisterTrainerAccount(MethodView):
    @blp.doc(security=API_KEY_OR_MASTER)
    @no_store
    @blp.arguments(TrainerRegisterBody)
    @blp.response(201, TokensResponse)
    @errors(blp, 400, 422, 429, KEYS_401, MISMATCH_403, AMBIGUOUS_409,
            (403, "TRAINER_INACTIVE: the trainer record was deactivated."),
            (403, "INVITATION_INVALID: the client requires the trainer's one-time invitation code, and it is "
                  "missing, wrong, used or expired."),
            (404, "TRAINER_NOT_FOUND: no trainer record with this email (an admin creates it first)."),
            (409, "EMAIL_TAKEN: an account exists for this trainer or email."))
    def post(self, args: dict[str, Any]):
        """Claim the account of a trainer whose record a partner admin created."""
        return container().trainers.register(RegisterTrainer(
            _tenant(args), client_ip(), args["email"], args["password"], args.get("invitation_code")))


@blp.route("/login")
class LoginTrainer(MethodView):
    @blp.doc(security=API_KEY_OR_MASTER)
    @no_store
    @blp.arguments(TrainerLoginBody)
    @blp.response(200, TrainerLoginResponse)
    @errors(blp, 400, 422, THROTTLED_429, MISMATCH_403, AMBIGUOUS_409,
            (401, "INVALID_CREDENTIALS: unknown email or wrong password. Or API_KEY_INVALID."),
            (403, "TRAINER_INACTIVE: the trainer record was deactivated."))
    def post(self, args: dict[str, Any]):
        """Sign a trainer in; the answer carries the trainer record."""
        return container().trainers.log_in(LogIn(_tenant(args), client_ip(), args["email"], args["password"]))
