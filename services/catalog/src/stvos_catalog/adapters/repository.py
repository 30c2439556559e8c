"""Queries on the catalog's tables: the only module that builds them. Every tenant query filters by client_id.

`Repositories(session)` hands out one repository per aggregate, bound to one transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Select,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.db import UtcDateTime, single_read, upsert
from stvos_shared.domain import DomainEvent
from stvos_shared.events import Outbox
from stvos_shared.pagination import counted_page, joined_to_count, paginate
from stvos_shared.reservations import Reservable, Reservations

from ..domain.commands import FindTrainers, ListPage, Owner
from ..domain.errors import InviteCodeTaken, InviteRedemptionConfirmed, InviteRedemptionNotFound
from ..domain.model import search_needle
from .orm import (
    UNIQUE_CODE,
    GroupClass,
    InviteCode,
    InviteRedemption,
    Programme,
    RecordedClass,
    Service,
    Trainer,
    TrainerCount,
    outbox,
)

M = TypeVar("M", Service, RecordedClass, GroupClass, Programme, InviteCode)
PROFILE = (Trainer.id, Trainer.name, Trainer.bio, Trainer.image, Trainer.specialisations, Trainer.timezone,
           Trainer.active)
Page = tuple[list[Any], dict[str, int]]
INVITE_USES = Reservable(  # a use also needs the code and its trainer active
    InviteCode.uses, InviteCode.max_uses, InviteCode.expires_at, InviteRedemption.invite_code_id,
    InviteRedemptionNotFound, InviteRedemptionConfirmed,
    usable=(InviteCode.active == true(), exists().where(Trainer.client_id == InviteCode.client_id,
                                                        Trainer.id == InviteCode.trainer_id, Trainer.active == true())))


def _contains(needle: str) -> str:
    """A LIKE pattern for `needle` anywhere (its own %, _ and \\ taken literally)."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _listing(search: bool) -> Select:
    """A page of a tenant's trainers, how many match and the directory version they were read at, in one
    statement (one snapshot, one round trip).

    The page takes its ids from the index, then reads only those rows; it is joined to the count so that a page
    past the end still answers the count (one row, its profile columns NULL). Without a search the count is the
    tenant's kept figure (trainer_counts); a search counts its matches.
    `active = :flag`, never `active IS TRUE`: PostgreSQL can use an index only for the former.
    """
    matching = select(Trainer.id).where(Trainer.client_id == bindparam("client_id"),
                                        Trainer.active == bindparam("active"))
    version = func.coalesce(VERSION.scalar_subquery(), 0).label("version")
    if search:
        matching = matching.where(Trainer.search_text.like(bindparam("pattern"), escape="\\"))
        count = select(func.count().label("total"), version).select_from(matching.subquery()).subquery("matching")
    else:  # the tenant's kept count: counting 10,000 index entries was half the database's time of a page
        kept = select(case((bindparam("active") == true(), TrainerCount.active), else_=TrainerCount.inactive)
                      ).where(TrainerCount.client_id == bindparam("client_id")).scalar_subquery()
        count = select(func.coalesce(kept, 0).label("total"), version).subquery("matching")
    ids = matching.order_by(Trainer.name, Trainer.id).limit(bindparam("limit")).offset(bindparam("offset"))
    page = select(*PROFILE).where(Trainer.id.in_(ids.scalar_subquery())).subquery("page")
    return joined_to_count(count, page, page.c.name, page.c.id)


# Built once: the list is the most read thing in the catalog, and building a statement costs more than running it.
VERSION = select(TrainerCount.version).where(TrainerCount.client_id == bindparam("client_id"))
LISTING = {False: _listing(search=False), True: _listing(search=True)}
PROFILE_BY_ID = select(*PROFILE).where(Trainer.client_id == bindparam("client_id"), Trainer.id == bindparam("id"))


