"""Settings of the portal service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared import video
from stvos_shared.settings import env_str, sqlite_url

# The meeting page of LiveKit's open-source "meet" app run locally (it serves /rooms/<room>).
DEV_MEETING_BASE_URL = "http://localhost:3000/rooms/"


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    catalog_url: str = "inproc://catalog"
    booking_url: str = "inproc://booking"
    broker_url: str = ""
    log_level: str = "INFO"
    # Calls to catalog and booking: a connect and a read timeout that keep a 503 under 2 s, no retry.
    peer_connect_timeout: float = 0.5
    peer_read_timeout: float = 1.2
    # LiveKit: with no URL configured, LiveKit's development server and credentials, and no room-service
    # call (LiveKit creates a room when its first participant joins).
    livekit_url: str = ""
    livekit_api_key: str = video.DEV_API_KEY
    livekit_api_secret: str = video.DEV_API_SECRET
    livekit_timeout: float = 1.5
    meeting_base_url: str = DEV_MEETING_BASE_URL

    def __repr__(self) -> str:  # the LiveKit secret never reaches a log line
        return f"Settings(database_url=..., livekit_url={self.livekit_url!r})"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "portal")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            catalog_url=env_str("CATALOG_URL", "http://127.0.0.1:8102"),
            booking_url=env_str("BOOKING_URL", "http://127.0.0.1:8103"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            livekit_url=env_str("LIVEKIT_URL", ""),
            livekit_api_key=env_str("LIVEKIT_API_KEY", video.DEV_API_KEY),
            livekit_api_secret=env_str("LIVEKIT_API_SECRET", video.DEV_API_SECRET),
            meeting_base_url=env_str("MEETING_BASE_URL", DEV_MEETING_BASE_URL),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "portal"))
