"""/internal/vouchers: redemption for the identity service's registration (never routed by the gateway)."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import gateway_client_id

from .deps import MALFORMED, container
from .schemas import RedeemBody, RedeemResponse

blp = Blueprint("internal_vouchers", __name__, url_prefix="/internal/vouchers",
                description="Internal: voucher redemption during registration. Tenant from X-Client-Id.")

TENANT = (401, "API_KEY_INVALID: no X-Client-Id")


@blp.route("/redeem")
class Redeem(MethodView):
    @errors(blp, MALFORMED, TENANT,
            (422, "VALIDATION_FAILED: bad fields; VOUCHER_INVALID: details.reason NOT_FOUND | EXPIRED | EXHAUSTED"))
    @blp.arguments(RedeemBody)
    @blp.response(201, RedeemResponse)
    def post(self, body):
        """Reserve one redemption of a voucher (counts toward maxRedemptions at once)."""
        return container().redemptions.redeem(gateway_client_id(), body["code"], body["email"])


@blp.route("/redemptions/<int(max=2147483647):redemption_id>/release")
class RedemptionRelease(MethodView):
    @errors(blp, TENANT, (404, "REDEMPTION_NOT_FOUND: no such redemption in this tenant"),
            (409, "REDEMPTION_CONFIRMED: a registered user holds this redemption"))
    @blp.response(204)
    def post(self, redemption_id):
        """Give a reserved redemption back (idempotent)."""
        container().redemptions.release(gateway_client_id(), redemption_id)
        return Response(status=204)
