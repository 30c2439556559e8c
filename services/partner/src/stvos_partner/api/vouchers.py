"""/partner/vouchers: the tenant's voucher codes and who redeemed them (admins write, staff read)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.pagination import PageQuery
from stvos_shared.security import require_auth

from .admin_schemas import RedemptionListResponse, VoucherBody, VoucherListResponse, VoucherResponse
from .deps import ADMIN_403, MALFORMED, TOKEN_401, container, staff

blp = Blueprint("partner_vouchers", __name__, url_prefix="/partner/vouchers",
                description="Voucher codes users register with; each is valid only in its own tenant.")


@blp.route("")
class Vouchers(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401, 422)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, VoucherListResponse)
    def get(self, args):
        """List the tenant's vouchers, newest first."""
        return container().vouchers.list(staff().client_id, args["page"], args["limit"])

    @require_auth("admin")
    @errors(blp, MALFORMED, TOKEN_401, ADMIN_403, 422,
            (409, "VOUCHER_CODE_TAKEN: the tenant already has a voucher with this code"))
    @blp.arguments(VoucherBody)
    @blp.response(201, VoucherResponse)
    def post(self, body):
        """Create a voucher (a code is generated when none is given)."""
        return container().vouchers.create(staff().client_id, body.get("code"), body.get("max_redemptions"),
                                           body.get("expires_at"))


@blp.route("/<int(max=2147483647):voucher_id>/redemptions")
class VoucherRedemptions(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401, 422, (404, "VOUCHER_NOT_FOUND: no such voucher in this tenant"))
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, RedemptionListResponse)
    def get(self, args, voucher_id):
        """List a voucher's redemptions, newest first."""
        return container().vouchers.redemptions(staff().client_id, voucher_id, args["page"], args["limit"])
