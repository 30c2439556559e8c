"""The portal's rules: whose data a caller sees, which event state wins, what counts as revenue and when,
which bookings and classes may be launched, and the bounds of client notes and tags."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from stvos_shared.principal import Principal

from .errors import NotATrainer

# A client is active with a session or class in the last ACTIVE_WINDOW or ahead, or a programme running then.
ACTIVE_WINDOW = timedelta(days=60)
MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_NOTES_LENGTH = 5000
UPCOMING_SESSIONS = 5

# Out-of-order events: a row keeps the state of the newest event (by occurredAt); at the same instant the
# state ranked higher wins, so a late "booked" never resurrects a cancellation.
SESSION_RANKS = {"confirmed": 0, "no_show": 1, "completed": 2, "cancelled": 3}
PARTICIPATION_RANKS = {"joined": 0, "cancelled": 1}
SUBSCRIPTION_RANKS = {"active": 0, "paused": 1, "completed": 2, "cancelled": 3}

# Revenue attribution: which states earn, and on which local day (see README "Revenue").
EARNING_SESSION_STATUSES = ("confirmed", "completed")
EARNING_PARTICIPATION_STATUSES = ("joined",)
NON_EARNING_SUBSCRIPTION_STATUSES = ("cancelled",)

# Launching video: the room empties out after EMPTY_ROOM_TIMEOUT; a session that ended more than
# LAUNCH_GRACE ago can no longer be launched.
EMPTY_ROOM_TIMEOUT = timedelta(minutes=10)
LAUNCH_GRACE = timedelta(hours=1)
SESSION_MAX_PARTICIPANTS = 2


@dataclass(frozen=True)
class TrainerScope:
    """The caller's own trainer record: every read and write of the portal is limited to it."""

    client_id: int
    trainer_id: int


def scope_of(principal: Principal) -> TrainerScope:
    """The trainer record of a trainer's token; NotATrainer (403) for any other token."""
    if principal.role != "trainer" or principal.trainer_id is None:
        raise NotATrainer()
    return TrainerScope(principal.client_id, principal.trainer_id)


@dataclass(frozen=True)
class Period:
    """[starts, ends) in UTC."""

    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class Periods:
    today: Period
    week: Period  # Monday to Sunday
    month: Period

    @property
    def span(self) -> Period:
        """The smallest period holding all three."""
        return Period(min(self.week.starts, self.month.starts), max(self.week.ends, self.month.ends))


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone `name`, or UTC when it is missing or unknown."""
    return _zone(name or "UTC")


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    """`name` is a known IANA zone ("Europe/London")."""
    return name in _timezones()


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of `day` in `tz`, as a UTC instant (aware arithmetic on one zone would ignore DST)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def periods(now: datetime, timezone: str | None) -> Periods:
    """Today, this week (Monday to Sunday) and this month in the trainer's zone, as UTC periods."""
    tz = zone(timezone)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)

    def period(start: date, end: date) -> Period:
        return Period(_local_midnight(start, tz), _local_midnight(end, tz))

    return Periods(period(today, today + timedelta(days=1)), period(monday, monday + timedelta(days=7)),
                   period(first, next_month))


def active_since(now: datetime) -> datetime:
    return now - ACTIVE_WINDOW


def to_minor(amount: Decimal) -> int:
    """Money is kept in minor units (cents), so sums are exact on every database."""
    return int((amount * 100).to_integral_value())


def from_minor(minor: int) -> Decimal:
    return (Decimal(int(minor)) / 100).quantize(Decimal("0.01"))


def money_totals(rows: Iterable[tuple[str, int]]) -> list[dict[str, object]]:
    """[{"amount", "currency"}] per currency (sorted), from (currency, minor units) pairs."""
    totals: dict[str, int] = {}
    for currency, minor in rows:
        totals[currency] = totals.get(currency, 0) + int(minor or 0)
    return [{"amount": from_minor(minor), "currency": currency} for currency, minor in sorted(totals.items())]


def booking_launch_problem(status: str, ends_at: datetime, now: datetime) -> str | None:
    """Why a booking's video session cannot be launched now, or None."""
    if status != "confirmed":
        return status
    return "ended" if ends_at + LAUNCH_GRACE < now else None


def class_launch_problem(active: bool, ends_at: datetime, now: datetime) -> str | None:
    """Why a group class's video session cannot be launched now, or None."""
    if not active:
        return "cancelled"
    return "ended" if ends_at + LAUNCH_GRACE < now else None


def tidy_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, without repeats (compared case-insensitively), in the order given."""
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = " ".join(tag.split())
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return tuple(seen.values())
