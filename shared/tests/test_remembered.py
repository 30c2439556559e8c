"""Blueprint.response(..., remembered=True): a Remembered answer is dumped and encoded by its first response only;
later requests get the same bytes, and anything else takes the usual path."""
from __future__ import annotations

from marshmallow import fields, post_dump
from stvos_shared.api import Blueprint, Schema
from stvos_shared.app_factory import create_service_app
from stvos_shared.errors import NotFound
from stvos_shared.remembered import Remembered

DUMPS: list[str] = []


class Greeting(Schema):
    display_text = fields.String()

    @post_dump
    def counted(self, data, **_kwargs):
        DUMPS.append(data["displayText"])
        return data


blp = Blueprint("greetings", __name__, url_prefix="/greetings")
HELD = {"kept": Remembered(display_text="Hello"), "fresh": None}


@blp.route("/<name>")
@blp.response(200, Greeting, remembered=True)
def greeting(name):
    """A greeting: the held one, a new one each time, or 404."""
    if name == "fresh":
        return {"display_text": "Hi"}
    if name not in HELD:
        raise NotFound("No such greeting.")
    return HELD[name]


def client():
    return create_service_app("test", title="Remembered", blueprints=[blp]).test_client()


def test_a_remembered_answer_is_dumped_once_and_later_requests_get_its_very_bytes():
    DUMPS.clear()
    web = client()
    first, second = web.get("/greetings/kept"), web.get("/greetings/kept")
    assert first.status_code == second.status_code == 200
    assert first.get_json() == {"success": True, "data": {"displayText": "Hello"}}
    assert second.get_data() == first.get_data() == HELD["kept"].body
    assert second.mimetype == "application/json" and second.headers["X-Request-ID"]
    assert DUMPS == ["Hello"]


def test_other_answers_and_refusals_take_the_usual_path_every_time():
    DUMPS.clear()
    web = client()
    assert [web.get("/greetings/fresh").get_json()["data"] for _ in range(2)] == [{"displayText": "Hi"}] * 2
    assert DUMPS == ["Hi", "Hi"]
    missing = web.get("/greetings/nobody")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "NOT_FOUND"
