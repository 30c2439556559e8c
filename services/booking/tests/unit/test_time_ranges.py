"""Overlap rules of a trainer's diary: half-open ranges, compared in UTC."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from stvos_booking.domain.timerange import InvalidTimeRange, TimeRange


def span(start: str, end: str, tz=UTC) -> TimeRange:
    day = datetime(2026, 3, 5, tzinfo=tz)

    def moment(hhmm: str) -> datetime:
        hours, minutes = map(int, hhmm.split(":"))
        return day + timedelta(hours=hours, minutes=minutes)

    return TimeRange(moment(start), moment(end))


@pytest.mark.parametrize(("first", "second"), [
    (("10:00", "11:00"), ("10:00", "11:00")),  # the same range
    (("10:00", "11:00"), ("10:30", "11:30")),  # shifted
    (("10:00", "12:00"), ("10:30", "11:00")),  # inside
    (("10:00", "11:00"), ("09:00", "10:01")),  # one minute in
])
def test_ranges_sharing_any_instant_overlap_both_ways(first, second):
    assert span(*first).overlaps(span(*second))
    assert span(*second).overlaps(span(*first))


@pytest.mark.parametrize(("first", "second"), [
    (("10:00", "11:00"), ("11:00", "12:00")),  # back to back: the end instant is free
    (("10:00", "11:00"), ("12:00", "13:00")),  # apart
])
def test_ranges_that_only_touch_or_are_apart_do_not_overlap(first, second):
    assert not span(*first).overlaps(span(*second))
    assert not span(*second).overlaps(span(*first))


def test_ranges_in_different_zones_are_compared_as_instants():
    london_summer = ZoneInfo("Europe/London")
    assert span("10:00", "11:00", timezone(timedelta(hours=1))).overlaps(span("09:30", "09:45"))
    assert TimeRange(datetime(2026, 7, 1, 10, tzinfo=london_summer),
                     datetime(2026, 7, 1, 11, tzinfo=london_summer)).starts_at == datetime(2026, 7, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize(("start", "end"), [("11:00", "10:00"), ("10:00", "10:00")])
def test_a_range_must_end_after_it_starts(start, end):
    with pytest.raises(InvalidTimeRange):
        span(start, end)


def test_a_range_without_a_time_zone_is_refused():
    with pytest.raises(InvalidTimeRange):
        TimeRange(datetime(2026, 3, 5, 10), datetime(2026, 3, 5, 11))
