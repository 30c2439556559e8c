"""Settings: production from the environment, and no weaker password hashing than OWASP's minimum."""
from __future__ import annotations

import pytest
from stvos_auth.config import Settings
from stvos_shared.credentials.settings import CredentialSettings


def test_argon2_below_owasp_minimum_is_refused():
    with pytest.raises(ValueError):
        CredentialSettings(argon2_memory_kib=8192)
    with pytest.raises(ValueError):
        CredentialSettings(argon2_time_cost=1)


def test_production_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PARTNER_URL", "http://partner:8105")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "65536")
    monkeypatch.setenv("LOGIN_PAIR_FAILURES", "7")
    settings = Settings.from_env()
    assert (settings.partner_url, settings.credentials.argon2_memory_kib,
            settings.credentials.login_pair_failures) == ("http://partner:8105", 65536, 7)


def test_embedded_settings_reach_the_partner_in_process(tmp_path):
    settings = Settings.embedded(str(tmp_path))
    assert settings.partner_url == "inproc://partner"
    assert settings.database_url.endswith("auth.db")
    assert (settings.credentials.access_ttl_seconds, settings.credentials.refresh_ttl_seconds) == (900, 30 * 24 * 3600)
