"""The guarded writes: no double booking, no overselling, one live participation or subscription each.

Each function works inside the caller's unit of work (`transactions.run_write`), so the caller can add
its outbox event and idempotency record to the same transaction. On SQLite that transaction is BEGIN
IMMEDIATE, and the checks made here are exact; on PostgreSQL they only spare the common case a failed
INSERT: the exclusion constraint, the partial unique indexes and the conditional capacity UPDATE are
what decide a race, and `run_write` turns their violations into the 409s below.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from stvos_shared.errors import invalid_fields

from ..adapters.orm import (
    LIVE_SUBSCRIPTION_STATUSES,
    SESSION_STATUSES,
    ClassParticipation,
    GroupClass,
    ProgrammeSubscription,
    SessionBooking,
    utcnow,
)
from ..domain.timerange import InvalidTimeRange, TimeRange
from .errors import (
    AlreadyJoined,
    AlreadySubscribed,
    BookingNotCancellable,
    BookingNotFound,
    ClassFull,
    ClassNotFound,
    ParticipationNotFound,
    SlotTaken,
)


def _time_range(starts_at: datetime, ends_at: datetime) -> TimeRange:
    try:
        return TimeRange(starts_at, ends_at)
    except InvalidTimeRange as error:
        raise invalid_fields(endsAt=str(error)) from error


def _overlapping(session: Session, client_id: int, trainer_id: int, span: TimeRange,
                 ignore_id: int | None = None) -> bool:
    """Whether a live booking of the trainer shares an instant with `span` (half-open ranges)."""
    query = select(SessionBooking.id).where(
        SessionBooking.client_id == client_id, SessionBooking.trainer_id == trainer_id,
        SessionBooking.status != "cancelled",
        SessionBooking.starts_at < span.ends_at, SessionBooking.ends_at > span.starts_at)
    if ignore_id is not None:
        query = query.where(SessionBooking.id != ignore_id)
    return session.scalar(query.limit(1)) is not None


def book_session(session: Session, *, client_id: int, trainer_id: int, user_id: int, starts_at: datetime,
                 ends_at: datetime, price: Decimal, currency: str, service_id: int | None = None,
                 slot_id: int | None = None, notes: str | None = None) -> SessionBooking:
    """Book [starts_at, ends_at) of the trainer for the user; 409 SLOT_TAKEN if any of it is booked."""
    span = _time_range(starts_at, ends_at)
    if _overlapping(session, client_id, trainer_id, span):
        raise SlotTaken()
    booking = SessionBooking(client_id=client_id, trainer_id=trainer_id, user_id=user_id, service_id=service_id,
                             slot_id=slot_id, starts_at=span.starts_at, ends_at=span.ends_at, status="confirmed",
                             notes=notes, price=price, currency=currency)
    session.add(booking)
    session.flush()  # on PostgreSQL the exclusion constraint decides here
    return booking


def _booking(session: Session, client_id: int, booking_id: int, user_id: int | None) -> SessionBooking:
    query = select(SessionBooking).where(SessionBooking.id == booking_id, SessionBooking.client_id == client_id)
    if user_id is not None:
        query = query.where(SessionBooking.user_id == user_id)
    booking = session.scalar(query.with_for_update())
    if booking is None:
        raise BookingNotFound()
    return booking


def cancel_session(session: Session, *, client_id: int, booking_id: int,
                   user_id: int | None = None) -> SessionBooking:
    """Cancel a confirmed booking, freeing its time range; cancelling it again changes nothing.

    With `user_id`, another user's booking answers like a missing one (404 BOOKING_NOT_FOUND).
    """
    booking = _booking(session, client_id, booking_id, user_id)
    if booking.status == "cancelled":
        return booking
    if booking.status != "confirmed":
        raise BookingNotCancellable()
    booking.status = "cancelled"
    session.flush()
    return booking


def set_session_status(session: Session, *, client_id: int, booking_id: int, status: str) -> SessionBooking:
    """The trainer's status change; bringing a cancelled booking back takes its time range again."""
    if status not in SESSION_STATUSES:
        raise invalid_fields(status=f"must be one of {', '.join(SESSION_STATUSES)}")
    booking = _booking(session, client_id, booking_id, None)
    if booking.status == "cancelled" and status != "cancelled":
        span = TimeRange(booking.starts_at, booking.ends_at)
        if _overlapping(session, client_id, booking.trainer_id, span, ignore_id=booking.id):
            raise SlotTaken()
    booking.status = status
    session.flush()  # on PostgreSQL the exclusion constraint checks the revived range
    return booking


