"""/partner/staff and /partner/overview: the partner's team and its figures."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint
from stvos_shared.pagination import PageArgs
from stvos_shared.security import require_auth

from ..service import overview
from ..service import staff as staff_service
from .admin_schemas import OverviewSchema
from .deps import container, staff
from .docs import MALFORMED, errors
from .schemas import StaffCreateSchema, StaffListSchema, StaffResponseSchema

blp = Blueprint("partner_staff", __name__, url_prefix="/partner",
                description="The partner's staff accounts and dashboard figures.")

READ = (401, "TOKEN_INVALID / TOKEN_EXPIRED: no valid partner access token")


@blp.route("/staff")
class StaffMembers(MethodView):
    @require_auth()
    @errors(blp, READ)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StaffListSchema)
    def get(self, args):
        """List the partner's staff accounts."""
        return staff_service.list_staff(container(), staff().client_id, args["page"], args["limit"])

    @require_auth("admin")
    @errors(blp, MALFORMED, READ, (403, "FORBIDDEN: the staff role may only read"),
            (409, "EMAIL_TAKEN: a partner staff account already has this email"))
    @blp.arguments(StaffCreateSchema)
    @blp.response(201, StaffResponseSchema)
    def post(self, body):
        """Create a staff account (role admin or staff) for the partner."""
        created = staff_service.create_staff(container(), staff().client_id, body["email"], body["password"],
                                             body["role"], name=body.get("name"))
        return {"staff": created}


@blp.route("/overview")
class Overview(MethodView):
    @require_auth()
    @errors(blp, READ)
    @blp.response(200, OverviewSchema)
    def get(self):
        """Registrations through vouchers, trainers, active trainers and trainers with an account."""
        return overview.overview(container(), staff().client_id)
