"""/partner/vouchers: the tenant's voucher codes and who redeemed them (admins write, staff read)."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint
from stvos_shared.pagination import PageArgs
from stvos_shared.security import require_auth

from ..service import vouchers
from .admin_schemas import RedemptionListSchema, VoucherCreateSchema, VoucherListSchema, VoucherResponseSchema
from .deps import container, staff
from .docs import MALFORMED, errors

blp = Blueprint("partner_vouchers", __name__, url_prefix="/partner/vouchers",
                description="Voucher codes users register with; each is valid only in its own tenant.")

READ = (401, "TOKEN_INVALID / TOKEN_EXPIRED: no valid partner access token")


@blp.route("")
class Vouchers(MethodView):
    @require_auth()
    @errors(blp, READ)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, VoucherListSchema)
    def get(self, args):
        """List the tenant's vouchers, newest first."""
        return vouchers.list_vouchers(container(), staff().client_id, args["page"], args["limit"])

    @require_auth("admin")
    @errors(blp, MALFORMED, READ, (403, "FORBIDDEN: the staff role may only read"),
            (409, "VOUCHER_CODE_TAKEN: the tenant already has a voucher with this code"))
    @blp.arguments(VoucherCreateSchema)
    @blp.response(201, VoucherResponseSchema)
    def post(self, body):
        """Create a voucher (a code is generated when none is given)."""
        voucher = vouchers.create_voucher(container(), staff().client_id, body.get("code"),
                                          body.get("max_redemptions"), body.get("expires_at"))
        return {"voucher": voucher}


@blp.route("/<int(max=2147483647):voucher_id>/redemptions")
class VoucherRedemptions(MethodView):
    @require_auth()
    @errors(blp, READ, (404, "VOUCHER_NOT_FOUND: no such voucher in this tenant"))
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RedemptionListSchema)
    def get(self, args, voucher_id):
        """List a voucher's redemptions, newest first."""
        return vouchers.list_redemptions(container(), staff().client_id, voucher_id, args["page"], args["limit"])
