"""LiveKit room tokens, signed here with the API key's secret (the LiveKit server is never called).

A participant's token lets one identity join one room, publish and subscribe, and nothing else (no
room_admin); the trainer who runs the room gets `admin_token`. Tokens are minted when read and never
stored or published. Defaults are LiveKit's development server (`livekit-server --dev`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from livekit.api import AccessToken, VideoGrants

from .settings import env_str

DEV_URL, DEV_KEY, DEV_SECRET = "ws://127.0.0.1:7880", "devkey", "secret"
MAX_TTL = timedelta(hours=2)


@dataclass(frozen=True)
class VideoSettings:
    """Where LiveKit runs and the API key that signs its tokens."""

    url: str = DEV_URL
    api_key: str = DEV_KEY
    api_secret: str = DEV_SECRET

    @classmethod
    def from_env(cls) -> VideoSettings:
        return cls(url=env_str("LIVEKIT_URL", DEV_URL), api_key=env_str("LIVEKIT_API_KEY", DEV_KEY),
                   api_secret=env_str("LIVEKIT_API_SECRET", DEV_SECRET))


class VideoTokens:
    """Mints LiveKit access tokens for one room and one identity at a time."""

    def __init__(self, settings: VideoSettings, ttl: timedelta = timedelta(hours=1)) -> None:
        if ttl > MAX_TTL:
            raise ValueError(f"video tokens live at most {MAX_TTL}")
        self.settings, self.ttl = settings, ttl

    def participant_token(self, room: str, identity: str, name: str | None = None) -> str:
        """Join `room` as `identity`, publish and subscribe; no admin rights."""
        return self._token(room, identity, name, admin=False)

    def admin_token(self, room: str, identity: str, name: str | None = None) -> str:
        """Join and administer `room` (the trainer running the session)."""
        return self._token(room, identity, name, admin=True)

    def _token(self, room: str, identity: str, name: str | None, *, admin: bool) -> str:
        grants = VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True,
                             room_admin=True if admin else None)
        token = (AccessToken(self.settings.api_key, self.settings.api_secret).with_identity(identity)
                 .with_grants(grants).with_ttl(self.ttl))
        if name:
            token = token.with_name(name)
        return token.to_jwt()
