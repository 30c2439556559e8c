"""The envelope and error shapes every service answers with, including Flask's own errors."""
from __future__ import annotations

import pytest
from marshmallow import fields, validate
from stvos_shared.api import Blueprint, Id, Schema
from stvos_shared.app_factory import create_service_app
from stvos_shared.errors import Conflict, RateLimited
from stvos_shared.pagination import PageQuery, PaginationSchema, pagination


class ThingIn(Schema):
    display_name = fields.String(required=True, validate=validate.Length(min=1))
    max_count = fields.Integer()
    owner_id = Id()


class ThingOut(Schema):
    display_name = fields.String()
    max_count = fields.Integer()


class ThingOutEnvelope(Schema):
    thing = fields.Nested(ThingOut)


class ThingList(Schema):
    things = fields.List(fields.Nested(ThingOut))
    pagination = fields.Nested(PaginationSchema)


blp = Blueprint("things", __name__, url_prefix="/things")


@blp.route("", methods=["POST"])
@blp.arguments(ThingIn)
@blp.response(201, ThingOutEnvelope)
def create_thing(body):
    """Create a thing."""
    if body["display_name"] == "taken":
        raise Conflict("That name is taken.", code="NAME_TAKEN")
    return {"thing": body}


@blp.route("", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, ThingList)
def list_things(args):
    """List things."""
    return {"things": [], "pagination": pagination(args["page"], args["limit"], 0)}


@blp.route("/boom", methods=["GET"])
def boom():
    """Fail."""
    raise RuntimeError("secret internals: password=hunter2")


@blp.route("/slow-down", methods=["GET"])
def slow_down():
    """Rate limited."""
    raise RateLimited(retry_after=7)


@pytest.fixture(scope="module")
def client():
    app = create_service_app("test", title="test", blueprints=[blp], max_body_bytes=1024)
    return app.test_client()


def error_of(response):
    body = response.get_json()
    assert body["success"] is False
    assert set(body) == {"success", "error"}
    return body["error"]


def test_success_is_wrapped_in_the_envelope_with_camel_case_keys(client):
    response = client.post("/things", json={"displayName": "Mat", "maxCount": 3})
    assert response.status_code == 201
    assert response.get_json() == {"success": True, "data": {"thing": {"displayName": "Mat", "maxCount": 3}}}


def test_unknown_field_is_rejected_with_422_and_the_field_named(client):
    response = client.post("/things", json={"displayName": "Mat", "status": "admin"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "VALIDATION_FAILED"
    assert "status" in error["details"]["fields"]


def test_missing_required_field_names_the_camel_case_field(client):
    error = error_of(client.post("/things", json={}))
    assert error["code"] == "VALIDATION_FAILED"
    assert list(error["details"]["fields"]) == ["displayName"]


def test_malformed_json_is_400_malformed_request(client):
    response = client.post("/things", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_REQUEST"


def test_json_nested_too_deep_to_parse_is_400_not_500(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/things", data=body, content_type="application/json")
    assert response.status_code in (400, 413)
    nested = "[" * 1000 + "]" * 1000
    small = create_service_app("deep", title="deep", blueprints=[blp]).test_client()
    response = small.post("/things", data=nested, content_type="application/json")
    assert (response.status_code, error_of(response)["code"]) == (400, "MALFORMED_REQUEST")


@pytest.mark.parametrize("owner_id", [0, -1, 2**31, 10**40, "x"])
def test_an_id_outside_32_bits_is_a_validation_error(client, owner_id):
    response = client.post("/things", json={"displayName": "Mat", "ownerId": owner_id})
    assert response.status_code == 422
    assert "ownerId" in error_of(response)["details"]["fields"]


def test_json_that_is_not_an_object_is_400_malformed_request(client):
    response = client.post("/things", json=[1, 2])
    assert response.status_code == 400
    assert error_of(response)["code"] == "MALFORMED_REQUEST"


def test_flask_404_uses_the_envelope(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert error_of(response)["code"] == "NOT_FOUND"


def test_flask_405_uses_the_envelope_and_lists_allowed_methods(client):
    response = client.delete("/things")
    assert response.status_code == 405
    assert error_of(response)["code"] == "METHOD_NOT_ALLOWED"
    assert "POST" in response.headers["Allow"]


def test_oversized_body_is_413_payload_too_large(client):
    response = client.post("/things", json={"displayName": "x" * 5000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "PAYLOAD_TOO_LARGE"


def test_uncaught_exception_is_500_without_internals(client):
    response = client.get("/things/boom")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "INTERNAL_ERROR"
    assert "hunter2" not in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_api_error_keeps_its_status_and_code(client):
    response = client.post("/things", json={"displayName": "taken"})
    assert response.status_code == 409
    assert error_of(response) == {"code": "NAME_TAKEN", "message": "That name is taken."}


def test_rate_limited_carries_retry_after(client):
    response = client.get("/things/slow-down")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_limit_above_100_is_clamped_not_rejected(client):
    response = client.get("/things?limit=500")
    assert response.status_code == 200
    assert response.get_json()["data"]["pagination"] == {"page": 1, "limit": 100, "total": 0, "totalPages": 0}


@pytest.mark.parametrize("page", ["0", "-1", "10526127304836292580840781766249676800", "two"])
def test_a_page_out_of_range_is_a_validation_error(client, page):
    assert error_of(client.get(f"/things?page={page}"))["code"] == "VALIDATION_FAILED"


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_openapi_documents_the_envelope_and_error_schema(client):
    spec = client.get("/openapi.json").get_json()
    post = spec["paths"]["/things"]["post"]
    assert post["summary"] == "Create a thing."
    schema_ref = post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    envelope = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert set(envelope["properties"]) == {"success", "data"}
    assert "Error" in spec["components"]["schemas"]
