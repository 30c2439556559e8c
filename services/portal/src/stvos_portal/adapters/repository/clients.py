"""The trainer's clients: a page of them with their counts, activity and last/next booking, and notes/tags."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, false, func, literal, not_, or_, select, union_all, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ...domain.model import TrainerScope, active_since
from ..orm import Participation, Subscription, TrainerClient, User
from ..orm import Session as SessionBooking
from ._sql import owned


def _same_client(model: Any) -> Any:
    return and_(model.client_id == TrainerClient.client_id, model.trainer_id == TrainerClient.trainer_id,
                model.user_id == TrainerClient.user_id)


def active_clause(now: datetime) -> Any:
    """The client (TrainerClient row) has a live session or class since the window, or a programme running then."""
    since = active_since(now)
    return or_(
        exists().where(_same_client(SessionBooking), SessionBooking.status != "cancelled",
                       SessionBooking.starts_at >= since),
        exists().where(_same_client(Participation), Participation.status == "joined", Participation.starts_at >= since),
        exists().where(_same_client(Subscription), Subscription.status != "cancelled",
                       Subscription.end_date >= since.date()),
    )


def _count(model: Any, *conditions: Any) -> Any:
    return select(func.count()).select_from(model).where(_same_client(model), *conditions).scalar_subquery()


class Clients:
    """Reads and writes of trainer_clients, joined with what the read models know of each client."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _filtered(self, scope: TrainerScope, now: datetime, status: str | None, search: str | None,
                  user_id: int | None = None) -> Any:
        who = and_(User.client_id == TrainerClient.client_id, User.user_id == TrainerClient.user_id)
        query = (select(TrainerClient.user_id).select_from(TrainerClient).outerjoin(User, who)
                 .where(*owned(TrainerClient, scope)))
        if user_id is not None:
            query = query.where(TrainerClient.user_id == user_id)
        if status is not None:
            query = query.where(active_clause(now) if status == "active" else not_(active_clause(now)))
        if search:
            needle = search.strip().lower()
            query = query.where(or_(func.lower(User.name).contains(needle, autoescape=True),
                                    func.lower(User.email).contains(needle, autoescape=True)))
        return query

    def page(self, scope: TrainerScope, now: datetime, status: str | None, search: str | None, page: int,
             limit: int, user_id: int | None = None) -> tuple[list[Row], int]:
        """One page of clients (ordered by name) with their figures, and how many match: two queries."""
        base = self._filtered(scope, now, status, search, user_id)
        total = self.session.scalar(select(func.count()).select_from(base.subquery())) or 0
        if total == 0:
            return [], 0
        query = base.with_only_columns(
            TrainerClient.user_id, User.name, User.email, TrainerClient.notes, TrainerClient.tags,
            TrainerClient.since,
            _count(SessionBooking, SessionBooking.status != "cancelled").label("sessions"),
            _count(Participation, Participation.status == "joined").label("classes"),
            _count(Subscription, Subscription.status != "cancelled").label("programmes"),
            case((active_clause(now), True), else_=false()).label("active"),
            maintain_column_froms=True,
        ).order_by(func.lower(func.coalesce(User.name, User.email, "")), TrainerClient.user_id)
        rows = list(self.session.execute(query.limit(limit).offset((page - 1) * limit)))
        return rows, total

    def last_and_next(self, scope: TrainerScope, user_ids: list[int], now: datetime) -> list[Row]:
        """Each client's latest session or class that has started and the earliest still ahead: one query."""
        if not user_ids:
            return []
        sessions = select(
            SessionBooking.user_id.label("user_id"), literal("session").label("type"),
            SessionBooking.booking_id.label("id"), SessionBooking.service_name.label("name"),
            SessionBooking.starts_at.label("starts_at"), SessionBooking.ends_at.label("ends_at"),
        ).where(*owned(SessionBooking, scope), SessionBooking.user_id.in_(user_ids),
                SessionBooking.status != "cancelled")
        classes = select(
            Participation.user_id, literal("class"), Participation.class_id, Participation.class_name,
            Participation.starts_at, Participation.ends_at,
        ).where(*owned(Participation, scope), Participation.user_id.in_(user_ids), Participation.status == "joined")
        timeline = union_all(sessions, classes).subquery()
        ahead = timeline.c.starts_at > now
        rank = func.row_number().over(partition_by=[timeline.c.user_id, ahead],
                                      order_by=[case((ahead, timeline.c.starts_at)).asc(), timeline.c.starts_at.desc()])
        ranked = select(timeline, ahead.label("ahead"), rank.label("rank")).subquery()
        return list(self.session.execute(select(ranked).where(ranked.c.rank == 1)))

    def is_client(self, scope: TrainerScope, user_id: int) -> bool:
        query = select(TrainerClient.user_id).where(*owned(TrainerClient, scope), TrainerClient.user_id == user_id)
        return self.session.execute(query).first() is not None

    def annotate(self, scope: TrainerScope, user_id: int, changes: dict[str, Any]) -> bool:
        """Set notes and/or tags of one client; False when the user is not this trainer's client."""
        if not changes:
            return self.is_client(scope, user_id)
        statement = (update(TrainerClient).where(*owned(TrainerClient, scope), TrainerClient.user_id == user_id)
                     .values(**changes))
        return self.session.execute(statement).rowcount == 1
