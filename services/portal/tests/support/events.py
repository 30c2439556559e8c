"""Events as booking, auth and catalog publish them, each checked against its contract before it is used."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from stvos_shared import contracts
from stvos_shared.events import Event

TENANT, OTHER_TENANT = 1, 2
TRAINER, OTHER_TRAINER = 5, 6
LONDON = "Europe/London"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _event(type_: str, data: dict, client_id: int, occurred_at: datetime) -> Event:
    problems = contracts.validate(type_, 1, data)
    assert problems == {}, f"{type_} does not match its contract: {problems}"
    return Event(type=type_, data=data, client_id=client_id, occurred_at=occurred_at)


SESSION_VERBS = {"confirmed": "booked", "cancelled": "cancelled", "completed": "updated", "no_show": "updated"}


def session(booking_id: int, user_id: int, starts_at: datetime, status: str = "confirmed", *,
            at: datetime, verb: str | None = None, trainer_id: int = TRAINER, client_id: int = TENANT,
            price: str = "75.00", currency: str = "GBP", minutes: int = 60, timezone: str = LONDON,
            service_name: str | None = "1-on-1 Training") -> Event:
    data = {"bookingId": booking_id, "trainerId": trainer_id, "userId": user_id, "serviceId": 1,
            "serviceName": service_name, "startsAt": starts_at.isoformat(),
            "endsAt": (starts_at + timedelta(minutes=minutes)).isoformat(), "timezone": timezone,
            "status": status, "price": price, "currency": currency, "lateCancellation": False,
            "cancelledBy": "user" if status == "cancelled" else None}
    return _event(f"booking.session.{verb or SESSION_VERBS[status]}", data, client_id, at)


def participation(participation_id: int, class_id: int, user_id: int, starts_at: datetime, status: str = "joined",
                  *, at: datetime, trainer_id: int = TRAINER, client_id: int = TENANT, payment: str = "15.00",
                  currency: str = "GBP", class_name: str = "Group HIIT", participants: int = 1,
                  capacity: int = 10, seat_version: int = 1) -> Event:
    data = {"participationId": participation_id, "classId": class_id, "trainerId": trainer_id, "userId": user_id,
            "className": class_name, "startsAt": starts_at.isoformat(),
            "endsAt": (starts_at + timedelta(minutes=45)).isoformat(), "status": status,
            "paymentAmount": payment, "currency": currency, "lateCancellation": False,
            "cancelledBy": "user" if status == "cancelled" else None, "participants": participants,
            "capacity": capacity, "seatVersion": seat_version}
    return _event(f"booking.class_participation.{status}", data, client_id, at)


SUBSCRIPTION_VERBS = {"active": "subscribed", "paused": "paused", "cancelled": "cancelled", "completed": "completed"}


def subscription(subscription_id: int, user_id: int, status: str = "active", *, at: datetime,
                 verb: str | None = None, trainer_id: int = TRAINER, client_id: int = TENANT,
                 payment: str = "299.00", currency: str = "GBP", start: date | None = None, weeks: int = 12,
                 programme_id: int = 3, subscribers: int = 1, subscribers_version: int = 1) -> Event:
    start = start or at.date()
    data = {"subscriptionId": subscription_id, "programmeId": programme_id, "trainerId": trainer_id,
            "userId": user_id, "programmeName": "12-Week Transformation", "status": status,
            "startDate": start.isoformat(), "endDate": (start + timedelta(weeks=weeks)).isoformat(),
            "paymentAmount": payment, "currency": currency, "subscribers": subscribers,
            "subscribersVersion": subscribers_version}
    return _event(f"booking.programme_subscription.{verb or SUBSCRIPTION_VERBS[status]}", data, client_id, at)


def registered(user_id: int, name: str | None, email: str, *, at: datetime, coach_id: int | None = None,
               client_id: int = TENANT) -> Event:
    data = {"userId": user_id, "email": email, "name": name, "role": "user", "coachId": coach_id,
            "sessionId": None, "voucher": None}
    return _event("auth.user.registered", data, client_id, at)


def trainer(trainer_id: int = TRAINER, *, at: datetime, timezone: str = LONDON, name: str = "Coach Mike",
            verb: str = "updated", client_id: int = TENANT) -> Event:
    data = {"trainerId": trainer_id, "name": name, "bio": None, "image": None, "specialisations": ["strength"],
            "timezone": timezone, "active": verb != "deactivated"}
    return _event(f"catalog.trainer.{verb}", data, client_id, at)
