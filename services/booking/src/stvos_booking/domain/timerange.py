"""Time ranges as a trainer's diary sees them: half-open [starts_at, ends_at), in UTC."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class InvalidTimeRange(ValueError):
    """A range without a time zone, or one that does not end after it starts."""


@dataclass(frozen=True)
class TimeRange:
    """[starts_at, ends_at): the end instant is free again, so back-to-back sessions do not overlap."""

    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise InvalidTimeRange("times must carry a time zone")
        if self.ends_at <= self.starts_at:
            raise InvalidTimeRange("a range must end after it starts")
        object.__setattr__(self, "starts_at", self.starts_at.astimezone(UTC))
        object.__setattr__(self, "ends_at", self.ends_at.astimezone(UTC))

    def overlaps(self, other: TimeRange) -> bool:
        """True when the two share any instant (the same test the database makes with '[)' ranges and &&)."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at
