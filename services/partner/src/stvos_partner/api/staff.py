"""/partner/staff and /partner/overview: the partner's team and its figures."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.pagination import PageQuery
from stvos_shared.security import require_auth

from .admin_schemas import OverviewResponse
from .deps import ADMIN_403, MALFORMED, TOKEN_401, container, staff
from .schemas import StaffBody, StaffListResponse, StaffResponse

blp = Blueprint("partner_staff", __name__, url_prefix="/partner",
                description="The partner's staff accounts and dashboard figures.")


@blp.route("/staff")
class StaffMembers(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401, 422)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, StaffListResponse)
    def get(self, args):
        """List the partner's staff accounts."""
        return container().staff.list(staff().client_id, args["page"], args["limit"])

    @require_auth("admin")
    @errors(blp, MALFORMED, TOKEN_401, ADMIN_403, 422,
            (409, "EMAIL_TAKEN: a partner staff account already has this email"))
    @blp.arguments(StaffBody)
    @blp.response(201, StaffResponse)
    def post(self, body):
        """Create a staff account (role admin or staff) for the partner."""
        return {"staff": container().staff.create(staff().client_id, body["email"], body["password"], body["role"],
                                                  name=body.get("name"))}


@blp.route("/overview")
class Overview(MethodView):
    @require_auth()
    @errors(blp, TOKEN_401)
    @blp.response(200, OverviewResponse)
    def get(self):
        """Registrations through vouchers, trainers, active trainers and trainers with an account."""
        return container().vouchers.overview(staff().client_id)
