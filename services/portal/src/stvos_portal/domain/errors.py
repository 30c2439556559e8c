"""The portal's errors: each a status and a stable code (stvos_shared.errors maps them to the envelope)."""
from __future__ import annotations

from stvos_shared.errors import Conflict, Forbidden, NotFound, ServiceUnavailable


class NotATrainer(Forbidden):
    code, message = "TRAINER_ROLE_REQUIRED", "This requires the trainer role."


class TrainerNotFound(NotFound):
    code, message = "TRAINER_NOT_FOUND", "The catalog has no profile for this trainer yet."


class ClientNotFound(NotFound):
    code, message = "CLIENT_NOT_FOUND", "No such client of this trainer."


class BookingNotFound(NotFound):
    code, message = "BOOKING_NOT_FOUND", "No such booking."


class ClassNotFound(NotFound):
    code, message = "CLASS_NOT_FOUND", "No such group class."


class NotLaunchable(Conflict):
    code = "SESSION_NOT_LAUNCHABLE"
    _MESSAGES = {
        "cancelled": "It has been cancelled.",
        "completed": "It has already been completed.",
        "no_show": "It has been marked as a no-show.",
        "ended": "It ended too long ago.",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(f"This video session cannot be launched: {self._MESSAGES.get(reason, reason)}",
                         details={"reason": reason})


class VideoUnavailable(ServiceUnavailable):
    message = "The video service did not create the room; nothing was changed."
