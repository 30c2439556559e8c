"""A double of LiveKit's room service: checks each CreateRoom request as livekit-api sends it (Twirp path,
protobuf body, an Authorization token signed with the API secret that grants roomCreate) and answers a Room."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, request
from livekit import api
from livekit.protocol import models, room

API_KEY, API_SECRET = "test-key", "a-test-secret-long-enough-for-hs256"
CREATE_ROOM = "/twirp/livekit.RoomService/CreateRoom"


@dataclass
class CreateRoomCall:
    path: str
    content_type: str
    grants: api.VideoGrants
    issuer_key: str
    request: Any  # livekit.protocol.room.CreateRoomRequest


@dataclass
class LiveKitDouble:
    calls: list[CreateRoomCall] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0

    def app(self) -> Flask:
        app = Flask("livekit-double")
        app.add_url_rule("/twirp/livekit.RoomService/<method>", view_func=self._twirp, methods=["POST"])
        return app

    def _twirp(self, method: str) -> Response:
        time.sleep(self.delay)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        claims = api.TokenVerifier(API_KEY, API_SECRET).verify(token)  # raises: a 500 the test will see
        assert scheme == "Bearer" and method == "CreateRoom"
        create = room.CreateRoomRequest.FromString(request.get_data())
        self.calls.append(CreateRoomCall(request.path, request.content_type or "", claims.video, API_KEY, create))
        if self.status != 200:
            return Response('{"code": "unavailable", "msg": "down"}', self.status, mimetype="application/json")
        answer = models.Room(sid="RM_test", name=create.name, empty_timeout=create.empty_timeout,
                             max_participants=create.max_participants)
        return Response(answer.SerializeToString(), 200, mimetype="application/protobuf")
