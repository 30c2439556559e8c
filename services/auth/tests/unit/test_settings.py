"""Settings: production from the environment, and no weaker password hashing than OWASP's minimum."""
from __future__ import annotations

import pytest
from stvos_auth.config import Settings
from stvos_shared.credentials.settings import CredentialSettings
from stvos_shared.keywrap import KEK_FILE, KekError, new_kek


def test_argon2_below_owasp_minimum_is_refused():
    with pytest.raises(ValueError):
        CredentialSettings(argon2_memory_kib=8192)
    with pytest.raises(ValueError):
        CredentialSettings(argon2_time_cost=1)


def test_production_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PARTNER_URL", "http://partner:8105")
    monkeypatch.setenv("CATALOG_URL", "http://catalog:8102")
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "65536")
    monkeypatch.setenv("LOGIN_PAIR_FAILURES", "7")
    kek = new_kek()
    monkeypatch.setenv("SIGNING_KEY_KEK", kek)
    settings = Settings.from_env()
    assert (settings.partner_url, settings.credentials.argon2_memory_kib,
            settings.credentials.login_pair_failures, settings.signing_key_kek) == ("http://partner:8105", 65536, 7,
                                                                                   (kek,))
    assert settings.catalog_url == "http://catalog:8102"
    assert kek not in repr(settings)


def test_production_settings_without_a_kek_refuse_to_start(monkeypatch):
    monkeypatch.delenv("SIGNING_KEY_KEK", raising=False)
    with pytest.raises(KekError, match="SIGNING_KEY_KEK is not set"):
        Settings.from_env()


def test_embedded_settings_reach_the_partner_and_the_catalog_in_process(tmp_path):
    settings = Settings.embedded(str(tmp_path))
    assert (settings.partner_url, settings.catalog_url) == ("inproc://partner", "inproc://catalog")
    assert settings.signing_key_kek == Settings.embedded(str(tmp_path)).signing_key_kek  # var/'s, made once
    assert (tmp_path / KEK_FILE).read_text().strip() == settings.signing_key_kek[0]
    assert settings.database_url.endswith("auth.db")
    assert (settings.credentials.access_ttl_seconds, settings.credentials.refresh_ttl_seconds) == (900, 30 * 24 * 3600)
