"""The catalog's errors, with the stable codes clients switch on."""
from __future__ import annotations

from stvos_shared.errors import ApiError, Conflict, NotFound


class TrainerNotFound(NotFound):
    code, message = "TRAINER_NOT_FOUND", "No such trainer."


class ServiceNotFound(NotFound):
    code, message = "SERVICE_NOT_FOUND", "No such service."


class RecordedClassNotFound(NotFound):
    code, message = "RECORDED_CLASS_NOT_FOUND", "No such recorded class."


class ClassNotFound(NotFound):
    code, message = "CLASS_NOT_FOUND", "No such group class."


class ProgrammeNotFound(NotFound):
    code, message = "PROGRAMME_NOT_FOUND", "No such programme."


class InviteCodeNotFound(NotFound):
    code, message = "INVITE_CODE_NOT_FOUND", "No such invite code."


class InviteCodeTaken(Conflict):
    code, message = "INVITE_CODE_TAKEN", "This invite code is already in use; choose another."


class CapacityBelowParticipants(Conflict):
    code, message = "CAPACITY_BELOW_PARTICIPANTS", "More users have joined this class than that capacity."


class ClassCancelled(Conflict):
    code, message = "CLASS_CANCELLED", "This class was cancelled; it cannot be changed."


class ClassStarted(Conflict):
    code, message = "CLASS_STARTED", "This class has already started; it cannot be changed."


class InviteInvalid(ApiError):
    """A registration's invite code cannot be redeemed; details.reason says why (as /invite/check does)."""

    status, code = 422, "INVITE_INVALID"

    def __init__(self, reason: str) -> None:
        super().__init__(_INVITE_MESSAGES[reason], details={"reason": reason})


_INVITE_MESSAGES = {
    "NOT_FOUND": "No such invite code in this client.",
    "EXPIRED": "This invite code has expired.",
    "EXHAUSTED": "This invite code has been used as often as its trainer allows.",
}


class InviteRedemptionNotFound(NotFound):
    code, message = "REDEMPTION_NOT_FOUND", "No such invite code redemption."


class InviteRedemptionConfirmed(Conflict):
    code, message = "REDEMPTION_CONFIRMED", "This redemption belongs to a registered user and cannot be released."
