"""FastDump serialises exactly as marshmallow does, whatever the fields, values and nesting."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from marshmallow import fields, post_dump
from stvos_shared.fast_dump import FastDump, plan
from stvos_shared.schema import Schema


class Item(Schema):
    id = fields.Integer(required=True)
    price = fields.Decimal(as_string=True)
    starts_at = fields.AwareDateTime()
    spots_left = fields.Integer(allow_none=True)
    amount = fields.Decimal()


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def shout(self, data, **_):
        return {**data, "name": data["name"].upper()}


class Body(Schema):
    trainer_id = fields.Integer()
    names = fields.List(fields.String())
    items = fields.List(fields.Nested(Item))
    first = fields.Nested(Item, allow_none=True)
    hooked = fields.Nested(Hooked)
    plucked = fields.Pluck(Item, "id")
    meta = fields.Dict()
    renamed = fields.String(attribute="other_name")
    count = fields.Integer()
    flag = fields.Boolean()
    raw = fields.Raw()


class FastBody(FastDump, Body):
    pass


ITEM = {"id": 1, "price": Decimal("75.50"), "starts_at": datetime(2027, 1, 1, 9, tzinfo=UTC), "spots_left": None,
        "amount": Decimal("75.00")}
AMOUNTS = [{"id": n, "amount": amount} for n, amount in enumerate([Decimal("1E+2"), Decimal("-0.00"), 3, "4.10", None])]
VALUES = [
    {"trainer_id": 7, "names": ["a", "b"], "items": [ITEM, {"id": 2}], "first": ITEM, "hooked": {"name": "x"},
     "plucked": ITEM, "meta": {"k": 1}, "other_name": "y"},
    {"trainer_id": 7, "first": None, "items": [], "names": None},  # missing keys are left out, None kept
    # Values that are not exactly the field's type take the field's own formatting (a str id, an int name...)
    {"trainer_id": "8", "items": [], "names": [1, None], "other_name": 5, "count": True, "flag": 1,
     "raw": Decimal("1.5")},
    {"trainer_id": 9, "items": AMOUNTS, "names": ["a", True, b"c"]},
    {"trainer_id": None, "items": None, "count": 2.0, "flag": None, "raw": None, "other_name": None},
    SimpleNamespace(trainer_id=3, names=["c"], items=[SimpleNamespace(**ITEM)], first=None,
                    hooked=SimpleNamespace(name="z"), plucked=SimpleNamespace(**ITEM), meta={}, other_name="w",
                    count="4", flag=False, raw=[1]),
]


@pytest.mark.parametrize("value", VALUES)
def test_fast_dump_equals_marshmallow(value):
    # repr: the same types, digits and key order, not only equal values (True == 1, Decimal("1E+2") == 100)
    assert repr(FastBody().dump(value)) == repr(Body().dump(value))
    assert repr(FastBody().dump([value, value], many=True)) == repr(Body().dump([value, value], many=True))


def test_a_schema_the_plan_cannot_cover_keeps_marshmallows_path():
    class Defaulted(FastDump, Schema):
        name = fields.String(dump_default="anonymous")

    assert plan(Defaulted()) is None
    assert Defaulted().dump({}) == {"name": "anonymous"}
    assert plan(FastBody()) is not None
