"""A request body (a schema named …Body) takes booleans and numbers only as JSON booleans and numbers; other
schemas (query strings, event payloads) keep marshmallow's conversions."""
from __future__ import annotations

import marshmallow as ma
import pytest
from marshmallow import fields
from stvos_shared.schema import Schema


class ThingBody(Schema):
    active = fields.Boolean()
    count = fields.Integer()
    price = fields.Decimal()
    ratio = fields.Float(allow_none=True)


class ThingQuery(Schema):
    active = fields.Boolean()
    count = fields.Integer()


@pytest.mark.parametrize(("field", "value"), [
    ("active", 0), ("active", 1), ("active", "true"), ("active", "yes"),
    ("count", "12"), ("count", True), ("count", "twelve"), ("count", 2.7),
    ("price", "75.00"), ("price", False), ("ratio", "0.5")])
def test_a_body_refuses_a_boolean_or_number_of_another_json_type(field, value):
    with pytest.raises(ma.ValidationError) as refused:
        ThingBody().load({field: value})
    assert list(refused.value.messages) == [field]


def test_a_body_takes_json_booleans_numbers_and_null():
    loaded = ThingBody().load({"active": False, "count": 12.0, "price": 75.5, "ratio": None})
    assert loaded == {"active": False, "count": 12, "price": pytest.approx(75.5), "ratio": None}


def test_a_query_string_still_converts_its_text():
    assert ThingQuery().load({"active": "true", "count": "12"}) == {"active": True, "count": 12}