class Trainers:
    """Trainer profiles: the public directory's reads and the profile's own changes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def profile(self, client_id: int, trainer_id: int) -> Row | None:
        """The profile; a read's first statement, so in autocommit on PostgreSQL (`single_read`)."""
        rows = single_read(self.session, PROFILE_BY_ID, {"client_id": client_id, "id": trainer_id})
        return rows[0] if rows else None

    def lock(self, trainer_id: int) -> Trainer | None:
        """The trainer row, locked until the transaction ends (a merge reads, then writes)."""
        return self.session.scalar(select(Trainer).where(Trainer.id == trainer_id).with_for_update())

    def add(self, trainer: Trainer) -> None:
        self.session.add(trainer)
        self.session.flush()

    def changed(self, client_id: int, recount: bool = True) -> None:
        """After a change the tenant's list shows: its directory version one more (the pages held of it are stale
        from this transaction's commit) and, after a trainer was added or its active flag changed (`recount`), its
        active and inactive trainers counted again. The counts row is locked first, so that the count (a later
        statement, which sees every transaction committed before the lock was granted) includes a concurrent
        writer's trainer."""
        self.session.execute(upsert(self.session, TrainerCount).values(client_id=client_id, active=0, inactive=0)
                             .on_conflict_do_nothing())
        mine = TrainerCount.client_id == client_id
        values: dict[str, Any] = {"version": TrainerCount.version + 1}
        if recount:
            self.session.execute(select(TrainerCount.client_id).where(mine).with_for_update())
            counted = select(func.count()).select_from(Trainer).where(Trainer.client_id == client_id)
            values.update(active=counted.where(Trainer.active == true()).scalar_subquery(),
                          inactive=counted.where(Trainer.active == false()).scalar_subquery())
        self.session.execute(update(TrainerCount).where(mine).values(**values))

    def version(self, client_id: int) -> int:
        """The tenant's directory version (0 before its first trainer); a read's first statement (`single_read`)."""
        rows = single_read(self.session, VERSION, {"client_id": client_id})
        return rows[0].version if rows else 0

    def timezone(self, owner: Owner) -> str | None:
        return self.session.scalar(select(Trainer.timezone).where(
            Trainer.client_id == owner.client_id, Trainer.id == owner.trainer_id))

    def find(self, find: FindTrainers) -> tuple[list[Any], dict[str, int], int]:
        """A page of profiles, by name then id, and the directory version it was read at; a search matches names
        and specialisations (trigram index)."""
        needle = search_needle(find.search or "")
        params = {"client_id": find.client_id, "active": find.active, "pattern": _contains(needle),
                  "limit": find.limit, "offset": (find.page - 1) * find.limit}
        rows = single_read(self.session, LISTING[bool(needle)], params, plan_each_time=True)  # depth, selectivity
        return *counted_page(rows, find.page, find.limit), rows[0].version


_OFFERING_COLUMNS = ("id", "name", "description", "duration", "price", "currency", "starts_at", "ends_at",
                     "timezone", "capacity", "participants", "weeks", "intensity", "video_url")


def _type_of(name: str) -> Any:
    """The column type a NULL stands in for (PostgreSQL types every branch of a UNION alike)."""
    for model in (GroupClass, Programme, RecordedClass):
        if name in model.__table__.c:
            return model.__table__.c[name].type
    raise KeyError(name)


def _mine(model: Any) -> list[Any]:
    return [model.client_id == bindparam("client_id"), model.trainer_id == bindparam("trainer_id"),
            model.active == true()]


def _branch(kind: str, model: Any) -> Select:
    """One branch of a UNION ALL of offerings: the shared columns, NULL where `model` has none."""
    upcoming = model is GroupClass
    columns = [literal(kind).label("kind"),
               (model.starts_at if upcoming else cast(null(), UtcDateTime)).label("sort_key")]
    for name in _OFFERING_COLUMNS:
        column = getattr(model, name, None)
        columns.append((column if column is not None else cast(null(), _type_of(name))).label(name))
    where = [*_mine(model), model.starts_at > bindparam("now")] if upcoming else _mine(model)
    return select(*columns).where(*where)


def _by_kind(*branches: Select) -> Select:
    rows = union_all(*branches).subquery()
    return select(rows).order_by(rows.c.kind, rows.c.sort_key, rows.c.name, rows.c.id)


# Built once: a trainer's page is read often, and building a UNION costs more than running it.
TRAINER_OFFERINGS = _by_kind(_branch("services", Service), _branch("classes", GroupClass),
                             _branch("programmes", Programme))
TRAINER_CLASSES = _by_kind(_branch("recorded", RecordedClass), _branch("classes", GroupClass))
TRAINER_SERVICES = select(*Service.__table__.c).where(*_mine(Service)).order_by(Service.name, Service.id)


