"""The composition root of the booking service: only here do settings become objects."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.container import ServiceContainer, jwks_keys
from stvos_shared.db import Database
from stvos_shared.events.consumer import Consumer
from stvos_shared.service_client import InProcApps
from stvos_shared.tokens import TokenVerifier

from .adapters import orm
from .adapters.repository import Repositories
from .adapters.unit_of_work import UnitOfWork
from .config import Settings
from .service.availability import Availability
from .service.classes import Classes
from .service.clock import Clock
from .service.completions import Completions
from .service.handlers import HANDLERS
from .service.my_bookings import MyBookings
from .service.programmes import Programmes
from .service.schedule import Schedule
from .service.sessions import Sessions
from .service.trainer_bookings import TrainerBookings


@dataclass(kw_only=True)
class BookingContainer(ServiceContainer):
    """The booking service's adapters and the use cases built on them."""

    verifier: TokenVerifier
    clock: Clock
    uow: UnitOfWork
    availability: Availability
    sessions: Sessions
    classes: Classes
    programmes: Programmes
    my_bookings: MyBookings
    schedule: Schedule
    trainer_bookings: TrainerBookings
    completions: Completions


def build(settings: Settings, apps: InProcApps | None = None) -> BookingContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    uow, clock, video = UnitOfWork(db), Clock(), settings.video
    completions = Completions(uow, clock)
    return BookingContainer(
        name="booking", db=db, outbox=orm.outbox,
        consumer=Consumer("booking", db, orm.inbox, HANDLERS, context=Repositories),
        verifier=TokenVerifier(jwks_keys(settings.auth_url, apps), "stvos-auth", "stvos-api"),
        clock=clock, uow=uow, availability=Availability(uow, clock), sessions=Sessions(uow, clock, video),
        classes=Classes(uow, clock), programmes=Programmes(uow, clock), my_bookings=MyBookings(uow, clock, video),
        schedule=Schedule(uow), trainer_bookings=TrainerBookings(uow),
        completions=completions, jobs=(completions,),
    )
