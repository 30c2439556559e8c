"""The demo tenant `make run` seeds, and var/demo.json with its credentials."""
from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from .platform import EmbeddedPlatform, service_module

DEMO_FILE = "demo.json"


class DemoSeedError(RuntimeError):
    """A seeding call through the gateway did not answer as expected."""


def _call(client: Client, method: str, path: str, body: dict, headers: dict, expect: int) -> dict[str, Any]:
    response = client.open(path, method=method, json=body, headers=headers)
    if response.status_code != expect:
        raise DemoSeedError(f"{method} {path} answered {response.status_code}: {response.get_data(as_text=True)}")
    return response.get_json()["data"]


def seed_demo(platform: EmbeddedPlatform, gateway_url: str) -> dict[str, Any]:
    """Create the demo tenant through the operator commands and the public APIs."""
    auth_admin, partner_admin = service_module("auth", "admin"), service_module("partner", "admin")
    containers = platform.containers
    tenant = auth_admin.create_client(containers["auth"], name="Demo Studio",
                                      branding={"primaryColor": "#1f6feb", "logoUrl": None})
    master = auth_admin.set_master_trainer_key(containers["auth"])
    admin = {"email": "admin@demo.stvos.dev", "password": secrets.token_urlsafe(12)}
    partner_admin.create_partner_staff(containers["partner"], client_id=tenant["clientId"], role="admin",
                                       partner_name="Demo Studio", **admin)
    platform.flush()
    gateway = Client(platform.gateway)
    key = {"X-API-Key": tenant["apiKey"]}
    staff_token = _call(gateway, "POST", "/partner-auth/login", admin, {}, 200)["accessToken"]
    bearer = {"Authorization": f"Bearer {staff_token}"}
    trainer_email = "mike@demo.stvos.dev"
    trainer = _call(gateway, "POST", "/partner/trainers", {
        "name": "Coach Mike", "email": trainer_email, "bio": "Strength and conditioning coach.",
        "specialisations": ["strength", "hiit"], "timezone": "Europe/London"}, bearer, 201)["trainer"]
    voucher = _call(gateway, "POST", "/partner/vouchers", {"code": "DEMO-WELCOME", "maxRedemptions": 100},
                    bearer, 201)["voucher"]
    platform.flush()
    user = {"email": "jane@demo.stvos.dev", "password": secrets.token_urlsafe(12)}
    _call(gateway, "POST", "/auth/register", {**user, "name": "Jane Doe"}, key, 201)
    trainer_login = {"email": trainer_email, "password": secrets.token_urlsafe(12)}
    _call(gateway, "POST", "/trainer-auth/register", trainer_login, key, 201)
    platform.flush()
    return {
        "gatewayUrl": gateway_url, "clientId": tenant["clientId"], "apiKey": tenant["apiKey"],
        "masterTrainerKey": master["masterTrainerKey"], "user": user,
        "trainer": {"id": trainer["id"], **trainer_login}, "partnerAdmin": admin, "voucherCode": voucher["code"],
    }


def ensure_demo(platform: EmbeddedPlatform, var_dir: str, gateway_url: str) -> dict[str, Any]:
    """Seed once; on later starts keep the tenant and refresh gatewayUrl in var/demo.json."""
    path = Path(var_dir) / DEMO_FILE
    demo = json.loads(path.read_text()) if path.exists() else None
    if demo is None or not platform.gateway.keys.check(demo.get("apiKey", ""), "", False)[0]:
        demo = seed_demo(platform, gateway_url)
    demo["gatewayUrl"] = gateway_url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(demo, indent=2) + "\n")
    return demo
