"""Events the catalog service publishes: each carries the whole offering after the change.

Booking keeps replicas of what it needs from these (durations, prices, cut-offs, capacity, the
schedule as UTC instants plus the trainer's timezone, active flags); portal keeps the trainer's
name and timezone.
"""
from __future__ import annotations

from marshmallow import fields, validate

from ..schema import Schema
from .base import contract, count, currency, day, flag, id_field, instant, money, optional_text, text, time_of_day


def _cutoff() -> fields.Integer:
    """Hours before the start inside which a user's cancellation is late; null: the trainer's policy."""
    return fields.Integer(strict=True, required=True, allow_none=True, validate=validate.Range(min=0))


@contract("catalog.trainer.created", "catalog.trainer.updated", "catalog.trainer.deactivated")
class TrainerProfile(Schema):
    trainer_id = id_field()
    name = text()
    bio = optional_text()
    image = optional_text()
    specialisations = fields.List(fields.String(), required=True)
    timezone = text()
    active = flag()


@contract("catalog.service.created", "catalog.service.updated", "catalog.service.deactivated")
class Service(Schema):
    service_id = id_field()
    trainer_id = id_field()
    name = text()
    description = optional_text()
    duration = count()  # minutes
    price = money()
    currency = currency()
    cancellation_cutoff_hours = _cutoff()
    active = flag()


@contract("catalog.group_class.created", "catalog.group_class.updated", "catalog.group_class.cancelled")
class GroupClass(Schema):
    class_id = id_field()
    trainer_id = id_field()
    name = text()
    description = optional_text()
    starts_at = instant()
    ends_at = instant()
    timezone = text()
    scheduled_date = day()  # in the trainer's timezone
    scheduled_time = time_of_day()
    duration = count()
    capacity = count()
    price = money()
    currency = currency()
    cancellation_cutoff_hours = _cutoff()
    active = flag()  # false once cancelled


@contract("catalog.programme.created", "catalog.programme.updated", "catalog.programme.deactivated")
class Programme(Schema):
    programme_id = id_field()
    trainer_id = id_field()
    name = text()
    description = optional_text()
    weeks = count()
    price = money()
    currency = currency()
    active = flag()
