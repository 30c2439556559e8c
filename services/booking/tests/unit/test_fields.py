"""The booking API's own fields: money and local times of day, refused cleanly whatever comes in."""
from __future__ import annotations

from decimal import Decimal

import pytest
import simplejson
from marshmallow import Schema, ValidationError, fields
from stvos_booking.api.fields import FlatList, Money, TimeOfDay


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


def test_a_flat_list_writes_the_json_its_items_as_objects_would_be_written_as():
    from stvos_booking.api.responses import SlotSchema
    from stvos_booking.service.views import SlotView

    items = [SlotView(1073741825, "2027-03-28", "00:30", "02:15", "2027-03-28T00:30:00+00:00",
                      "2027-03-28T02:15:00+01:00", 600),
             SlotView(7, "2027-03-29", "23:00", "00:00", "2027-03-29T23:00:00-04:30", "2027-03-30T00:00:00-04:30",
                      None)]
    keys = ("id", "date", "time", "endTime", "startsAt", "endsAt", "serviceId")
    as_objects = [dict(zip(keys, item, strict=True)) for item in items]
    for listed in (items, items[:1], []):
        written = FlatList(SlotSchema).serialize("slots", {"slots": listed})
        assert simplejson.dumps({"slots": written}, separators=(",", ":")) == simplejson.dumps(
            {"slots": as_objects[:len(listed)]}, separators=(",", ":"))


def test_a_flat_list_takes_numbers_and_strings_that_need_no_escaping_only():
    class Named(Schema):
        name = fields.String()

    with pytest.raises(TypeError):
        FlatList(Named)
