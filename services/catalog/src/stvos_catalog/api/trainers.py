"""/trainers: what users (and trainers) of a tenant see of its trainers."""
from __future__ import annotations

from flask.views import MethodView
from stvos_shared.api import Blueprint, errors
from stvos_shared.security import require_auth

from ..domain.commands import FindTrainers
from .deps import tenant, use_cases
from .schemas import (
    TrainerClassesResponse,
    TrainerDetailResponse,
    TrainerListResponse,
    TrainerServicesResponse,
    TrainersQuery,
)

blp = Blueprint("trainers", __name__, url_prefix="/trainers",
                description="Trainer discovery: profiles, services, classes and programmes of the tenant's trainers.")

ID = "<int(max=2147483647):trainer_id>"
MISSING = (404, "TRAINER_NOT_FOUND: no such trainer in this tenant")
READERS = ("user", "trainer")


@blp.route("")
class Trainers(MethodView):
    @require_auth(*READERS)
    @errors(blp, 401, 403, 422)
    @blp.arguments(TrainersQuery, location="query")
    @blp.response(200, TrainerListResponse, remembered=True)
    def get(self, query):
        """List the tenant's trainers by name; search names and specialisations; active ones unless asked."""
        return use_cases().directory.find(FindTrainers(client_id=tenant(), **query))


@blp.route(f"/{ID}")
class TrainerById(MethodView):
    @require_auth(*READERS)
    @errors(blp, 401, 403, MISSING)
    @blp.response(200, TrainerDetailResponse)
    def get(self, trainer_id):
        """A trainer's profile with their services, upcoming group classes and programmes."""
        return {"trainer": use_cases().directory.trainer(tenant(), trainer_id)}


@blp.route(f"/{ID}/services")
class TrainerServices(MethodView):
    @require_auth(*READERS)
    @errors(blp, 401, 403, MISSING)
    @blp.response(200, TrainerServicesResponse)
    def get(self, trainer_id):
        """The services a trainer offers."""
        return {"services": use_cases().directory.services(tenant(), trainer_id)}


@blp.route(f"/{ID}/classes")
class TrainerClasses(MethodView):
    @require_auth(*READERS)
    @errors(blp, 401, 403, MISSING)
    @blp.response(200, TrainerClassesResponse)
    def get(self, trainer_id):
        """A trainer's recorded classes and upcoming group classes with the places left."""
        return use_cases().directory.classes(tenant(), trainer_id)
