"""The identity service documents every operation: summary, security and error responses."""
from __future__ import annotations

import pytest

OPERATIONS = [("/auth/register", "post"), ("/auth/login", "post"), ("/auth/refresh", "post"),
              ("/auth/logout", "post"), ("/auth/me", "get"), ("/trainer-auth/check-email", "post"),
              ("/trainer-auth/register", "post"), ("/trainer-auth/login", "post"),
              ("/internal/gateway/check-key", "get"), ("/.well-known/jwks.json", "get")]


@pytest.fixture
def spec(platform):
    return platform.apps["auth"].test_client().get("/openapi.json").get_json()


@pytest.mark.parametrize("path, method", OPERATIONS)
def test_every_operation_has_a_summary(spec, path, method):
    assert spec["paths"][path][method]["summary"]


@pytest.mark.parametrize("path, method", OPERATIONS[:-1])
def test_every_operation_documents_its_error_responses(spec, path, method):
    responses = spec["paths"][path][method]["responses"]
    errors = [status for status in responses if status.startswith(("4", "5"))]
    assert errors
    for status in errors:
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_success_bodies_are_documented_inside_the_envelope(spec):
    schema = spec["paths"]["/auth/login"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(envelope["properties"]) == {"success", "data"}


def test_client_user_routes_declare_api_key_and_trainer_routes_the_master_key_too(spec):
    assert spec["paths"]["/auth/me"]["get"]["security"] == [{"apiKey": [], "bearerAuth": []}]
    assert spec["paths"]["/trainer-auth/login"]["post"]["security"] == [{"apiKey": []}, {"masterTrainerKey": []}]
    assert "masterTrainerKey" in spec["components"]["securitySchemes"]


def test_registration_documents_201_and_the_voucher_error(spec):
    responses = spec["paths"]["/auth/register"]["post"]["responses"]
    assert "201" in responses and "VOUCHER_INVALID" in responses["422"]["description"]
    assert "EMAIL_TAKEN" in responses["409"]["description"]


@pytest.mark.parametrize("path", ["/auth/login", "/auth/refresh"])
def test_login_and_refresh_document_that_a_deactivated_trainer_gets_403(spec, path):
    responses = spec["paths"][path]["post"]["responses"]
    assert "TRAINER_INACTIVE" in responses["403"]["description"]


def test_refresh_documents_the_api_key_error_too(spec):
    assert "API_KEY_INVALID" in spec["paths"]["/auth/refresh"]["post"]["responses"]["401"]["description"]
