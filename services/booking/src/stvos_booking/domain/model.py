"""The booking rules: statuses and their transitions, the trainer's policy, cut-offs and programme dates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .errors import InvalidTransition, PaymentMismatch

SESSION_STATUSES = ("confirmed", "completed", "cancelled", "no_show")
PARTICIPATION_STATUSES = ("joined", "cancelled")
SUBSCRIPTION_STATUSES = ("active", "paused", "cancelled", "completed")
LIVE_SUBSCRIPTION_STATUSES = ("active", "paused")
CANCELLED_BY = ("user", "trainer")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MINUTES_PER_DAY = 24 * 60

# What a trainer may change a session's status to, from each status. A cancelled session may come back
# (it takes its time again, if still free); completed and no-show may be corrected into each other.
SESSION_TRANSITIONS: dict[str, frozenset[str]] = {
    "confirmed": frozenset({"completed", "cancelled", "no_show"}),
    "cancelled": frozenset({"confirmed"}),
    "completed": frozenset({"no_show"}),
    "no_show": frozenset({"completed"}),
}
SUBSCRIPTION_TRANSITIONS: dict[str, dict[str, str]] = {
    "pause": {"active": "paused"},
    "resume": {"paused": "active"},
    "cancel": {"active": "cancelled", "paused": "cancelled"},
}


@dataclass(frozen=True)
class Policy:
    """A trainer's booking policy; these defaults hold until the trainer sets their own."""

    buffer_minutes: int = 0
    min_notice_hours: int = 2
    max_advance_days: int = 60
    slot_step_minutes: int = 30
    cancellation_cutoff_hours: int = 24

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    def earliest_start(self, now: datetime) -> datetime:
        return now + timedelta(hours=self.min_notice_hours)

    def latest_start(self, now: datetime) -> datetime:
        return now + timedelta(days=self.max_advance_days)


POLICY_BOUNDS = {"buffer_minutes": (0, 240), "min_notice_hours": (0, 720), "max_advance_days": (1, 365),
                 "slot_step_minutes": (5, 240), "cancellation_cutoff_hours": (0, 168)}


def session_status_change(current: str, wanted: str) -> str:
    """The status a trainer's change leads to; the same status is no change; anything else is refused."""
    if wanted == current or wanted in SESSION_TRANSITIONS.get(current, frozenset()):
        return wanted
    raise InvalidTransition(f"A {current} session cannot become {wanted}.")


def subscription_status_after(action: str, current: str) -> str:
    """The status `action` (pause, resume, cancel) leads to from `current`, or 409 INVALID_TRANSITION."""
    after = SUBSCRIPTION_TRANSITIONS[action].get(current)
    if after is None:
        raise InvalidTransition(f"A {current} subscription cannot be {action}d.")
    return after


def cutoff_hours(own: int | None, policy: Policy) -> int:
    """A service's or class's own cut-off, else the trainer's."""
    return own if own is not None else policy.cancellation_cutoff_hours


def is_late(starts_at: datetime, cutoff: int, now: datetime) -> bool:
    """A user's cancellation inside the cut-off before the start is late (it still cancels)."""
    return now > starts_at - timedelta(hours=cutoff)


def require_payment(amount: Decimal, price: Decimal) -> None:
    """The payment must equal the price to the penny (422 PAYMENT_MISMATCH)."""
    if amount != price:
        raise PaymentMismatch(details={"fields": {"paymentAmount": [f"Must equal the price, {price:.2f}."]}})


def programme_end(start: date, weeks: int) -> date:
    """The day a subscription starting on `start` completes: its programme's weeks x 7 days later."""
    return start + timedelta(weeks=weeks)


# A subscription completes once its programme's length has run: the days it was active (from its start,
# less the whole days it was paused) reach weeks x 7. Resuming moves end_date on by the days paused, so an
# active subscription is due exactly when its end_date is today or past (UTC dates, like the start's check);
# a paused one never is (its paused days do not count) until it is resumed.
COMPLETABLE_STATUS = "active"


def completion_due(status: str, end_date: date, today: date) -> bool:
    """Whether the completion job marks this subscription `completed` on `today`."""
    return status == COMPLETABLE_STATUS and end_date <= today


def paused_days(paused_on: date | None, today: date) -> int:
    """Whole days a paused subscription has been paused (pausing and resuming on one day adds none)."""
    return max(0, (today - paused_on).days) if paused_on is not None else 0


def minutes_of(hhmm: str) -> int:
    """"09:30" -> 570 ("24:00" -> 1440, the end of the day)."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
