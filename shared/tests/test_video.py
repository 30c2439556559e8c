"""LiveKit tokens: one identity, one room, publish and subscribe, no admin; at most two hours; signed here."""
from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest
from jwt import InvalidSignatureError
from livekit.api import TokenVerifier
from stvos_shared.video import DEV_KEY, DEV_SECRET, VideoSettings, VideoTokens

SETTINGS = VideoSettings(api_key="APIkey123", api_secret="a-secret-long-enough-for-hmac-sha256-0123456789")


def test_a_participant_joins_one_room_as_one_identity_without_admin_rights():
    token = VideoTokens(SETTINGS).participant_token("booking-42", "user-7", name="Jane")
    claims = TokenVerifier(SETTINGS.api_key, SETTINGS.api_secret).verify(token)
    assert (claims.identity, claims.name, claims.video.room, claims.video.room_join) == (
        "user-7", "Jane", "booking-42", True)
    assert (claims.video.can_publish, claims.video.can_subscribe, claims.video.room_admin) == (True, True, None)
    assert not claims.video.room_create and not claims.video.room_list


def test_the_trainer_running_the_room_gets_admin_rights_on_that_room_only():
    claims = TokenVerifier(SETTINGS.api_key, SETTINGS.api_secret).verify(
        VideoTokens(SETTINGS).admin_token("booking-42", "trainer-5"))
    assert (claims.video.room, claims.video.room_admin, claims.video.room_create) == ("booking-42", True, None)


def test_tokens_expire_within_two_hours_and_longer_lives_are_refused():
    token = VideoTokens(SETTINGS, ttl=timedelta(hours=2)).participant_token("r", "user-1")
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["exp"] - time.time() <= 2 * 3600 + 1
    with pytest.raises(ValueError, match="at most"):
        VideoTokens(SETTINGS, ttl=timedelta(hours=3))


def test_a_token_signed_with_another_secret_does_not_verify():
    token = VideoTokens(VideoSettings()).participant_token("r", "user-1")
    assert TokenVerifier(DEV_KEY, DEV_SECRET).verify(token).identity == "user-1"
    with pytest.raises(InvalidSignatureError):
        TokenVerifier(DEV_KEY, SETTINGS.api_secret).verify(token)


def test_settings_come_from_the_livekit_variables(monkeypatch):
    monkeypatch.setenv("LIVEKIT_URL", "wss://video.example.test")
    monkeypatch.setenv("LIVEKIT_API_KEY", "key")
    monkeypatch.setenv("LIVEKIT_API_SECRET", "shh")
    assert VideoSettings.from_env() == VideoSettings("wss://video.example.test", "key", "shh")
    monkeypatch.delenv("LIVEKIT_URL")
    assert VideoSettings.from_env().url == "ws://127.0.0.1:7880"
