"""Slots in a trainer's own time zone: the hours a window says, on ordinary and daylight-saving days alike."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from stvos_booking.domain.model import MINUTES_PER_DAY, Policy
from stvos_booking.domain.slots import (
    EPOCH,
    SLOT_ID_BASE,
    Busy,
    ExplicitSlot,
    Hours,
    Slot,
    SlotQuery,
    Window,
    candidate_slots,
    local_instant,
    minutes_after_epoch,
    offset_at,
    start_of_generated,
    window_end,
)

NOW = datetime(2027, 1, 1, tzinfo=UTC)
OPEN = Policy(min_notice_hours=0, max_advance_days=365, slot_step_minutes=60)


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def offered(zone: str, day: date, start: str, end: str, duration: int = 60, policy: Policy = OPEN,
            now: datetime = NOW) -> list[str]:
    """The slots a window on `day` yields, as local "HH:MM+offset" strings."""
    hours = Hours(weekly={day.weekday(): [Window(minutes(start), minutes(end))]})
    slots = candidate_slots(hours, ZoneInfo(zone), policy, SlotQuery(day, day, duration, 1), now)
    assert len({slot.id for slot in slots}) == len(slots)
    return [slot.starts_at.astimezone(ZoneInfo(zone)).strftime("%H:%M%z") for slot in slots]


TRANSITIONS = [  # (zone, spring-forward day, fall-back day, summer offset, winter offset)
    ("Europe/London", date(2027, 3, 28), date(2027, 10, 31), "+0100", "+0000"),
    ("America/New_York", date(2027, 3, 14), date(2027, 11, 7), "-0400", "-0500"),
    ("Australia/Adelaide", date(2027, 10, 3), date(2027, 4, 4), "+1030", "+0930"),
]


@pytest.mark.parametrize(("zone", "spring", "autumn", "summer", "winter"), TRANSITIONS)
def test_nine_to_five_yields_exactly_its_eight_local_hours_on_both_transition_days(zone, spring, autumn, summer,
                                                                                    winter):
    assert offered(zone, spring, "09:00", "17:00") == [f"{h:02d}:00{summer}" for h in range(9, 17)]
    assert offered(zone, autumn, "09:00", "17:00") == [f"{h:02d}:00{winter}" for h in range(9, 17)]


def test_a_window_across_the_spring_gap_skips_the_hour_that_does_not_exist():
    assert offered("Europe/London", date(2027, 3, 28), "00:00", "04:00") == ["00:00+0000", "02:00+0100", "03:00+0100"]
    assert offered("America/New_York", date(2027, 3, 14), "00:00", "04:00") == [
        "00:00-0500", "01:00-0500", "03:00-0400"]


def test_a_window_across_the_autumn_overlap_offers_the_repeated_hour_once_at_its_first_occurrence():
    assert offered("Europe/London", date(2027, 10, 31), "00:00", "03:00") == ["00:00+0100", "01:00+0100", "02:00+0000"]
    assert offered("America/New_York", date(2027, 11, 7), "00:00", "03:00") == [
        "00:00-0400", "01:00-0400", "02:00-0500"]


def test_a_half_hour_shift_in_a_half_hour_zone_repeats_and_skips_half_hours_correctly():
    half = Policy(min_notice_hours=0, max_advance_days=365, slot_step_minutes=30)
    # Lord Howe Island: +11:00 in summer, +10:30 in winter; 02:00 falls back to 01:30, 02:00 springs to 02:30.
    assert offered("Australia/Lord_Howe", date(2027, 4, 4), "01:00", "03:00", 30, half) == [
        "01:00+1100", "01:30+1100", "02:00+1030", "02:30+1030"]
    assert offered("Australia/Lord_Howe", date(2027, 10, 3), "01:00", "03:00", 30, half) == [
        "01:00+1030", "01:30+1030", "02:30+1100"]


def test_a_slot_never_runs_past_its_windows_real_end():
    # 01:00-03:00 on New York's spring day is one real hour: only 01:00 EST fits an hour.
    assert offered("America/New_York", date(2027, 3, 14), "01:00", "03:00") == ["01:00-0500"]


def test_a_slot_id_names_its_start_and_generated_ids_stay_above_explicit_ones():
    day = date(2027, 3, 1)
    slots = candidate_slots(Hours(weekly={0: [Window(540, 600)]}), ZoneInfo("UTC"), OPEN, SlotQuery(day, day, 60, 1),
                            NOW)
    assert slots[0].id >= SLOT_ID_BASE and start_of_generated(slots[0].id) == slots[0].starts_at
    assert start_of_generated(SLOT_ID_BASE - 1) is None


def test_notice_and_advance_are_inclusive_boundaries():
    day, zone = date(2027, 3, 1), ZoneInfo("UTC")
    hours = Hours(weekly={0: [Window(0, MINUTES_PER_DAY)]})
    policy = Policy(min_notice_hours=2, max_advance_days=1, slot_step_minutes=60)
    now = datetime(2027, 3, 1, 8, tzinfo=UTC)
    starts = [s.starts_at.hour for s in candidate_slots(hours, zone, policy, SlotQuery(day, day, 60), now)]
    assert starts[0] == 10 and starts[-1] == 23
    tomorrow = candidate_slots(Hours(weekly={1: [Window(0, 600)]}), zone, policy,
                               SlotQuery(day + timedelta(days=1), day + timedelta(days=1), 60), now)
    assert [s.starts_at.hour for s in tomorrow] == list(range(0, 9))  # 08:00 tomorrow is exactly 1 day ahead


def test_a_buffer_keeps_a_gap_on_both_sides_of_taken_time():
    day, zone = date(2027, 3, 1), ZoneInfo("UTC")
    policy = Policy(min_notice_hours=0, buffer_minutes=30, slot_step_minutes=30)
    noon = datetime(2027, 3, 1, 12, tzinfo=UTC)
    busy = Busy.of([(noon, noon + timedelta(hours=1, minutes=30))])  # 12:00-13:00 booked, with its own 30 min buffer
    free = [s.starts_at.strftime("%H:%M") for s in candidate_slots(
        Hours(weekly={0: [Window(540, 900)]}), zone, policy, SlotQuery(day, day, 60), NOW, busy)]
    assert free == ["09:00", "09:30", "10:00", "10:30", "13:30", "14:00"]


def test_an_explicit_slot_fits_a_service_no_longer_than_itself_and_only_its_own_service():
    day, zone = date(2027, 3, 2), ZoneInfo("UTC")
    start = datetime(2027, 3, 2, 19, tzinfo=UTC)
    hours = Hours(explicit=[ExplicitSlot(7, start, start + timedelta(hours=1), service_id=3)])
    assert [s.id for s in candidate_slots(hours, zone, OPEN, SlotQuery(day, day, 45, 3), NOW)] == [7]
    assert candidate_slots(hours, zone, OPEN, SlotQuery(day, day, 90, 3), NOW) == []
    assert candidate_slots(hours, zone, OPEN, SlotQuery(day, day, 45, 4), NOW) == []


def test_busy_ranges_are_found_whatever_their_order_and_overlaps():
    at = lambda h: datetime(2027, 3, 1, h, tzinfo=UTC)  # noqa: E731
    busy = Busy.of([(at(14), at(15)), (at(9), at(13)), (at(10), at(11))])
    assert busy.overlaps(at(12), at(14)) and busy.overlaps(at(14), at(16))
    assert not busy.overlaps(at(13), at(14)) and not busy.overlaps(at(15), at(17)) and not busy.overlaps(at(7), at(9))


# -- the walk equals the plain definition: every wall minute of the step, one instant each, free time only -------

def plain_slots(hours: Hours, zone: ZoneInfo, policy: Policy, query: SlotQuery, now: datetime,
                taken: list[tuple[int, int]]) -> list[Slot]:
    """The slots by definition, slowly: each step's wall time turned into an instant on its own (a gap's skipped,
    an overlap's first taken), up to the window's real end, inside notice and advance, clear of every taken range."""
    earliest = minutes_after_epoch(policy.earliest_start(now), up=True)
    latest = minutes_after_epoch(policy.latest_start(now))
    length = query.duration_minutes or policy.slot_step_minutes
    gap = policy.buffer_minutes
    last_day = min(query.last, (policy.latest_start(now) + timedelta(days=1)).date())
    slots = []
    day = query.first
    while day <= last_day:
        for window in hours.windows_on(day):
            last_end = minutes_after_epoch(window_end(day, window.end_minute, zone))
            for minute in range(window.start_minute, window.end_minute, policy.slot_step_minutes):
                instant = local_instant(day, minute, zone)
                if instant is None:
                    continue
                start = minutes_after_epoch(instant)
                if start + length > last_end:
                    break
                free = not any(a < start + length + gap and b > start for a, b in taken)
                if earliest <= start <= latest and free:
                    end = EPOCH + timedelta(minutes=start + length)
                    slots.append(Slot(start, SLOT_ID_BASE + start, start + length, query.service_id,
                                      offset_at(instant, zone), offset_at(end, zone)))
        day += timedelta(days=1)
    return sorted(slots)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])
def test_the_walk_offers_exactly_the_plain_slots_across_clock_changes_and_taken_time(zone):
    pick = random.Random(zone)
    tz = ZoneInfo(zone)
    for _ in range(150):
        first = pick.choice([date(2027, 3, 8), date(2027, 3, 24), date(2027, 4, 1), date(2027, 10, 1),
                             date(2027, 10, 28), date(2027, 11, 4)]) + timedelta(days=pick.randint(0, 6))
        query = SlotQuery(first, first + timedelta(days=pick.randint(0, 9)), pick.choice([None, 30, 45, 60, 90]), 5)
        weekly: dict[int, list[Window]] = {}
        for weekday in pick.sample(range(7), pick.randint(1, 7)):
            edges = sorted(pick.sample(range(0, MINUTES_PER_DAY + 1, pick.choice([1, 15, 30, 60])), 4))
            weekly[weekday] = [Window(edges[0], edges[1]), Window(edges[2], edges[3])][:pick.randint(1, 2)]
        overrides = {first + timedelta(days=pick.randint(0, 9)): [Window(60, 300)] if pick.random() < 0.5 else []}
        policy = Policy(buffer_minutes=pick.choice([0, 10, 15, 30]), min_notice_hours=pick.choice([0, 2, 30]),
                        max_advance_days=pick.choice([3, 60]), slot_step_minutes=pick.choice([15, 20, 30, 45, 60]))
        now = datetime.combine(first, datetime.min.time(), UTC) - timedelta(hours=pick.randint(-30, 48))
        base = minutes_after_epoch(datetime.combine(first, datetime.min.time(), UTC))
        taken = []
        grain = pick.choice([1, 15])  # on the steps' grid too, where a taken range's edges meet slots' edges
        for _ in range(pick.randint(0, 30)):
            start = base + grain * pick.randint(-600 // grain, 11 * MINUTES_PER_DAY // grain)
            taken.append((start, start + grain * pick.randint(1, 240 // grain)))
        hours = Hours(weekly=weekly, overrides=overrides)
        assert candidate_slots(hours, tz, policy, query, now, Busy(taken)) == plain_slots(
            hours, tz, policy, query, now, taken), (first, query, weekly, overrides, policy, now, taken)


def test_free_starts_are_those_whose_time_touches_no_taken_range():
    pick = random.Random(7)
    for _ in range(2000):
        taken = [(a, a + pick.randint(1, 50)) for a in (pick.randint(0, 300) for _ in range(pick.randint(0, 8)))]
        starts, length = range(pick.randint(0, 100), pick.randint(0, 400), pick.randint(1, 40)), pick.randint(1, 90)
        busy = Busy(taken)
        assert busy.free(starts, length) == [s for s in starts if not busy.touches(s, s + length)]
        assert busy.free(starts, length) == [s for s in starts if not any(a < s + length and b > s for a, b in taken)]


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2027, 3, 28), date(2027, 10, 31)])
def test_overlapping_windows_and_a_one_off_slot_among_them_are_offered_in_time_order(day):
    zone, start = ZoneInfo("Europe/London"), datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10)
    hours = Hours(weekly={day.weekday(): [Window(0, 720), Window(60, 840)]},
                  explicit=[ExplicitSlot(7, start, start + timedelta(hours=1), None)])
    query = SlotQuery(day, day, 60, 5)
    one_off = Slot(minutes_after_epoch(start), 7, minutes_after_epoch(start) + 60, 5, offset_at(start, zone),
                   offset_at(start + timedelta(hours=1), zone))
    plain = plain_slots(Hours(weekly=hours.weekly), zone, OPEN, query, NOW, [])
    assert candidate_slots(hours, zone, OPEN, query, NOW) == sorted([*plain, one_off])
