"""LiveKit video rooms: room names, identities and access tokens (livekit-api), the same for every service.

Tokens are minted when they are shown and never stored, logged or published: each is for one identity,
one room, and expires within `MAX_TTL`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from livekit import api

# What `livekit-server --dev` accepts: the embedded default, so `make run` needs no configuration.
DEV_URL = "ws://localhost:7880"
DEV_API_KEY = "devkey"
DEV_API_SECRET = "secret"
MAX_TTL = timedelta(hours=2)
ROOM_KINDS = ("booking", "class")


@dataclass(frozen=True)
class LiveKit:
    """Where participants connect (`url`, ws:// or wss://) and the key pair tokens are signed with."""

    url: str = DEV_URL
    api_key: str = DEV_API_KEY
    api_secret: str = DEV_API_SECRET

    def __repr__(self) -> str:  # the secret never reaches a log line
        return f"LiveKit(url={self.url!r}, api_key={self.api_key!r})"


def room_name(client_id: int, kind: str, target_id: int) -> str:
    """The room of a booking or a group class: unique across tenants ("c3-booking-17", "c3-class-9")."""
    if kind not in ROOM_KINDS:
        raise ValueError(f"kind must be one of {ROOM_KINDS}")
    return f"c{client_id}-{kind}-{target_id}"


def trainer_identity(trainer_id: int) -> str:
    return f"trainer-{trainer_id}"


def user_identity(user_id: int) -> str:
    return f"user-{user_id}"


def host_token(livekit: LiveKit, room: str, identity: str, name: str | None = None,
               ttl: timedelta = MAX_TTL) -> str:
    """A token for the room's host: join, publish, subscribe and administer this room only."""
    return _token(livekit, room, identity, name, ttl, admin=True)


def participant_token(livekit: LiveKit, room: str, identity: str, name: str | None = None,
                      ttl: timedelta = MAX_TTL) -> str:
    """A token for a participant: join, publish and subscribe in this room only; no admin."""
    return _token(livekit, room, identity, name, ttl, admin=False)


def _token(livekit: LiveKit, room: str, identity: str, name: str | None, ttl: timedelta, admin: bool) -> str:
    if not room or not identity:
        raise ValueError("a token needs a room and an identity")
    grants = api.VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True,
                             can_publish_data=True, room_admin=True if admin else None)
    token = (api.AccessToken(livekit.api_key, livekit.api_secret).with_identity(identity)
             .with_grants(grants).with_ttl(min(ttl, MAX_TTL)))
    if name:
        token = token.with_name(name)
    return token.to_jwt()
