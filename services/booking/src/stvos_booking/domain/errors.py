"""The booking service's errors: each a status and a stable code (mapped by stvos_shared.errors)."""
from __future__ import annotations

from stvos_shared.errors import Conflict, NotFound, ValidationFailed


class SlotTaken(Conflict):
    code, message = "SLOT_TAKEN", "The trainer is already booked at this time."


class SlotUnavailable(Conflict):
    code, message = "SLOT_UNAVAILABLE", "This slot is not bookable (gone, past, or inside the trainer's notice)."


class ClassFull(Conflict):
    code, message = "CLASS_FULL", "This class has no places left."


class ClassCancelled(Conflict):
    code, message = "CLASS_CANCELLED", "This class was cancelled."


class ClassStarted(Conflict):
    code, message = "CLASS_STARTED", "This class has already started."


class AlreadyJoined(Conflict):
    code, message = "ALREADY_JOINED", "You have already joined this class."


class AlreadySubscribed(Conflict):
    code, message = "ALREADY_SUBSCRIBED", "You already have a subscription to this programme."


class BookingNotCancellable(Conflict):
    code, message = "BOOKING_NOT_CANCELLABLE", "Only a confirmed booking that has not started can be cancelled."


class AlreadyCancelled(Conflict):
    code, message = "ALREADY_CANCELLED", "This was already cancelled."


class InvalidTransition(Conflict):
    code, message = "INVALID_TRANSITION", "This change is not allowed from the current status."


class AvailabilityOverlap(Conflict):
    code, message = "AVAILABILITY_OVERLAP", "These hours overlap hours the trainer already has on that day."


class TimeSlotOverlap(Conflict):
    code, message = "TIME_SLOT_OVERLAP", "This time slot overlaps another time slot of the trainer."


class IdempotencyKeyReused(Conflict):
    code, message = "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request."


class IdempotencyKeyInUse(Conflict):
    code, message = "IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being handled."


class WriteContention(Conflict):
    code, message = "WRITE_CONFLICT", "Another request changed the same data at the same time; try again."


class PaymentMismatch(ValidationFailed):
    code, message = "PAYMENT_MISMATCH", "The payment amount does not equal the price."


class BookingNotFound(NotFound):
    code, message = "BOOKING_NOT_FOUND", "No such booking."


class ClassNotFound(NotFound):
    code, message = "CLASS_NOT_FOUND", "No such group class."


class ParticipationNotFound(NotFound):
    code, message = "PARTICIPATION_NOT_FOUND", "You have not joined this class."


class TrainerNotFound(NotFound):
    code, message = "TRAINER_NOT_FOUND", "No such trainer."


class ServiceNotFound(NotFound):
    code, message = "SERVICE_NOT_FOUND", "No such service of this trainer."


class ProgrammeNotFound(NotFound):
    code, message = "PROGRAMME_NOT_FOUND", "No such programme of this trainer."


class SubscriptionNotFound(NotFound):
    code, message = "SUBSCRIPTION_NOT_FOUND", "No such subscription."


class AvailabilityNotFound(NotFound):
    code, message = "AVAILABILITY_NOT_FOUND", "No such availability window."


class OverrideNotFound(NotFound):
    code, message = "OVERRIDE_NOT_FOUND", "No such date override."


class TimeSlotNotFound(NotFound):
    code, message = "TIME_SLOT_NOT_FOUND", "No such time slot."
