"""Repositories(session): the only place that builds queries, one attribute per aggregate."""
from __future__ import annotations

from sqlalchemy.orm import Session
from stvos_shared.domain import DomainEvent
from stvos_shared.events import Event

from .. import orm
from .clients import Clients
from .insights import Insights
from .readmodel import ReadModel
from .rooms import Rooms

__all__ = ["Repositories"]


class BoundOutbox:
    """The outbox, in this unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, event: DomainEvent, client_id: int) -> Event:
        return orm.outbox.add(self.session, event, client_id)


class Repositories:
    """The portal's repositories bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self.readmodel = ReadModel(session)
        self.clients = Clients(session)
        self.insights = Insights(session)
        self.rooms = Rooms(session)
        self.outbox = BoundOutbox(session)
