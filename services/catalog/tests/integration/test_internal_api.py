"""/internal/*: the portal asks with the trainer's own token; only the trainer's own things answer."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import data, error, next_week, outbox_events


@pytest.fixture
def internal(platform):
    """The catalog app reached directly, as another service does (the gateway closes /internal)."""
    return platform.apps["catalog"].test_client()


def as_service(tenant, headers: dict[str, str]) -> dict[str, str]:
    return {"Authorization": headers["Authorization"], "X-Client-Id": str(tenant.client_id)}


def test_the_gateway_never_routes_internal_paths(studio, gateway):
    tenant = studio()
    _, trainer = tenant.signed_in_trainer()
    assert gateway.get("/internal/trainer-profile", headers=trainer).status_code == 404


def test_a_trainer_reads_and_changes_their_profile_and_the_change_is_published(studio, internal, catalog):
    tenant = studio()
    trainer_id, trainer = tenant.signed_in_trainer("Coach Mike", timezone="Europe/London")
    headers = as_service(tenant, trainer)
    assert data(internal.get("/internal/trainer-profile", headers=headers)) == {"trainer": {
        "id": trainer_id, "name": "Coach Mike", "bio": None, "image": None, "specialisations": [],
        "timezone": "Europe/London", "active": True}}
    changed = data(internal.put("/internal/trainer-profile", headers=headers, json={
        "bio": "Strength coach", "specialisations": ["Strength", " Strength "], "timezone": "Europe/Paris"}))
    assert changed["trainer"] == {"id": trainer_id, "name": "Coach Mike", "bio": "Strength coach", "image": None,
                                  "specialisations": ["Strength"], "timezone": "Europe/Paris", "active": True}
    published = {"trainerId": trainer_id, **{k: v for k, v in changed["trainer"].items() if k != "id"}}
    assert outbox_events(catalog, "catalog.trainer.updated")[-1]["data"] == published


@pytest.mark.parametrize(("body", "field"), [({"timezone": "Mars/Olympus"}, "timezone"), ({"name": ""}, "name"),
                                             ({"active": False}, "active"), ({"image": "ftp://x"}, "image")])
def test_an_invalid_profile_change_is_422(studio, internal, body, field):
    tenant = studio()
    _, trainer = tenant.signed_in_trainer()
    response = internal.put("/internal/trainer-profile", json=body, headers=as_service(tenant, trainer))
    assert response.status_code == 422
    assert list(error(response)["details"]["fields"]) == [field]


def test_a_user_token_is_403_on_the_internal_api(studio, internal):
    tenant = studio()
    response = internal.get("/internal/trainer-profile", headers=as_service(tenant, tenant.user()))
    assert response.status_code == 403
    assert error(response)["code"] == "TRAINER_ROLE_REQUIRED"


def test_a_trainers_own_class_is_shown_and_anyone_elses_is_404(studio, gateway, internal):
    tenant, other = studio(), studio()
    trainer_id, trainer = tenant.signed_in_trainer("Owner", timezone="Europe/London")
    _, colleague = tenant.signed_in_trainer("Colleague")
    _, stranger = other.signed_in_trainer("Stranger")
    created = data(gateway.post("/trainer-portal/group-classes", headers=trainer, json={
        "name": "HIIT", "scheduledDate": next_week(), "scheduledTime": "18:30", "duration": 45, "capacity": 10,
        "price": 15}))["groupClass"]
    shown = data(internal.get(f"/internal/group-classes/{created['id']}", headers=as_service(tenant, trainer)))
    assert shown == {"groupClass": {"id": created["id"], "trainerId": trainer_id, "name": "HIIT",
                                    "startsAt": created["startsAt"], "endsAt": created["endsAt"],
                                    "timezone": "Europe/London", "capacity": 10, "active": True}}
    for outsider, tenant_of in ((colleague, tenant), (stranger, other)):
        response = internal.get(f"/internal/group-classes/{created['id']}", headers=as_service(tenant_of, outsider))
        assert response.status_code == 404
        assert error(response)["code"] == "CLASS_NOT_FOUND"
