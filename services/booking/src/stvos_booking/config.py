"""Settings of the booking service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.settings import env_str, sqlite_url
from stvos_shared.video import DEV_KEY, DEV_SECRET, DEV_URL, VideoSettings


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"
    # LiveKit: participants' tokens are signed with this key (defaults: LiveKit's development server).
    livekit_url: str = DEV_URL
    livekit_api_key: str = DEV_KEY
    livekit_api_secret: str = DEV_SECRET

    @property
    def video(self) -> VideoSettings:
        return VideoSettings(self.livekit_url, self.livekit_api_key, self.livekit_api_secret)

    @classmethod
    def from_env(cls) -> Settings:
        video = VideoSettings.from_env()
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "booking")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            livekit_url=video.url, livekit_api_key=video.api_key, livekit_api_secret=video.api_secret,
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "booking"))
