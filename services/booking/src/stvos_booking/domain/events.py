"""What the booking service tells the others (payload contracts: stvos_shared.contracts.booking)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from stvos_shared.domain import DomainEvent


@dataclass(frozen=True)
class _Session(DomainEvent):
    booking_id: int
    trainer_id: int
    user_id: int
    service_id: int | None
    service_name: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: str
    price: Decimal
    currency: str
    late_cancellation: bool
    cancelled_by: str | None


class SessionBooked(_Session):
    TYPE = "booking.session.booked"


class SessionCancelled(_Session):
    TYPE = "booking.session.cancelled"


class SessionUpdated(_Session):
    TYPE = "booking.session.updated"


@dataclass(frozen=True)
class _Participation(DomainEvent):
    participation_id: int
    class_id: int
    trainer_id: int
    user_id: int
    class_name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    payment_amount: Decimal
    currency: str
    late_cancellation: bool
    cancelled_by: str | None
    participants: int
    capacity: int
    seat_version: int


class ParticipationJoined(_Participation):
    TYPE = "booking.class_participation.joined"


class ParticipationCancelled(_Participation):
    TYPE = "booking.class_participation.cancelled"


@dataclass(frozen=True)
class _Subscription(DomainEvent):
    subscription_id: int
    programme_id: int
    trainer_id: int
    user_id: int
    programme_name: str
    status: str
    start_date: date
    end_date: date
    payment_amount: Decimal
    currency: str
    subscribers: int
    subscribers_version: int


class ProgrammeSubscribed(_Subscription):
    TYPE = "booking.programme_subscription.subscribed"


class SubscriptionPaused(_Subscription):
    TYPE = "booking.programme_subscription.paused"


class SubscriptionResumed(_Subscription):
    TYPE = "booking.programme_subscription.resumed"


class SubscriptionCancelled(_Subscription):
    TYPE = "booking.programme_subscription.cancelled"


class SubscriptionCompleted(_Subscription):
    TYPE = "booking.programme_subscription.completed"


SUBSCRIPTION_EVENTS: dict[str, type[_Subscription]] = {
    "subscribe": ProgrammeSubscribed, "pause": SubscriptionPaused, "resume": SubscriptionResumed,
    "cancel": SubscriptionCancelled, "complete": SubscriptionCompleted,
}
