"""Events the booking service publishes: what catalog (seat and subscriber counts) and portal (clients,
dashboard, revenue) need. Counts come with a version that grows with every change of that count, so a
reader keeps the newest whatever order events arrive in."""
from __future__ import annotations

from marshmallow import fields, validate

from ..schema import Schema
from .base import contract, count, currency, day, flag, id_field, instant, money, optional_id, optional_text, text


def _cancelled_by() -> fields.String:
    return fields.String(required=True, allow_none=True, validate=validate.OneOf(["user", "trainer"]))


@contract("booking.session.booked", "booking.session.cancelled", "booking.session.updated")
class SessionBooking(Schema):
    booking_id = id_field()
    trainer_id = id_field()
    user_id = id_field()
    service_id = optional_id()
    service_name = optional_text()
    starts_at = instant()
    ends_at = instant()
    timezone = text()
    status = fields.String(required=True, validate=validate.OneOf(["confirmed", "completed", "cancelled", "no_show"]))
    price = money()
    currency = currency()
    late_cancellation = flag()
    cancelled_by = _cancelled_by()


@contract("booking.class_participation.joined", "booking.class_participation.cancelled")
class ClassParticipation(Schema):
    participation_id = id_field()
    class_id = id_field()
    trainer_id = id_field()
    user_id = id_field()
    class_name = text()
    starts_at = instant()
    ends_at = instant()
    status = fields.String(required=True, validate=validate.OneOf(["joined", "cancelled"]))
    payment_amount = money()
    currency = currency()
    late_cancellation = flag()
    cancelled_by = _cancelled_by()
    participants = count()  # joined users of the class after this change
    capacity = count()
    seat_version = count()  # grows with every change of `participants`


@contract("booking.programme_subscription.subscribed", "booking.programme_subscription.paused",
          "booking.programme_subscription.resumed", "booking.programme_subscription.cancelled",
          "booking.programme_subscription.completed")
class ProgrammeSubscription(Schema):
    subscription_id = id_field()
    programme_id = id_field()
    trainer_id = id_field()
    user_id = id_field()
    programme_name = text()
    status = fields.String(required=True, validate=validate.OneOf(["active", "paused", "cancelled", "completed"]))
    start_date = day()
    end_date = day()
    payment_amount = money()
    currency = currency()
    subscribers = count()  # live (active or paused) subscriptions of the programme after this change
    subscribers_version = count()  # grows with every change of `subscribers`
