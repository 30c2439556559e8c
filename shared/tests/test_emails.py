"""Email addresses: one spelling per address, and the same notion of valid in the API field and elsewhere."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError
from stvos_shared.api import Email, Schema
from stvos_shared.emails import is_email, normalise_email


class Body(Schema):
    email = Email(required=True)


def test_an_address_is_trimmed_and_case_folded():
    assert normalise_email("  Jane.Doe@Example.COM\t") == "jane.doe@example.com"


def test_the_email_field_normalises_before_it_validates():
    assert Body().load({"email": "Mike@North.example "}) == {"email": "mike@north.example"}


@pytest.mark.parametrize("email", ["not-an-email", "a@", "a b@example.com", "x" * 250 + "@b.io", ""])
def test_malformed_addresses_are_refused_by_the_field_and_by_is_email(email):
    with pytest.raises(ValidationError):
        Body().load({"email": email})
    assert is_email(normalise_email(email)) is False


def test_a_well_formed_address_passes_both():
    assert is_email("jane@example.com") is True
    assert Body().load({"email": "jane@example.com"})["email"] == "jane@example.com"
