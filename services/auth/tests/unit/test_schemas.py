"""Request bodies: required fields, email normalisation, password length, unknown fields."""
from __future__ import annotations

import pytest
from marshmallow import ValidationError
from stvos_auth.api.schemas import LoginBody, RegisterBody, TrainerLoginBody


def errors(schema, body) -> dict:
    with pytest.raises(ValidationError) as raised:
        schema().load(body)
    return raised.value.messages


def test_register_takes_camel_case_and_gives_snake_case():
    loaded = RegisterBody().load({"email": " A@B.io ", "password": "12345678", "voucherCode": "V-1",
                                  "sessionId": "s", "coachId": 5, "profile": {"age": 3}, "settings": {}})
    assert loaded == {"email": "a@b.io", "password": "12345678", "voucher_code": "V-1", "session_id": "s",
                      "coach_id": 5, "profile": {"age": 3}, "settings": {}}


def test_password_must_have_8_to_128_characters():
    assert "password" in errors(RegisterBody, {"email": "a@b.io", "password": "1234567"})
    assert "password" in errors(RegisterBody, {"email": "a@b.io", "password": "x" * 129})
    assert RegisterBody().load({"email": "a@b.io", "password": "x" * 128})


def test_coach_id_must_be_an_integer():
    assert "coachId" in errors(RegisterBody, {"email": "a@b.io", "password": "12345678", "coachId": "5"})


def test_unknown_fields_are_rejected():
    assert errors(LoginBody, {"email": "a@b.io", "password": "x", "role": "admin"}) == {"role": ["Unknown field."]}


def test_login_accepts_any_non_empty_password_up_to_128():
    assert LoginBody().load({"email": "a@b.io", "password": "short"})["password"] == "short"
    assert "password" in errors(LoginBody, {"email": "a@b.io", "password": ""})
    assert LoginBody().load({"email": "a@b.io", "password": "x" * 128})["password"] == "x" * 128
    assert "password" in errors(LoginBody, {"email": "a@b.io", "password": "x" * 129})


def test_trainer_login_takes_an_optional_client_id():
    assert TrainerLoginBody().load({"email": "a@b.io", "password": "x", "clientId": 2})["client_id"] == 2
