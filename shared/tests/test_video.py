"""LiveKit tokens: one identity, one room, publish and subscribe, no admin; at most two hours; signed here."""
from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest
from jwt import InvalidSignatureError
from livekit.api import TokenVerifier
from stvos_shared.video import DEV_API_KEY, DEV_API_SECRET, LiveKit, host_token, participant_token, room_name

LIVEKIT = LiveKit(api_key="APIkey123", api_secret="a-secret-long-enough-for-hmac-sha256-0123456789")


def verify(token: str, livekit: LiveKit = LIVEKIT):
    return TokenVerifier(livekit.api_key, livekit.api_secret).verify(token)


def test_a_participant_joins_one_room_as_one_identity_without_admin_rights():
    claims = verify(participant_token(LIVEKIT, "booking-42", "user-7", name="Jane"))
    assert (claims.identity, claims.name, claims.video.room, claims.video.room_join) == (
        "user-7", "Jane", "booking-42", True)
    assert (claims.video.can_publish, claims.video.can_subscribe, claims.video.room_admin) == (True, True, None)
    assert not claims.video.room_create and not claims.video.room_list


def test_the_trainer_running_the_room_gets_admin_rights_on_that_room_only():
    claims = verify(host_token(LIVEKIT, "booking-42", "trainer-5"))
    assert (claims.video.room, claims.video.room_admin, claims.video.room_create) == ("booking-42", True, None)


def test_tokens_expire_within_two_hours_even_when_asked_for_longer():
    token = participant_token(LIVEKIT, "r", "user-1", ttl=timedelta(hours=3))
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["exp"] - time.time() <= 2 * 3600 + 1


def test_a_token_signed_with_another_secret_does_not_verify():
    token = participant_token(LiveKit(), "r", "user-1")
    assert TokenVerifier(DEV_API_KEY, DEV_API_SECRET).verify(token).identity == "user-1"
    with pytest.raises(InvalidSignatureError):
        TokenVerifier(DEV_API_KEY, LIVEKIT.api_secret).verify(token)


def test_rooms_are_named_by_tenant_and_what_they_are_for():
    assert (room_name(3, "booking", 17), room_name(3, "class", 9)) == ("c3-booking-17", "c3-class-9")
    with pytest.raises(ValueError):
        room_name(3, "party", 1)


def test_the_secret_never_shows_in_a_repr():
    assert LIVEKIT.api_secret not in repr(LIVEKIT)
