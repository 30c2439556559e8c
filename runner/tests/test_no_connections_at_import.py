"""Every service imports and builds its app with its database and broker unreachable."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from stvos_runner.services import SERVICES
from stvos_shared.keywrap import new_kek

PROBE = """
import importlib, sys
wsgi = importlib.import_module(f"stvos_{sys.argv[1]}.wsgi")
client = wsgi.app.test_client()
print(client.get("/healthz").status_code, client.get("/readyz").status_code)
"""


@pytest.mark.parametrize("service", SERVICES)
def test_service_starts_without_its_database_and_reports_not_ready(service):
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/unreachable",
           "BROKER_URL": "amqp://guest:guest@127.0.0.1:1/%2F", "AUTH_URL": "http://127.0.0.1:1",
           "PARTNER_URL": "http://127.0.0.1:1", "LOG_LEVEL": "WARNING", "SIGNING_KEY_KEK": new_kek()}
    result = subprocess.run([sys.executable, "-c", PROBE, service], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "503"]


@pytest.mark.parametrize("service", ["auth", "partner"])
def test_a_token_issuer_without_its_key_encryption_key_refuses_to_start_and_says_why(service):
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/unreachable", "LOG_LEVEL": "WARNING"}
    env.pop("SIGNING_KEY_KEK", None)
    result = subprocess.run([sys.executable, "-c", PROBE, service], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "KekError: SIGNING_KEY_KEK is not set" in result.stderr
