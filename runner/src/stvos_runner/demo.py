"""The demo tenant `make run` and `make stack` seed, and var/demo.json with its credentials."""
from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from stvos_auth import admin as auth_admin
from stvos_partner import admin as partner_admin
from stvos_shared.container import ServiceContainer
from stvos_shared.files import write_private
from werkzeug.test import Client

from .demo_target import DemoSeedError, DemoTarget, call
from .platform import EmbeddedPlatform

DEMO_FILE = "demo.json"
ADMIN, USER, TRAINER = "admin@demo.stvos.dev", "jane@demo.stvos.dev", "mike@demo.stvos.dev"
VOUCHER = "DEMO-WELCOME"


def embedded_target(platform: EmbeddedPlatform) -> DemoTarget:
    """The embedded platform: its containers, its gateway in-process, events flushed between steps."""
    client = Client(platform.gateway)

    def send(method: str, path: str, body: dict | None, headers: dict) -> tuple[int, Any, str]:
        response = client.open(path, method=method, json=body, headers=headers)
        return response.status_code, response.get_json(silent=True), response.get_data(as_text=True)

    return DemoTarget(platform.containers, send, platform.flush)


def http_target(containers: dict[str, ServiceContainer], gateway_url: str, patience: float = 30.0) -> DemoTarget:
    """A running gateway over HTTP (the production stack), with the stack's containers for operator steps."""
    import requests

    def send(method: str, path: str, body: dict | None, headers: dict) -> tuple[int, Any, str]:
        response = requests.request(method, gateway_url + path, json=body, headers=headers, timeout=10)
        try:
            payload = response.json()
        except ValueError:
            payload = None
        return response.status_code, payload, response.text

    return DemoTarget(containers, send, patience=patience)


def _as_target(where: EmbeddedPlatform | DemoTarget) -> DemoTarget:
    return where if isinstance(where, DemoTarget) else embedded_target(where)


def seed_demo(where: EmbeddedPlatform | DemoTarget, gateway_url: str) -> dict[str, Any]:
    """Create the demo tenant through the operator commands and the public APIs."""
    from .demo_steps import seed_clients, seed_offerings, seed_schedule

    target = _as_target(where)
    tenant = auth_admin.create_client(target.containers["auth"], name="Demo Studio",
                                      branding={"primaryColor": "#1f6feb", "logoUrl": None})
    master = auth_admin.set_master_trainer_key(target.containers["auth"])
    admin = {"email": ADMIN, "password": secrets.token_urlsafe(12)}
    partner_admin.create_partner_staff(target.containers["partner"], client_id=tenant["clientId"], role="admin",
                                       partner_name="Demo Studio", **admin)
    key = {"X-API-Key": tenant["apiKey"]}
    staff_token = call(target, "POST", "/partner-auth/login", admin, {}, 200)["accessToken"]
    bearer = {"Authorization": f"Bearer {staff_token}"}
    trainer = call(target, "POST", "/partner/trainers", {
        "name": "Coach Mike", "email": TRAINER, "bio": "Strength and conditioning coach.",
        "specialisations": ["strength", "hiit"], "timezone": "Europe/London"}, bearer, 201)["trainer"]
    voucher = call(target, "POST", "/partner/vouchers", {"code": VOUCHER, "maxRedemptions": 100},
                   bearer, 201)["voucher"]
    user = {"email": USER, "password": secrets.token_urlsafe(12)}
    call(target, "POST", "/auth/register", {**user, "name": "Jane Doe"}, key, 201)
    trainer_login = {"email": TRAINER, "password": secrets.token_urlsafe(12)}
    call(target, "POST", "/trainer-auth/register", trainer_login, key, 201)
    invite, offerings = seed_offerings(target, key, trainer_login)
    seed_schedule(target, key, trainer["id"], trainer_login, user, offerings)
    seed_clients(target, key, trainer["id"], offerings)
    target.settle()
    return {
        "gatewayUrl": gateway_url, "clientId": tenant["clientId"], "apiKey": tenant["apiKey"],
        "masterTrainerKey": master["masterTrainerKey"], "user": user,
        "trainer": {"id": trainer["id"], **trainer_login}, "partnerAdmin": admin, "voucherCode": voucher["code"],
        "inviteCode": invite,
    }


def refresh_demo(where: EmbeddedPlatform | DemoTarget, gateway_url: str) -> dict[str, Any] | None:
    """The demo tenant the databases already hold, with new credentials (None when they hold none).

    For a start whose var/demo.json is missing or stale over databases seeded before (a fresh clone on a
    machine where a stack ran): its partner admin, user and trainer get new passwords (their sessions end),
    the tenant a new API key (its older keys, unknown here, stay as they are), the platform a new master
    trainer key, the trainer a new invite code.
    """
    target = _as_target(where)
    auth = target.containers["auth"]
    admin = {"email": ADMIN, "password": secrets.token_urlsafe(12)}
    client_id = partner_admin.set_staff_password(target.containers["partner"], **admin)
    if client_id is None:
        return None
    user, trainer_login = ({"email": email, "password": secrets.token_urlsafe(12)} for email in (USER, TRAINER))
    for account in (user, trainer_login):
        if not auth_admin.set_password(auth, client_id, **account):
            raise DemoSeedError(f"the demo tenant (client {client_id}) has no account {account['email']}: its "
                                "seeding was interrupted. Start over without its databases (make clean, or "
                                "deploy/stack/stack.py stop --drop-databases)")
    api_key = auth_admin.issue_api_key(auth, client_id)["apiKey"]
    master = auth_admin.set_master_trainer_key(auth)
    key = {"X-API-Key": api_key}
    signed_in = call(target, "POST", "/trainer-auth/login", trainer_login, key, 200)
    bearer = {**key, "Authorization": f"Bearer {signed_in['accessToken']}"}
    invite = call(target, "POST", "/trainer-portal/invite-codes", {"maxUses": 100}, bearer, 201)["inviteCode"]
    return {
        "gatewayUrl": gateway_url, "clientId": client_id, "apiKey": api_key,
        "masterTrainerKey": master["masterTrainerKey"], "user": user,
        "trainer": {"id": signed_in["trainer"]["id"], **trainer_login}, "partnerAdmin": admin, "voucherCode": VOUCHER,
        "inviteCode": invite["code"],
    }


def _key_still_valid(where: EmbeddedPlatform | DemoTarget, api_key: str) -> bool:
    if isinstance(where, EmbeddedPlatform):
        return where.gateway.keys.check(api_key, "", False)[0]
    # /auth/me without a token: the gateway refuses a bad key (API_KEY_INVALID), auth refuses the missing token.
    _, payload, _ = where.send("GET", "/auth/me", None, {"X-API-Key": api_key})
    return not (isinstance(payload, dict) and payload.get("error", {}).get("code") == "API_KEY_INVALID")


def ensure_demo(where: EmbeddedPlatform | DemoTarget, var_dir: str, gateway_url: str) -> dict[str, Any]:
    """Seed once; on later starts keep the tenant and refresh gatewayUrl in var/demo.json (its owner's only).

    Without a working var/demo.json the demo tenant of the databases gets new credentials (refresh_demo), or,
    when they have none, is seeded."""
    path = Path(var_dir) / DEMO_FILE
    demo = json.loads(path.read_text()) if path.exists() else None
    if demo is None or not _key_still_valid(where, demo.get("apiKey", "")):
        demo = refresh_demo(where, gateway_url) or seed_demo(where, gateway_url)
    demo["gatewayUrl"] = gateway_url
    write_private(path, json.dumps(demo, indent=2) + "\n")
    return demo