def _joined(session: Session, client_id: int, class_id: int, user_id: int) -> ClassParticipation | None:
    return session.scalar(select(ClassParticipation).where(
        ClassParticipation.client_id == client_id, ClassParticipation.class_id == class_id,
        ClassParticipation.user_id == user_id, ClassParticipation.status == "joined"))


def _take_place(session: Session, client_id: int, class_id: int) -> str:
    """One place of the class, taken by a conditional UPDATE (racers queue on the row); its currency."""
    currency = session.scalar(
        update(GroupClass)
        .where(GroupClass.id == class_id, GroupClass.client_id == client_id, GroupClass.active.is_(True),
               GroupClass.participants < GroupClass.capacity)
        .values(participants=GroupClass.participants + 1)
        .returning(GroupClass.currency).execution_options(synchronize_session=False))
    if currency is not None:
        return currency
    exists = session.scalar(select(GroupClass.id).where(
        GroupClass.id == class_id, GroupClass.client_id == client_id, GroupClass.active.is_(True)))
    raise ClassFull() if exists else ClassNotFound()


def join_class(session: Session, *, client_id: int, class_id: int, user_id: int,
               payment_amount: Decimal) -> ClassParticipation:
    """Take a place in an active class: 409 CLASS_FULL / ALREADY_JOINED, 404 CLASS_NOT_FOUND."""
    if _joined(session, client_id, class_id, user_id) is not None:
        raise AlreadyJoined()
    currency = _take_place(session, client_id, class_id)
    participation = ClassParticipation(client_id=client_id, class_id=class_id, user_id=user_id, status="joined",
                                       payment_amount=payment_amount, currency=currency)
    session.add(participation)
    session.flush()  # a twin's joined row fails the partial unique index: the place taken above rolls back
    return participation


def cancel_participation(session: Session, *, client_id: int, class_id: int, user_id: int) -> ClassParticipation:
    """Give the user's place back; cancelling again changes nothing. 404 if they never joined."""
    locked = session.scalar(select(GroupClass.id).where(GroupClass.id == class_id, GroupClass.client_id == client_id)
                            .with_for_update())  # the class row first, in the same order as join_class
    if locked is None:
        raise ClassNotFound()
    participation = _joined(session, client_id, class_id, user_id)
    if participation is None:
        latest = session.scalar(select(ClassParticipation).where(
            ClassParticipation.client_id == client_id, ClassParticipation.class_id == class_id,
            ClassParticipation.user_id == user_id).order_by(ClassParticipation.id.desc()).limit(1))
        if latest is None:
            raise ParticipationNotFound()
        return latest
    participation.status, participation.cancelled_at = "cancelled", utcnow()
    session.execute(update(GroupClass).where(GroupClass.id == class_id)
                    .values(participants=GroupClass.participants - 1).execution_options(synchronize_session=False))
    session.flush()
    return participation


def subscribe_programme(session: Session, *, client_id: int, programme_id: int, trainer_id: int, user_id: int,
                        start_date: date, payment_amount: Decimal, currency: str) -> ProgrammeSubscription:
    """Subscribe the user; 409 ALREADY_SUBSCRIBED while they hold an active or paused subscription."""
    live = session.scalar(select(ProgrammeSubscription.id).where(
        ProgrammeSubscription.client_id == client_id, ProgrammeSubscription.programme_id == programme_id,
        ProgrammeSubscription.user_id == user_id,
        ProgrammeSubscription.status.in_(LIVE_SUBSCRIPTION_STATUSES)).limit(1))
    if live is not None:
        raise AlreadySubscribed()
    subscription = ProgrammeSubscription(client_id=client_id, programme_id=programme_id, trainer_id=trainer_id,
                                         user_id=user_id, status="active", start_date=start_date,
                                         payment_amount=payment_amount, currency=currency)
    session.add(subscription)
    session.flush()  # the partial unique index decides a race
    return subscription
