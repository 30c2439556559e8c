"""The booking service's errors: each a status and a stable code (mapped by stvos_shared.errors)."""
from __future__ import annotations

from stvos_shared.errors import Conflict, NotFound


class SlotTaken(Conflict):
    code, message = "SLOT_TAKEN", "The trainer is already booked at this time."


class ClassFull(Conflict):
    code, message = "CLASS_FULL", "This class has no places left."


class AlreadyJoined(Conflict):
    code, message = "ALREADY_JOINED", "You have already joined this class."


class AlreadySubscribed(Conflict):
    code, message = "ALREADY_SUBSCRIBED", "You already have a subscription to this programme."


class BookingNotCancellable(Conflict):
    code, message = "BOOKING_NOT_CANCELLABLE", "Only a confirmed booking can be cancelled."


class IdempotencyKeyReused(Conflict):
    code, message = "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request."


class IdempotencyKeyInUse(Conflict):
    code, message = "IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being handled."


class WriteContention(Conflict):
    code, message = "WRITE_CONFLICT", "Another request changed the same data at the same time; try again."


class BookingNotFound(NotFound):
    code, message = "BOOKING_NOT_FOUND", "No such booking."


class ClassNotFound(NotFound):
    code, message = "CLASS_NOT_FOUND", "No such group class."


class ParticipationNotFound(NotFound):
    code, message = "PARTICIPATION_NOT_FOUND", "You have not joined this class."
