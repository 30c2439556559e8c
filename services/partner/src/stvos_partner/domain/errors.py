"""The partner service's errors: each a status and a stable code (mapped by stvos_shared.errors)."""
from __future__ import annotations

from stvos_shared.errors import ApiError, Conflict, NotFound, TokenInvalid


class SessionEnded(TokenInvalid):
    message = "This session has ended; log in again."


class EmailTaken(Conflict):
    code, message = "EMAIL_TAKEN", "This email address is already in use."


class TrainerNotFound(NotFound):
    code, message = "TRAINER_NOT_FOUND", "No such trainer."


class VoucherNotFound(NotFound):
    code, message = "VOUCHER_NOT_FOUND", "No such voucher."


class RedemptionNotFound(NotFound):
    code, message = "REDEMPTION_NOT_FOUND", "No such voucher redemption."


class VoucherCodeTaken(Conflict):
    code, message = "VOUCHER_CODE_TAKEN", "A voucher with this code already exists."


class RedemptionConfirmed(Conflict):
    code, message = "REDEMPTION_CONFIRMED", "This redemption belongs to a registered user and cannot be released."


class VoucherInvalid(ApiError):
    status, code = 422, "VOUCHER_INVALID"

    def __init__(self, reason: str) -> None:
        super().__init__(_VOUCHER_MESSAGES[reason], details={"reason": reason})


_VOUCHER_MESSAGES = {
    "NOT_FOUND": "No voucher has this code.",
    "EXPIRED": "This voucher has expired.",
    "EXHAUSTED": "This voucher has been used as often as it may be.",
}


class NoTrainerAccount(NotFound):
    code, message = "TRAINER_ACCOUNT_NOT_FOUND", "This trainer has not claimed an account."
