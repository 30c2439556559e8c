"""/invite/check: public (no API key, no token); limited per client address."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import client_ip

from .deps import use_cases
from .schemas import InviteCheckBody, InviteCheckResponse

blp = Blueprint("invite", __name__, url_prefix="/invite", description="Trainer invite codes, checked by anyone.")


@blp.route("/check")
class InviteCheck(MethodView):
    @blp.doc(security=[])
    @errors(blp, 400, 422, 429)
    @blp.arguments(InviteCheckBody)
    @blp.response(200, InviteCheckResponse)
    def post(self, body):
        """Check a trainer invite code: valid with the trainer and tenant, or why not."""
        return use_cases().invite_check.check(body["code"], client_ip())
