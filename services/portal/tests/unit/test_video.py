"""LiveKit tokens as stvos_shared.video mints them, read back with livekit-api's own verifier."""
from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest
from livekit import api
from stvos_portal.config import Settings
from stvos_shared.video import LiveKit, host_token, participant_token, room_name, trainer_identity, user_identity

LIVEKIT = LiveKit("wss://video.example.com", "key", "a-secret-of-thirty-two-characters!")


def verified(token: str) -> api.Claims:
    return api.TokenVerifier(LIVEKIT.api_key, LIVEKIT.api_secret).verify(token)


def test_a_participant_may_join_publish_and_subscribe_in_one_room_only():
    claims = verified(participant_token(LIVEKIT, "c3-booking-17", user_identity(7), name="Jane"))

    assert claims.identity == "user-7" and claims.name == "Jane"
    assert claims.video.room == "c3-booking-17"
    assert claims.video.room_join and claims.video.can_publish and claims.video.can_subscribe
    assert not claims.video.room_admin and not claims.video.room_create and not claims.video.room_list


def test_the_host_administers_their_room_and_no_other():
    claims = verified(host_token(LIVEKIT, "c3-class-9", trainer_identity(5)))

    assert claims.identity == "trainer-5" and claims.video.room == "c3-class-9" and claims.video.room_admin
    assert not claims.video.room_create and not claims.video.room_list


def test_no_token_lives_longer_than_two_hours():
    token = participant_token(LIVEKIT, "c3-booking-17", "user-7", ttl=timedelta(days=1))

    assert jwt.decode(token, options={"verify_signature": False})["exp"] - time.time() <= 2 * 3600


def test_a_token_signed_with_another_secret_is_refused():
    token = participant_token(LiveKit(LIVEKIT.url, "key", "another-secret-of-thirty-two-chars"), "r", "user-7")

    with pytest.raises(jwt.InvalidSignatureError):
        verified(token)


def test_rooms_are_named_for_the_tenant_and_the_booking_or_class():
    assert room_name(3, "booking", 17) == "c3-booking-17" and room_name(4, "class", 17) == "c4-class-17"
    with pytest.raises(ValueError):
        room_name(3, "party", 1)


def test_the_livekit_secret_never_shows_in_a_repr():
    assert LIVEKIT.api_secret not in repr(LIVEKIT)
    assert "s3cr3t-value" not in repr(Settings(database_url="sqlite://", livekit_api_secret="s3cr3t-value"))
