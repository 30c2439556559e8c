"""The composition root of the portal service: settings become adapters, and adapters become use cases."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from stvos_shared.container import ServiceContainer, jwks_keys
from stvos_shared.db import Database, UnitOfWork, utcnow
from stvos_shared.events.consumer import Consumer
from stvos_shared.service_client import InProcApps, ServiceClient
from stvos_shared.tokens import TokenVerifier
from stvos_shared.video import DEV_URL, LiveKit

from .adapters import orm
from .adapters.booking import BookingClient
from .adapters.catalog import CatalogGroupClasses, CatalogProfiles
from .adapters.livekit import LiveKitRooms, RoomsOnJoin, VideoRooms
from .adapters.repository import Repositories
from .config import Settings
from .service.clients import Clients
from .service.dashboard import Dashboard
from .service.handlers import HANDLERS
from .service.launches import Launches, Meetings
from .service.profile import Profiles

ISSUER, AUDIENCE = "stvos-auth", "stvos-api"


@dataclass(kw_only=True)
class PortalContainer(ServiceContainer):
    """The portal's adapters and the use cases built on them."""

    verifier: TokenVerifier
    profiles: Profiles
    clients: Clients
    dashboard: Dashboard
    launches: Launches


def _peer(url: str, settings: Settings, apps: InProcApps | None) -> ServiceClient:
    """A client of catalog or booking that answers 503 within 2 s when the peer is down or silent."""
    return ServiceClient(url, apps=apps, connect_timeout=settings.peer_connect_timeout,
                         read_timeout=settings.peer_read_timeout, retries=0)


def _video(settings: Settings) -> tuple[Meetings, VideoRooms]:
    livekit = LiveKit(settings.livekit_url or DEV_URL, settings.livekit_api_key, settings.livekit_api_secret)
    rooms = LiveKitRooms(livekit, settings.livekit_timeout) if settings.livekit_url else RoomsOnJoin()
    return Meetings(livekit, settings.meeting_base_url), rooms


def build(settings: Settings, apps: InProcApps | None = None,
          clock: Callable[[], datetime] = utcnow) -> PortalContainer:
    """Wire the service; connects to nothing until first used."""
    db = Database(settings.database_url, orm.metadata)
    uow = UnitOfWork(db, Repositories)
    catalog, booking = _peer(settings.catalog_url, settings, apps), _peer(settings.booking_url, settings, apps)
    meetings, rooms = _video(settings)
    return PortalContainer(
        name="portal", db=db, outbox=orm.outbox,
        consumer=Consumer("portal", db, orm.inbox, HANDLERS, context=Repositories),
        verifier=TokenVerifier(jwks_keys(settings.auth_url, apps), ISSUER, AUDIENCE),
        profiles=Profiles(uow, CatalogProfiles(catalog), clock),
        clients=Clients(uow, clock),
        dashboard=Dashboard(uow, clock),
        launches=Launches(uow, BookingClient(booking), CatalogGroupClasses(catalog), rooms, meetings, clock),
    )
