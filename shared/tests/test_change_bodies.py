"""A change body derived with all_optional: the body's fields, none required or defaulted, under its own name."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from marshmallow import fields, post_load, validate
from stvos_shared.schema import Schema, all_optional


class GadgetBody(Schema):
    name = fields.String(required=True, validate=validate.Length(max=5))
    colour = fields.String(load_default="red", metadata={"example": "blue"})
    size = fields.Integer(data_key="sizeInCm")

    @post_load
    def _tidy(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "name" in data:
            data["name"] = data["name"].upper()
        return data


GadgetChangeBody = all_optional(GadgetBody, "GadgetChangeBody", "Only the fields sent are changed.")


def test_a_change_body_has_its_own_name_and_the_body_is_untouched():
    assert GadgetChangeBody.__name__ == "GadgetChangeBody"
    assert GadgetChangeBody.__doc__ == "Only the fields sent are changed."
    assert GadgetBody().fields["name"].required
    assert GadgetBody().load({"name": "a"}) == {"name": "A", "colour": "red"}


def test_a_change_body_takes_any_fields_and_fills_in_none():
    assert GadgetChangeBody().load({}) == {}
    assert GadgetChangeBody().load({"sizeInCm": 3}) == {"size": 3}


def test_a_change_body_keeps_validators_metadata_and_hooks():
    with pytest.raises(ma.ValidationError) as refused:
        GadgetChangeBody().load({"name": "too long"})
    assert list(refused.value.messages) == ["name"]
    assert GadgetChangeBody().fields["colour"].metadata == {"example": "blue"}
    assert GadgetChangeBody().load({"name": "ab"}) == {"name": "AB"}
    with pytest.raises(ma.ValidationError):
        GadgetChangeBody().load({"unknown": 1})
