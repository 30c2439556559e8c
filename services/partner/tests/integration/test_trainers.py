"""The partner admin API for trainer records, through the gateway."""
from __future__ import annotations

MIKE = {"name": "Coach Mike", "email": "Mike@Studio.test", "bio": "Strength coach.",
        "image": "https://img.test/mike.png", "specialisations": ["strength", "hiit"], "timezone": "Europe/London"}


def _create(gateway, tenant, **overrides):
    response = gateway.post("/partner/trainers", json={**MIKE, **overrides}, headers=tenant.admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["trainer"]


def test_an_admin_creates_a_trainer_and_it_is_announced(make_tenant, gateway, outbox_events):
    tenant = make_tenant()
    trainer = _create(gateway, tenant)
    assert trainer == {"id": trainer["id"], "name": "Coach Mike", "email": "mike@studio.test",
                       "bio": "Strength coach.", "image": "https://img.test/mike.png",
                       "specialisations": ["strength", "hiit"], "timezone": "Europe/London", "active": True,
                       "account": None, "invitationExpiresAt": trainer["invitationExpiresAt"]}
    assert outbox_events("partner.trainer.created") == [{
        "clientId": tenant.client_id, "trainerId": trainer["id"], "name": "Coach Mike", "email": "mike@studio.test",
        "bio": "Strength coach.", "image": "https://img.test/mike.png", "specialisations": ["strength", "hiit"],
        "timezone": "Europe/London", "active": True}]


def test_a_trainer_needs_only_name_and_email_and_defaults_to_utc(make_tenant, gateway):
    tenant = make_tenant()
    response = gateway.post("/partner/trainers", json={"name": "Ann", "email": "ann@studio.test"},
                            headers=tenant.admin)
    assert response.status_code == 201
    trainer = response.get_json()["data"]["trainer"]
    assert (trainer["timezone"], trainer["specialisations"], trainer["bio"]) == ("UTC", [], None)


def test_an_email_with_spaces_around_it_is_trimmed_and_lower_cased_on_create_and_update(make_tenant, gateway):
    tenant = make_tenant()
    trainer = _create(gateway, tenant, email="  Mike@North.example ")
    assert trainer["email"] == "mike@north.example"
    response = gateway.put(f"/partner/trainers/{trainer['id']}", json={"email": "Mike.Two@North.example\t"},
                           headers=tenant.admin)
    assert response.get_json()["data"]["trainer"]["email"] == "mike.two@north.example"


def test_an_unknown_timezone_or_field_is_422(make_tenant, gateway):
    tenant = make_tenant()
    bad_zone = gateway.post("/partner/trainers", json={**MIKE, "timezone": "Mars/Olympus"}, headers=tenant.admin)
    assert bad_zone.status_code == 422
    assert "timezone" in bad_zone.get_json()["error"]["details"]["fields"]
    sneaky = gateway.post("/partner/trainers", json={**MIKE, "active": False, "clientId": 2}, headers=tenant.admin)
    assert sneaky.status_code == 422


def test_a_second_trainer_with_the_same_email_gets_409(make_tenant, gateway):
    tenant = make_tenant()
    _create(gateway, tenant)
    response = gateway.post("/partner/trainers", json={**MIKE, "email": "MIKE@studio.test"}, headers=tenant.admin)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "EMAIL_TAKEN"


def test_another_tenant_may_have_a_trainer_with_the_same_email(make_tenant, gateway):
    first, second = make_tenant(), make_tenant()
    _create(gateway, first)
    assert gateway.post("/partner/trainers", json=MIKE, headers=second.admin).status_code == 201


def test_the_list_pages_and_filters_by_active_and_search(make_tenant, gateway):
    tenant = make_tenant()
    for number in range(5):
        _create(gateway, tenant, name=f"Coach {number}", email=f"coach{number}@studio.test")
    ann = _create(gateway, tenant, name="Ann Smith", email="ann@yoga.test")
    gateway.post(f"/partner/trainers/{ann['id']}/deactivate", headers=tenant.admin)
    page = gateway.get("/partner/trainers?page=2&limit=2", headers=tenant.staff).get_json()["data"]
    assert page["pagination"] == {"page": 2, "limit": 2, "total": 6, "totalPages": 3}
    assert len(page["trainers"]) == 2
    active = gateway.get("/partner/trainers?active=true&limit=100", headers=tenant.staff).get_json()["data"]
    assert {t["name"] for t in active["trainers"]} == {f"Coach {n}" for n in range(5)}
    found = gateway.get("/partner/trainers?search=YOGA", headers=tenant.staff).get_json()["data"]["trainers"]
    assert [t["id"] for t in found] == [ann["id"]]


def test_an_update_changes_only_the_fields_sent_and_is_announced(make_tenant, gateway, outbox_events):
    tenant = make_tenant()
    trainer = _create(gateway, tenant)
    response = gateway.put(f"/partner/trainers/{trainer['id']}", json={"bio": None, "timezone": "America/New_York"},
                           headers=tenant.admin)
    assert response.status_code == 200
    updated = response.get_json()["data"]["trainer"]
    assert {**trainer, "bio": None, "timezone": "America/New_York"} == updated
    events = outbox_events("partner.trainer.updated")
    assert [(e["trainerId"], e["timezone"], e["bio"]) for e in events] == [(trainer["id"], "America/New_York", None)]


def test_an_update_that_changes_nothing_announces_nothing(make_tenant, gateway, outbox_events):
    tenant = make_tenant()
    trainer = _create(gateway, tenant)
    response = gateway.put(f"/partner/trainers/{trainer['id']}", json={"name": "Coach Mike"}, headers=tenant.admin)
    assert response.status_code == 200
    assert outbox_events("partner.trainer.updated") == []


def test_changing_the_email_to_another_trainers_gets_409(make_tenant, gateway):
    tenant = make_tenant()
    _create(gateway, tenant)
    ann = _create(gateway, tenant, name="Ann", email="ann@studio.test")
    response = gateway.put(f"/partner/trainers/{ann['id']}", json={"email": "mike@studio.test"},
                           headers=tenant.admin)
    assert response.status_code == 409


def test_deactivation_is_announced_once_and_repeatable(make_tenant, gateway, outbox_events):
    tenant = make_tenant()
    trainer = _create(gateway, tenant)
    for _ in range(2):
        response = gateway.post(f"/partner/trainers/{trainer['id']}/deactivate", headers=tenant.admin)
        assert response.status_code == 200
        assert response.get_json()["data"]["trainer"]["active"] is False
    events = outbox_events("partner.trainer.deactivated")
    assert [(e["trainerId"], e["active"]) for e in events] == [(trainer["id"], False)]


def test_staff_can_read_trainers_but_not_change_them(make_tenant, gateway):
    tenant = make_tenant()
    trainer = _create(gateway, tenant)
    assert gateway.get(f"/partner/trainers/{trainer['id']}", headers=tenant.staff).status_code == 200
    writes = [
        gateway.post("/partner/trainers", json={**MIKE, "email": "new@studio.test"}, headers=tenant.staff),
        gateway.put(f"/partner/trainers/{trainer['id']}", json={"name": "X"}, headers=tenant.staff),
        gateway.post(f"/partner/trainers/{trainer['id']}/deactivate", headers=tenant.staff),
    ]
    assert [(r.status_code, r.get_json()["error"]["code"]) for r in writes] == [(403, "FORBIDDEN")] * 3
    assert gateway.get(f"/partner/trainers/{trainer['id']}", headers=tenant.admin).get_json()["data"]["trainer"] \
        == trainer


def test_another_tenants_trainer_answers_exactly_like_a_missing_one(make_tenant, gateway):
    owner, other = make_tenant(), make_tenant()
    trainer = _create(gateway, owner)
    missing = gateway.get("/partner/trainers/99999", headers=other.admin)
    attempts = [
        gateway.get(f"/partner/trainers/{trainer['id']}", headers=other.admin),
        gateway.put(f"/partner/trainers/{trainer['id']}", json={"name": "Taken over"}, headers=other.admin),
        gateway.post(f"/partner/trainers/{trainer['id']}/deactivate", headers=other.admin),
    ]
    assert missing.status_code == 404
    assert all(r.status_code == 404 and r.get_json()["error"] == missing.get_json()["error"] for r in attempts)
    assert gateway.get("/partner/trainers", headers=other.admin).get_json()["data"]["trainers"] == []
    assert gateway.get(f"/partner/trainers/{trainer['id']}", headers=owner.admin).get_json()["data"]["trainer"] \
        == trainer


def test_the_admin_api_needs_a_partner_token(gateway):
    assert gateway.get("/partner/trainers").status_code == 401
    assert gateway.post("/partner/trainers", json=MIKE).status_code == 401


def test_ids_beyond_32_bits_in_paths_are_404_not_a_database_error(make_tenant, gateway):
    tenant = make_tenant()
    huge = 2**31
    for path in (f"/partner/trainers/{huge}", f"/partner/vouchers/{huge}/redemptions"):
        assert gateway.get(path, headers=tenant.admin).status_code == 404, path
    assert gateway.put(f"/partner/trainers/{huge}", json={"name": "X"}, headers=tenant.admin).status_code == 404
    assert gateway.post(f"/partner/trainers/{huge}/deactivate", headers=tenant.admin).status_code == 404
