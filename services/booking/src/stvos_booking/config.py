"""Settings of the booking service, read from the environment once."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.settings import env_str, sqlite_url
from stvos_shared.video import DEV_API_KEY, DEV_API_SECRET, DEV_URL, LiveKit


@dataclass(frozen=True)
class Settings:
    database_url: str
    auth_url: str = "inproc://auth"
    broker_url: str = ""
    log_level: str = "INFO"
    # LiveKit: participants' tokens are signed with this key (defaults: LiveKit's development server).
    livekit_url: str = DEV_URL
    livekit_api_key: str = DEV_API_KEY
    livekit_api_secret: str = DEV_API_SECRET

    def __repr__(self) -> str:  # the LiveKit secret never reaches a log line
        return f"Settings(database_url=..., livekit_url={self.livekit_url!r})"

    @property
    def video(self) -> LiveKit:
        return LiveKit(self.livekit_url, self.livekit_api_key, self.livekit_api_secret)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env_str("DATABASE_URL", sqlite_url("var", "booking")),
            auth_url=env_str("AUTH_URL", "http://127.0.0.1:8101"),
            broker_url=env_str("BROKER_URL", ""),
            log_level=env_str("LOG_LEVEL", "INFO"),
            livekit_url=env_str("LIVEKIT_URL", DEV_URL), livekit_api_key=env_str("LIVEKIT_API_KEY", DEV_API_KEY),
            livekit_api_secret=env_str("LIVEKIT_API_SECRET", DEV_API_SECRET),
        )

    @classmethod
    def embedded(cls, var_dir: str) -> Settings:
        """All peers in this process, the database a SQLite file under `var_dir`."""
        return cls(database_url=sqlite_url(var_dir, "booking"))
