"""The booking API's own fields: money and local times of day, refused cleanly whatever comes in; slots as text."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import simplejson
from marshmallow import Schema, ValidationError, fields
from stvos_booking.api.fields import Money, SlotList, TimeOfDay
from stvos_booking.api.responses import SlotSchema
from stvos_booking.domain.model import MINUTES_PER_DAY, Policy
from stvos_booking.domain.slots import ExplicitSlot, Hours, Slot, SlotQuery, Window, slot_runs


@pytest.mark.parametrize(("given", "loaded"), [(75, Decimal("75.00")), (75.5, Decimal("75.50")),
                                               (0, Decimal("0.00")), (99999999.99, Decimal("99999999.99"))])
def test_money_takes_numbers_with_at_most_two_decimals(given, loaded):
    assert Money().deserialize(given) == loaded


@pytest.mark.parametrize("given", [75.001, -1, 1e300, -1.6e305, 100000000, "75.00", True, None, float("nan"),
                                   float("inf")])
def test_money_refuses_anything_else_with_a_validation_error(given):
    with pytest.raises(ValidationError):
        Money(allow_none=False).deserialize(given)


def test_money_is_written_with_two_decimals():
    assert str(Money().serialize("price", {"price": Decimal("75")})) == "75.00"
    assert str(Money().serialize("price", {"price": "12.5"})) == "12.50"


@pytest.mark.parametrize(("given", "end", "minutes"), [("00:00", False, 0), ("23:59", False, 1439),
                                                       ("24:00", True, 1440)])
def test_a_time_of_day_loads_as_minutes_after_midnight(given, end, minutes):
    assert TimeOfDay(end=end).deserialize(given) == minutes


@pytest.mark.parametrize(("given", "end"), [("24:00", False), ("24:01", True), ("9:00", False), ("09:60", False),
                                            ("0900", False), (900, False)])
def test_a_malformed_time_of_day_is_refused(given, end):
    with pytest.raises(ValidationError):
        TimeOfDay(end=end).deserialize(given)


def written_one_by_one(slots: list[Slot], zone: ZoneInfo) -> list[dict]:
    """Slots as objects, each instant turned into local time on its own."""
    objects = []
    for slot in slots:
        start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        objects.append({"id": slot.id, "date": start.date().isoformat(), "time": start.strftime("%H:%M"),
                        "endTime": end.strftime("%H:%M"), "startsAt": start.isoformat(), "endsAt": end.isoformat(),
                        "serviceId": slot.service_id})
    return objects


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"])
def test_a_slot_list_writes_the_json_its_slots_as_objects_would_be_written_as(zone):
    pick, tz, field, written_any = random.Random(zone), ZoneInfo(zone), SlotList(SlotSchema), False
    for _ in range(100):
        first = pick.choice([date(2027, 3, 8), date(2027, 3, 24), date(2027, 4, 1), date(2027, 10, 1),
                             date(2027, 10, 28), date(2027, 11, 4)]) + timedelta(days=pick.randint(0, 6))
        query = SlotQuery(first, first + timedelta(days=pick.randint(0, 9)), pick.choice([None, 30, 45, 600, 2000]),
                          pick.choice([None, 5]))
        weekly = {weekday: [Window(*sorted(pick.sample(range(0, MINUTES_PER_DAY + 1, 15), 2)))
                            for _ in range(pick.randint(1, 2))]  # windows that may overlap
                  for weekday in pick.sample(range(7), pick.randint(1, 7))}
        explicit = []
        for number in range(pick.randint(0, 4)):
            start = datetime.combine(first, datetime.min.time(), UTC) + timedelta(minutes=pick.randint(0, 9 * 1440))
            explicit.append(ExplicitSlot(number + 1, start, start + timedelta(minutes=pick.choice([30, 60, 3000])),
                                         pick.choice([None, 5])))
        hours = Hours(weekly=weekly, explicit=explicit)
        policy = Policy(min_notice_hours=0, max_advance_days=60, slot_step_minutes=pick.choice([15, 30, 60]))
        now = datetime.combine(first, datetime.min.time(), UTC) - timedelta(days=1)
        runs = slot_runs(hours, tz, policy, query, now)
        written_any = written_any or bool(runs)
        written = field.serialize("slots", {"slots": runs})
        assert simplejson.dumps({"slots": written}, separators=(",", ":")) == simplejson.dumps(
            {"slots": written_one_by_one([slot for run in runs for slot in run.slots], tz)}, separators=(",", ":"))
    assert written_any


def test_a_slot_list_is_written_for_a_slots_fields_only():
    class Named(Schema):
        name = fields.String()

    with pytest.raises(TypeError):
        SlotList(Named)
