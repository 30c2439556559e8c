"""The catalog's rules: what a trainer may offer, money, schedules in the trainer's timezone, invite codes, search."""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from .currencies import is_currency

__all__ = ["is_currency"]

NAME_MAX = 120
DESCRIPTION_MAX = 2000
URL_MAX = 500
MAX_DURATION_MINUTES = 24 * 60
MAX_CAPACITY = 1000
MAX_WEEKS = 104
MAX_CUTOFF_HOURS = 168  # a week, as booking's policy bounds its own cut-off
MAX_USES = 100_000
MAX_PRICE = Decimal("99999999.99")  # Numeric(10, 2)
CENT = Decimal("0.01")
DEFAULT_CURRENCY = "GBP"
INTENSITIES = ("low", "medium", "high")


def price_problem(price: Decimal) -> str | None:
    """Why `price` cannot be a price (negative, more than two decimals, too large), or None."""
    if not price.is_finite():
        return "Must be a number."
    if price < 0:
        return "Must not be negative."
    if price > MAX_PRICE:  # before quantize, which cannot hold more than 28 digits
        return f"Must not be more than {MAX_PRICE}."
    if price != price.quantize(CENT):
        return "At most two decimal places."
    return None


def money(amount: Decimal) -> Decimal:
    """An amount with exactly two decimals, as it is stored and shown (75 -> 75.00)."""
    return Decimal(amount).quantize(CENT)


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    """An IANA timezone name this system knows (Europe/London, UTC, ...)."""
    return name in _timezones()


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped in that timezone on that day (the hour clocks spring forward)."""


def local_start(day: date, at: time, timezone: str) -> datetime:
    """The UTC instant of `day` `at` in `timezone`; a repeated hour (clocks going back) means its first pass."""
    zone = ZoneInfo(timezone)
    local = datetime.combine(day, at, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{day} {at:%H:%M} does not exist in {timezone}.")
    return instant


def local_schedule(starts_at: datetime, timezone: str) -> tuple[date, str]:
    """(scheduledDate, scheduledTime "HH:MM") of an instant, on the wall clock of `timezone`."""
    local = starts_at.astimezone(ZoneInfo(timezone))
    return local.date(), f"{local.hour:02d}:{local.minute:02d}"  # not strftime: 1.6 of 2.1 us


def in_zone(instant: datetime, timezone: str) -> datetime:
    """The instant with the offset of `timezone` (how startsAt/endsAt are shown)."""
    return instant.astimezone(ZoneInfo(timezone))


def spots_left(capacity: int, participants: int) -> int:
    return max(0, capacity - participants)


def capacity_problem(capacity: int, participants: int) -> str | None:
    """Why a class cannot take this capacity: it would leave joined users without a place."""
    if capacity < participants:
        return f"{participants} users have joined this class; the capacity cannot go below that."
    return None


# Invite codes are global: the public check learns the tenant from the code alone.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I/1, O/0: codes are read aloud and typed
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")
CODE_MAX = 40


def normalise_code(code: str) -> str:
    """Invite codes compare case-insensitively and without surrounding blanks."""
    return code.strip().upper()


def is_invite_code(code: str) -> bool:
    return CODE_PATTERN.match(code) is not None


def generate_code(groups: int = 3, size: int = 4) -> str:
    """A random code like K7QX-M2PD-9WTR from an alphabet without look-alike characters."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


def invite_problem(usable: bool, expires_at: datetime | None, max_uses: int | None, uses: int,
                   now: datetime) -> str | None:
    """Why an invite code cannot be used now ("NOT_FOUND", "EXPIRED", "EXHAUSTED"), or None.

    `usable` is false for a deactivated code or trainer: answered like a code that never existed.
    """
    if not usable:
        return "NOT_FOUND"
    if expires_at is not None and expires_at <= now:
        return "EXPIRED"
    if max_uses is not None and uses >= max_uses:
        return "EXHAUSTED"
    return None


def search_text(name: str, specialisations: Iterable[str]) -> str:
    """What trainer search matches against: the name and the specialisations, lower-cased."""
    return " ".join([name, *specialisations]).lower()


def search_needle(search: str) -> str:
    return search.strip().lower()
