"""Trainer profiles: the directory's list and search, one profile, and the tenant's kept counts and version."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, case, false, func, select, true, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.db import single_read, upsert
from stvos_shared.pagination import counted_page, joined_to_count

from ...domain.commands import FindTrainers, Owner
from ...domain.model import search_needle
from ..orm import Trainer, TrainerCount

PROFILE = (Trainer.id, Trainer.name, Trainer.bio, Trainer.image, Trainer.specialisations, Trainer.timezone,
           Trainer.active)


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
