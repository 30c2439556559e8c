"""What users see of a trainer's offerings: one UNION ALL of the kinds a page shows, built once at import."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, cast, literal, null, select, true, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from stvos_shared.db import UtcDateTime, single_read

from ..orm import GroupClass, Programme, RecordedClass, Service

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
