"""Events the portal service publishes. Never a token: participants' tokens are minted when read."""
from __future__ import annotations

from marshmallow import fields, validate

from ..schema import Schema
from .base import contract, id_field, optional_id, optional_text, text


@contract("portal.session.launched")
class SessionLaunched(Schema):
    """The trainer opened the video room of a booking (kind "session") or of a group class (kind "class")."""

    kind = fields.String(required=True, validate=validate.OneOf(["session", "class"]))
    booking_id = optional_id()
    class_id = optional_id()
    trainer_id = id_field()
    room = text()
    url = text()  # the LiveKit server participants connect to
    meeting_link = optional_text()  # the meeting page for people
