"""Settings: production from the environment, and no weaker password hashing than OWASP's minimum."""
from __future__ import annotations

import pytest
from stvos_auth.config import Settings


def test_argon2_below_owasp_minimum_is_refused():
    with pytest.raises(ValueError):
        Settings(database_url="sqlite://", argon2_memory_kib=8192)
    with pytest.raises(ValueError):
        Settings(database_url="sqlite://", argon2_time_cost=1)


def test_production_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PARTNER_URL", "http://partner:8105")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "65536")
    monkeypatch.setenv("LOCKOUT_THRESHOLD", "5")
    settings = Settings.from_env()
    assert (settings.partner_url, settings.argon2_memory_kib, settings.lockout_threshold) == (
        "http://partner:8105", 65536, 5)


def test_embedded_settings_reach_the_partner_in_process(tmp_path):
    settings = Settings.embedded(str(tmp_path))
    assert settings.partner_url == "inproc://partner"
    assert settings.database_url.endswith("auth.db")
    assert (settings.access_ttl_seconds, settings.refresh_ttl_seconds) == (900, 30 * 24 * 3600)
