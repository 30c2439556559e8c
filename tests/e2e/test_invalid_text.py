"""Strings that are not Unicode text (a lone UTF-16 surrogate, legal in JSON) are refused with 422 by every
operation that takes a JSON body, in every service, before any of them reaches a hash or a database."""
from __future__ import annotations

import json
from typing import Any

import pytest
from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin

NOT_TEXT = "Not valid Unicode text."
LONE = "\ud800"
PASSWORD = "long-enough-pw"


@pytest.fixture
def callers(platform, gateway) -> dict[str, dict[str, str]]:
    """Headers of a user, a trainer and a partner admin of one tenant."""
    created = auth_admin.create_client(platform.containers["auth"], name="Studio")
    key = {"X-API-Key": created["apiKey"]}
    platform.flush()
    partner_admin.create_partner_staff(platform.containers["partner"], client_id=created["clientId"],
                                       email="admin@studio.test", password=PASSWORD)
    admin = gateway.post("/partner-auth/login", json={"email": "admin@studio.test", "password": PASSWORD})
    admin_token = admin.get_json()["data"]["accessToken"]
    gateway.post("/partner/trainers", json={"name": "Mike", "email": "mike@studio.test"},
                 headers={"Authorization": f"Bearer {admin_token}"})
    trainer = gateway.post("/trainer-auth/register", json={"email": "mike@studio.test", "password": PASSWORD},
                           headers=key).get_json()["data"]["accessToken"]
    user = gateway.post("/auth/register", json={"email": "jane@studio.test", "password": PASSWORD},
                        headers=key).get_json()["data"]["accessToken"]
    return {"partner": {"Authorization": f"Bearer {admin_token}"},
            "trainer": {**key, "Authorization": f"Bearer {trainer}"},
            "user": {**key, "Authorization": f"Bearer {user}"}}


def string_properties(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return [name for name, prop in schema.get("properties", {}).items()
            if prop.get("type") == "string" and not prop.get("readOnly")]


def operations_with_text(spec: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body and (names := string_properties(spec, body["schema"])):
                found.append((method, path, names))
    return found


def headers_for(path: str, callers: dict[str, dict[str, str]]) -> dict[str, str]:
    if path.startswith("/partner"):
        return callers["partner"]
    return callers["trainer"] if path.startswith(("/trainer-portal", "/trainer-auth")) else callers["user"]


def test_every_text_field_of_every_body_refuses_a_lone_surrogate(gateway, callers):
    spec = gateway.get("/openapi.json").get_json()
    operations = operations_with_text(spec)
    assert len(operations) >= 15, "the merged document lists the bodies"
    failures = []
    for method, path, names in operations:
        url = path.replace("{", "").replace("}", "")
        url = "/".join("1" if part.endswith("Id") or part.endswith("_id") or part == "id" else part
                       for part in url.split("/"))
        body = json.dumps(dict.fromkeys(names, LONE))
        response = gateway.request(method.upper(), url, data=body, headers={
            **headers_for(path, callers), "Content-Type": "application/json"})
        fields = (response.get_json() or {}).get("error", {}).get("details", {}).get("fields", {})
        if response.status_code != 422 or any(fields.get(name) != [NOT_TEXT] for name in names):
            failures.append((method, path, response.status_code, response.get_json()))
    print(f"\n{len(operations)} operations with text fields, {sum(len(n) for *_, n in operations)} fields tried")
    assert failures == []


@pytest.mark.parametrize(("path", "field", "body"), [
    ("/auth/login", "password", {"email": "jane@studio.test"}),
    ("/auth/register", "password", {"email": "new@studio.test"}),
    ("/auth/register", "name", {"email": "new@studio.test", "password": PASSWORD}),
    ("/auth/register", "sessionId", {"email": "new@studio.test", "password": PASSWORD}),
    ("/auth/voucher/validate", "code", {}),
    ("/trainer-auth/login", "password", {"email": "mike@studio.test"}),
    ("/partner-auth/login", "password", {"email": "admin@studio.test"}),
])
def test_the_inputs_that_once_answered_500_answer_422(gateway, callers, path, field, body):
    headers = {"X-API-Key": callers["user"]["X-API-Key"]} if not path.startswith("/partner") else {}
    response = gateway.post(path, data=json.dumps({**body, field: LONE}),
                            headers={**headers, "Content-Type": "application/json"})
    assert (response.status_code, response.get_json()["error"]["details"]["fields"]) == (422, {field: [NOT_TEXT]})


@pytest.mark.parametrize("field", ["name", "bio"])
def test_a_partner_trainer_name_or_bio_that_is_not_text_is_422(gateway, callers, field):
    response = gateway.post("/partner/trainers", data=json.dumps({"name": "Ann", "email": "ann@studio.test",
                                                                 field: LONE}),
                            headers={**callers["partner"], "Content-Type": "application/json"})
    assert response.status_code == 422


def test_a_staff_password_that_is_not_text_is_422(gateway, callers):
    response = gateway.post("/partner/staff", data=json.dumps({"email": "s@studio.test", "password": LONE * 10,
                                                              "role": "staff"}),
                            headers={**callers["partner"], "Content-Type": "application/json"})
    assert response.status_code == 422
