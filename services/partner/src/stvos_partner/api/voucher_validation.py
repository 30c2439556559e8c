"""/auth/voucher/validate: check a voucher code before registration (API key, no bearer token)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import gateway_client_id

from .deps import MALFORMED, container
from .schemas import VoucherCodeBody, VoucherValidationResponse

blp = Blueprint("voucher_validation", __name__, url_prefix="/auth/voucher",
                description="Voucher validation for client apps (X-API-Key only).")


@blp.route("/validate")
class VoucherValidation(MethodView):
    @blp.doc(security=[{"apiKey": []}])
    @errors(blp, MALFORMED, (401, "API_KEY_INVALID: no valid X-API-Key"))
    @blp.arguments(VoucherCodeBody)
    @blp.response(200, VoucherValidationResponse)
    def post(self, body):
        """Validate a voucher code of this tenant: valid with its partner, or the reason it is not."""
        return container().redemptions.validate(gateway_client_id(), body["code"])
