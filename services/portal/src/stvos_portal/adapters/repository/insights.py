"""The figures of the dashboard and the profile, each in one query over the read models."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, and_, case, distinct, func, literal, null, or_, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ...domain.model import (
    EARNING_PARTICIPATION_STATUSES,
    EARNING_SESSION_STATUSES,
    NON_EARNING_SUBSCRIPTION_STATUSES,
    Period,
    Periods,
    TrainerScope,
)
from ..orm import Participation, Subscription, Trainer, TrainerClient, User
from ..orm import Session as SessionBooking
from ._sql import owned
from .clients import active_clause


def _within(column: Any, period: Period) -> Any:
    return and_(column >= period.starts, column < period.ends)


def _count(model: Any, scope: TrainerScope, *conditions: Any, what: Any = None) -> Any:
    counted = func.count() if what is None else func.count(distinct(what))
    return select(counted).select_from(model).where(*owned(model, scope), *conditions).scalar_subquery()


def _with_client_name(query: Any) -> Any:
    return query.outerjoin(User, and_(User.client_id == SessionBooking.client_id,
                                      User.user_id == SessionBooking.user_id))


class Insights:
    """Revenue, the week's summary, today's and upcoming bookings, the profile's statistics."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def timezone(self, scope: TrainerScope) -> str | None:
        query = select(Trainer.timezone).where(*owned(Trainer, scope))
        return self.session.scalar(query)

    def revenue(self, scope: TrainerScope, periods: Periods) -> list[Row]:
        """(currency, today, week, month) in minor units, per currency earned in any of the three periods."""
        span = periods.span
        earned = union_all(
            select(SessionBooking.currency.label("currency"), SessionBooking.price_minor.label("minor"),
                   SessionBooking.starts_at.label("at"))
            .where(*owned(SessionBooking, scope), SessionBooking.status.in_(EARNING_SESSION_STATUSES),
                   _within(SessionBooking.starts_at, span)),
            select(Participation.currency, Participation.payment_minor, Participation.starts_at)
            .where(*owned(Participation, scope), Participation.status.in_(EARNING_PARTICIPATION_STATUSES),
                   _within(Participation.starts_at, span)),
            select(Subscription.currency, Subscription.payment_minor, Subscription.first_seen_at)
            .where(*owned(Subscription, scope), Subscription.status.not_in(NON_EARNING_SUBSCRIPTION_STATUSES),
                   _within(Subscription.first_seen_at, span)),
        ).subquery()

        def total(period: Period) -> Any:
            return func.coalesce(func.sum(case((_within(earned.c.at, period), earned.c.minor), else_=0)), 0)

        query = (select(earned.c.currency, total(periods.today).label("today"), total(periods.week).label("week"),
                        total(periods.month).label("month"))
                 .group_by(earned.c.currency).order_by(earned.c.currency))
        return list(self.session.execute(query))

    def week_summary(self, scope: TrainerScope, week: Period) -> Row:
        """Sessions and classes taking place this week, new clients, and this week's bookings cancelled."""
        return self.session.execute(select(
            _count(SessionBooking, scope, SessionBooking.status != "cancelled",
                   _within(SessionBooking.starts_at, week)).label("sessions"),
            _count(Participation, scope, Participation.status == "joined", _within(Participation.starts_at, week),
                   what=Participation.class_id).label("classes"),
            _count(TrainerClient, scope, _within(TrainerClient.since, week)).label("new_clients"),
            _count(SessionBooking, scope, SessionBooking.status == "cancelled",
                   _within(SessionBooking.starts_at, week)).label("cancelled_sessions"),
            _count(Participation, scope, Participation.status == "cancelled",
                   _within(Participation.starts_at, week)).label("cancelled_participations"),
        )).one()

    def day_bookings(self, scope: TrainerScope, day: Period) -> list[Row]:
        """The day's sessions (not cancelled) with their client, and its classes with their participants."""
        sessions = _with_client_name(select(
            literal("session").label("type"), SessionBooking.booking_id.label("id"),
            SessionBooking.service_name.label("name"), SessionBooking.starts_at.label("starts_at"),
            SessionBooking.ends_at.label("ends_at"), SessionBooking.status.label("status"),
            SessionBooking.user_id.label("user_id"), User.name.label("user_name"), literal(1).label("participants"),
        )).where(*owned(SessionBooking, scope), SessionBooking.status != "cancelled",
                 _within(SessionBooking.starts_at, day))
        classes = select(
            literal("class"), Participation.class_id, func.max(Participation.class_name),
            func.min(Participation.starts_at), func.max(Participation.ends_at), null().cast(String),
            null().cast(Integer), null().cast(String), func.count(),
        ).where(*owned(Participation, scope), Participation.status == "joined",
                _within(Participation.starts_at, day)).group_by(Participation.class_id)
        timeline = union_all(sessions, classes).subquery()
        return list(self.session.execute(select(timeline).order_by(timeline.c.starts_at, timeline.c.id)))

    def upcoming_sessions(self, scope: TrainerScope, now: datetime, limit: int) -> list[Row]:
        query = _with_client_name(select(
            SessionBooking.booking_id.label("id"), SessionBooking.service_name.label("name"),
            SessionBooking.starts_at, SessionBooking.ends_at, SessionBooking.status, SessionBooking.user_id,
            User.name.label("user_name"),
        )).where(*owned(SessionBooking, scope), SessionBooking.status == "confirmed", SessionBooking.starts_at > now)
        return list(self.session.execute(query.order_by(SessionBooking.starts_at, SessionBooking.booking_id)
                                         .limit(limit)))

    def statistics(self, scope: TrainerScope, now: datetime) -> Row:
        """Sessions that took place and ahead, active clients, classes taught, active programme subscribers."""
        took_place = or_(SessionBooking.status == "completed",
                         and_(SessionBooking.status == "confirmed", SessionBooking.ends_at <= now))
        active_clients = (select(func.count()).select_from(TrainerClient)
                          .where(*owned(TrainerClient, scope), active_clause(now)).scalar_subquery())
        return self.session.execute(select(
            _count(SessionBooking, scope, took_place).label("sessions_completed"),
            _count(SessionBooking, scope, SessionBooking.status == "confirmed",
                   SessionBooking.starts_at > now).label("sessions_upcoming"),
            active_clients.label("active_clients"),
            _count(Participation, scope, Participation.status == "joined", Participation.ends_at <= now,
                   what=Participation.class_id).label("classes_taught"),
            _count(Subscription, scope, Subscription.status == "active",
                   what=Subscription.user_id).label("active_programme_subscribers"),
        )).one()
