"""/internal/invite-codes: invite code uses for the identity service's registration (never routed by the gateway)."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import gateway_client_id

from .deps import use_cases
from .schemas import InviteRedeemBody, InviteRedeemResponse

blp = Blueprint("internal_invites", __name__, url_prefix="/internal/invite-codes",
                description="Internal: invite code uses during registration. Tenant from X-Client-Id.")

TENANT = (401, "API_KEY_INVALID: no X-Client-Id")


@blp.route("/redeem")
class Redeem(MethodView):
    @errors(blp, 400, TENANT,
            (422, "VALIDATION_FAILED: bad fields; INVITE_INVALID: details.reason NOT_FOUND | EXPIRED | EXHAUSTED"))
    @blp.arguments(InviteRedeemBody)
    @blp.response(201, InviteRedeemResponse)
    def post(self, body):
        """Reserve one use of the tenant's invite code (counts toward maxUses at once)."""
        return use_cases().invite_redemptions.redeem(gateway_client_id(), body["code"], body["email"])


@blp.route("/redemptions/<int(max=2147483647):redemption_id>/release")
class RedemptionRelease(MethodView):
    @errors(blp, TENANT, (404, "REDEMPTION_NOT_FOUND: no such redemption in this tenant"),
            (409, "REDEMPTION_CONFIRMED: a registered user holds this redemption"))
    @blp.response(204)
    def post(self, redemption_id):
        """Give a reserved use back (idempotent)."""
        use_cases().invite_redemptions.release(gateway_client_id(), redemption_id)
        return Response(status=204)
