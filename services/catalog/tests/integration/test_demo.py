"""The demo tenant `make run` seeds carries the catalog's part: offerings of every kind and an invite code."""
from __future__ import annotations

import pytest
from stvos_runner.demo import seed_demo

from services.catalog.tests.support import bearer, data, next_week

pytestmark = pytest.mark.parametrize("platform", ["sqlite"], indirect=True)


def test_the_demo_trainer_offers_every_kind_of_offering(platform, gateway):
    demo = seed_demo(platform, "http://demo.test")
    key = {"X-API-Key": demo["apiKey"]}
    user = {**key, **bearer(data(gateway.post("/auth/login", json=demo["user"], headers=key))["accessToken"])}
    trainer = data(gateway.get(f"/trainers/{demo['trainer']['id']}", headers=user))["trainer"]
    assert [s["name"] for s in trainer["services"]] == ["1-on-1 Training", "Online Coaching Call"]
    assert [(c["name"], c["scheduledDate"]) for c in trainer["classes"]] == [("Group HIIT", next_week())]
    assert [p["name"] for p in trainer["programmes"]] == ["12-Week Transformation"]
    classes = data(gateway.get(f"/trainers/{demo['trainer']['id']}/classes", headers=user))
    assert [c["name"] for c in classes["recordedClasses"]] == ["HIIT Blast", "Morning Mobility"]
    check = data(gateway.post("/invite/check", json={"code": demo["inviteCode"]}))
    assert check == {"valid": True, "trainer": {"id": demo["trainer"]["id"], "name": "Coach Mike"},
                     "clientId": demo["clientId"]}
