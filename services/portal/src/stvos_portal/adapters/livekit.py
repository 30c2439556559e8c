"""LiveKit's room service, behind the VideoRooms port: livekit-api's RoomService.CreateRoom (idempotent:
asking for a room that exists answers that room), run on a short-lived event loop with a deadline."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Protocol

import aiohttp
from livekit import api
from stvos_shared.video import LiveKit

from ..domain.errors import VideoUnavailable

log = logging.getLogger("stvos.portal.livekit")


class VideoRooms(Protocol):
    def ensure(self, room: str, max_participants: int, empty_timeout: timedelta) -> None:
        """Make sure the room exists with these limits; VideoUnavailable (503) when it cannot."""


class RoomsOnJoin:
    """No room-service call: LiveKit creates a room when its first participant joins (the development server)."""

    def ensure(self, room: str, max_participants: int, empty_timeout: timedelta) -> None:
        log.debug("room %s is created by LiveKit when its first participant joins", room)


class LiveKitRooms:
    """CreateRoom on the LiveKit server at `livekit.url` (ws:// and wss:// are called as http:// and https://)."""

    def __init__(self, livekit: LiveKit, timeout: float) -> None:
        self._livekit = livekit
        self._timeout = timeout

    def ensure(self, room: str, max_participants: int, empty_timeout: timedelta) -> None:
        request = api.CreateRoomRequest(name=room, max_participants=max_participants,
                                        empty_timeout=int(empty_timeout.total_seconds()))
        try:
            asyncio.run(asyncio.wait_for(self._create(request), self._timeout))
        except (TimeoutError, api.ServerError, aiohttp.ClientError, OSError) as error:
            log.warning("LiveKit did not create room %s: %s", room, type(error).__name__)
            raise VideoUnavailable() from error

    async def _create(self, request: api.CreateRoomRequest) -> None:
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        async with api.LiveKitAPI(self._livekit.url, self._livekit.api_key, self._livekit.api_secret,
                                  timeout=timeout, failover=False) as livekit:
            await livekit.room.create_room(request)