class Directory:
    """What users see of a trainer's offerings: active ones, upcoming classes; one query each read."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _split(self, query: Select, kinds: tuple[str, ...], **params: Any) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {kind: [] for kind in kinds}
        for row in single_read(self.session, query, params):
            found[row.kind].append(row)
        return found

    def offerings(self, client_id: int, trainer_id: int, now: datetime) -> dict[str, list[Row]]:
        """Active services and programmes (by name), upcoming classes (by start): one query."""
        return self._split(TRAINER_OFFERINGS, ("services", "classes", "programmes"), client_id=client_id,
                           trainer_id=trainer_id, now=now)

    def classes(self, client_id: int, trainer_id: int, now: datetime) -> dict[str, list[Row]]:
        """Active recorded classes (by name) and upcoming group classes (by start): one query."""
        return self._split(TRAINER_CLASSES, ("recorded", "classes"), client_id=client_id, trainer_id=trainer_id,
                           now=now)

    def services(self, client_id: int, trainer_id: int) -> list[Row]:
        """Active services (by name)."""
        return list(single_read(self.session, TRAINER_SERVICES, {"client_id": client_id, "trainer_id": trainer_id}))


class Owned(Generic[M]):
    """One kind of offering, as its trainer manages it: only their own rows of their tenant."""

    def __init__(self, session: Session, model: type[M], order: tuple[Any, ...]) -> None:
        self.session, self.model, self.order = session, model, order

    def get(self, owner: Owner, item_id: int, lock: bool = False) -> M | None:
        model = self.model
        query = select(model).where(model.client_id == owner.client_id, model.trainer_id == owner.trainer_id,
                                    model.id == item_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def page(self, owner: Owner, page: ListPage) -> Page:
        model = self.model
        query = select(model).where(model.client_id == owner.client_id, model.trainer_id == owner.trainer_id)
        if page.active is not None:
            query = query.where(model.active == literal(page.active))
        return paginate(self.session, query.order_by(*self.order, model.id), page.page, page.limit)

    def add(self, item: M) -> M:
        self.session.add(item)
        self.session.flush()
        return item

    def flush(self) -> None:
        self.session.flush()


class GroupClasses(Owned[GroupClass]):
    def apply_seats(self, client_id: int, class_id: int, participants: int, version: int) -> bool:
        """Take booking's count of joined users if it is newer than the one kept (duplicates change nothing)."""
        result = self.session.execute(update(GroupClass).where(
            GroupClass.client_id == client_id, GroupClass.id == class_id, GroupClass.seat_version < version,
        ).values(participants=participants, seat_version=version))
        return result.rowcount == 1

    def public(self, client_id: int, class_id: int) -> GroupClass | None:
        return self.session.scalar(select(GroupClass).where(GroupClass.client_id == client_id,
                                                            GroupClass.id == class_id))


class Programmes(Owned[Programme]):
    def apply_subscribers(self, client_id: int, programme_id: int, subscribers: int, version: int) -> bool:
        """Take booking's count of live subscriptions if it is newer than the one kept."""
        result = self.session.execute(update(Programme).where(
            Programme.client_id == client_id, Programme.id == programme_id, Programme.subscribers_version < version,
        ).values(subscribers=subscribers, subscribers_version=version))
        return result.rowcount == 1


class InviteCodes(Owned[InviteCode]):
    def taken(self, code: str) -> bool:
        return self.session.scalar(select(InviteCode.id).where(InviteCode.code == code)) is not None

    def add(self, item: InviteCode) -> InviteCode:
        """Raises InviteCodeTaken when another code (of any tenant) has the same text."""
        try:
            return super().add(item)
        except IntegrityError as error:
            if UNIQUE_CODE in str(error.orig) or "invite_codes.code" in str(error.orig):
                raise InviteCodeTaken() from error
            raise

    def check(self, code: str) -> Row | None:
        """The code with its trainer's name and active flag, whatever the tenant (the public check)."""
        query = (select(InviteCode.id, InviteCode.client_id, InviteCode.trainer_id, InviteCode.active,
                        InviteCode.expires_at,
                        InviteCode.max_uses, InviteCode.uses, Trainer.name.label("trainer_name"),
                        Trainer.active.label("trainer_active"))
                 .join(Trainer, (Trainer.id == InviteCode.trainer_id) & (Trainer.client_id == InviteCode.client_id))
                 .where(InviteCode.code == code))
        return self.session.execute(query).first()

    def by_code(self, client_id: int, code: str) -> InviteCode | None:
        return self.session.scalar(select(InviteCode).where(InviteCode.client_id == client_id,
                                                            InviteCode.code == code))


class Events:
    """The outbox, bound to the transaction: an event is written with the change that caused it."""

    def __init__(self, session: Session, table: Outbox) -> None:
        self.session, self.table = session, table

    def add(self, event: DomainEvent, client_id: int) -> None:
        self.table.add(self.session, event, client_id)


NEWEST_FIRST = (InviteCode.created_at.desc(),)  # built once: Repositories are made for every request


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
