"""`make run` over an existing var/: the demo tenant is kept, and found again when var/demo.json is gone."""
from __future__ import annotations

import json
from pathlib import Path

from stvos_runner.demo import DEMO_FILE, ensure_demo
from stvos_runner.platform import EmbeddedPlatform
from werkzeug.test import Client


def _start(var_dir: Path) -> dict:
    platform = EmbeddedPlatform(str(var_dir))
    try:
        demo = ensure_demo(platform, str(var_dir), "http://127.0.0.1:8080")
        gateway, key = Client(platform.gateway), {"X-API-Key": demo["apiKey"]}
        logins = {"/auth/login": (demo["user"], key), "/partner-auth/login": (demo["partnerAdmin"], {}),
                  "/trainer-auth/login": ({k: demo["trainer"][k] for k in ("email", "password")}, key)}
        demo["statuses"] = {path: gateway.post(path, json=body, headers=headers).status_code
                            for path, (body, headers) in logins.items()}
        trainer = gateway.post("/trainer-auth/login", json=logins["/trainer-auth/login"][0], headers=key)
        demo["trainerSeen"] = trainer.get_json()["data"]["trainer"]["id"]
        return demo
    finally:
        platform.stop()


def test_restarts_keep_the_demo_and_a_lost_demo_json_gets_new_working_credentials(tmp_path):
    var_dir = tmp_path / "var"
    first = _start(var_dir)
    again = _start(var_dir)  # demo.json kept: the same credentials
    assert again["apiKey"] == first["apiKey"] and again["user"] == first["user"]
    (var_dir / DEMO_FILE).unlink()  # the databases stay (a fresh clone over a stack's databases is alike)
    refreshed = _start(var_dir)
    assert (refreshed["clientId"], refreshed["trainer"]["id"]) == (first["clientId"], first["trainer"]["id"])
    assert refreshed["apiKey"] != first["apiKey"] and refreshed["user"]["password"] != first["user"]["password"]
    assert json.loads((var_dir / DEMO_FILE).read_text())["apiKey"] == refreshed["apiKey"]
    for demo in (first, again, refreshed):
        assert set(demo["statuses"].values()) == {200}, demo["statuses"]
        assert demo["trainerSeen"] == demo["trainer"]["id"]
