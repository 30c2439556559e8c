"""/trainer-auth: trainer accounts (X-API-Key, or X-Master-Trainer-Key across clients)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView
from stvos_shared.api import Blueprint
from stvos_shared.security import client_ip

from ..service import trainers
from . import docs
from .context import container, key_or_master_tenant
from .schemas import (
    CheckEmailSchema,
    TokensSchema,
    TrainerEmailArgs,
    TrainerLoginArgs,
    TrainerLoginSchema,
    TrainerRegisterArgs,
)

blp = Blueprint("trainer-auth", __name__, url_prefix="/trainer-auth",
                description="Trainer accounts; with the master trainer key, across clients.")

KEYS_401 = "API_KEY_INVALID: neither a valid X-API-Key nor a valid X-Master-Trainer-Key."
AMBIGUOUS_409 = ("AMBIGUOUS_TENANT: with the master key, this email is a trainer of several clients; "
                 "send clientId (details.clients lists them).")
MISMATCH_403 = "TENANT_MISMATCH: clientId names another client than the API key."


def _tenant(args: dict[str, Any]) -> int | None:
    return trainers.resolve_tenant(key_or_master_tenant(), args.get("client_id"))


@blp.route("/check-email")
class CheckEmail(MethodView):
    @blp.doc(security=docs.API_KEY_OR_MASTER)
    @blp.arguments(TrainerEmailArgs)
    @blp.response(200, CheckEmailSchema)
    @docs.errors(blp, 400, 422, 429, s401=KEYS_401, s403=MISMATCH_403, s409=AMBIGUOUS_409)
    def post(self, args: dict[str, Any]):
        """Whether a trainer email may register (an unknown email: exists and canRegister false, trainer null)."""
        return trainers.check_email(container(), args["email"], _tenant(args), client_ip())


@blp.route("/register")
class RegisterTrainer(MethodView):
    @blp.doc(security=docs.API_KEY_OR_MASTER)
    @blp.arguments(TrainerRegisterArgs)
    @blp.response(201, TokensSchema)
    @docs.errors(blp, 400, 422, 429, s401=KEYS_401,
                 s403=f"TRAINER_INACTIVE: the trainer record was deactivated. Or {MISMATCH_403}",
                 s404="TRAINER_NOT_FOUND: no trainer record with this email (an admin creates it first).",
                 s409=f"EMAIL_TAKEN: an account exists for this trainer or email. Or {AMBIGUOUS_409}")
    def post(self, args: dict[str, Any]):
        """Create the account of a trainer whose record a partner admin created."""
        return trainers.register_trainer(container(), args["email"], args["password"], _tenant(args), client_ip())


@blp.route("/login")
class LoginTrainer(MethodView):
    @blp.doc(security=docs.API_KEY_OR_MASTER)
    @blp.arguments(TrainerLoginArgs)
    @blp.response(200, TrainerLoginSchema)
    @docs.errors(blp, 400, 422, 429,
                 s401=f"INVALID_CREDENTIALS: unknown email, wrong password or locked account. Or {KEYS_401}",
                 s403=f"TRAINER_INACTIVE: the trainer record was deactivated. Or {MISMATCH_403}",
                 s409=AMBIGUOUS_409)
    def post(self, args: dict[str, Any]):
        """Sign a trainer in; the answer carries the trainer record."""
        return trainers.login_trainer(container(), args["email"], args["password"], _tenant(args), client_ip())
