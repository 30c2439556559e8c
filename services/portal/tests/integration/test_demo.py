"""The demo tenant `make run` seeds: its trainer has clients and a dashboard with something on it."""
from __future__ import annotations

from stvos_runner.demo import seed_demo

from services.portal.tests.support.studio import route_missing


def test_the_demo_trainer_has_clients_and_a_non_empty_dashboard(platform, gateway):
    demo = seed_demo(platform, "http://127.0.0.1:8080")
    key = {"X-API-Key": demo["apiKey"]}
    login = gateway.post("/trainer-auth/login", json={"email": demo["trainer"]["email"],
                                                      "password": demo["trainer"]["password"]}, headers=key)
    trainer = {**key, "Authorization": f"Bearer {login.get_json()['data']['accessToken']}"}

    clients = gateway.get("/trainer-portal/clients", headers=trainer).get_json()["data"]["clients"]
    dashboard = gateway.get("/trainer-portal/dashboard", headers=trainer).get_json()["data"]

    assert {"Sam Carter", "Alex Morgan"} <= {client["name"] for client in clients}
    assert dashboard["thisWeek"]["newClients"] >= 2
    if not route_missing(platform, "booking", "/internal/bookings/1"):
        assert dashboard["upcomingSessions"] and dashboard["revenue"]["thisMonth"]
