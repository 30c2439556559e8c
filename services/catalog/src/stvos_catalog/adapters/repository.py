"""Queries on the catalog's tables: the only place that builds them (here and in repositories/). Every tenant
query filters by client_id.

`Repositories(session)` hands out one repository per aggregate, bound to one transaction.
"""
from __future__ import annotations

from sqlalchemy.orm import Session
from stvos_shared.domain import DomainEvent
from stvos_shared.events import Outbox
from stvos_shared.reservations import Reservations

from .orm import GroupClass, InviteCode, Programme, RecordedClass, Service, outbox
from .repositories.directory import Directory
from .repositories.owned import INVITE_USES, NEWEST_FIRST, GroupClasses, InviteCodes, Owned, Programmes
from .repositories.trainers import Trainers


class Events:
    """The outbox, bound to the transaction: an event is written with the change that caused it."""

    def __init__(self, session: Session, table: Outbox) -> None:
        self.session, self.table = session, table

    def add(self, event: DomainEvent, client_id: int) -> None:
        self.table.add(self.session, event, client_id)


class Repositories:
    def __init__(self, session: Session) -> None:
        self.trainers = Trainers(session)
        self.directory = Directory(session)
        self.services = Owned(session, Service, (Service.name,))
        self.recorded_classes = Owned(session, RecordedClass, (RecordedClass.name,))
        self.group_classes = GroupClasses(session, GroupClass, (GroupClass.starts_at,))
        self.programmes = Programmes(session, Programme, (Programme.name,))
        self.invite_codes = InviteCodes(session, InviteCode, NEWEST_FIRST)
        self.invite_redemptions = Reservations(session, INVITE_USES)
        self.outbox = Events(session, outbox)
