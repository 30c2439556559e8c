"""JSON as every service writes it: a Decimal (money) is written as a number with its own digits (75.00),
where Flask's own provider would write a string ("75.00") and a float would lose the second decimal (75.0)."""
from __future__ import annotations

from typing import Any

import simplejson
from flask.json.provider import DefaultJSONProvider


class MoneyJSONProvider(DefaultJSONProvider):
    """A namedtuple is written as an array, as Flask's own provider writes it: simplejson's `namedtuple_as_object`
    looks up `_asdict` on every list and dict, half the encoding's time (responses are schemas' dicts and lists)."""

    sort_keys = False

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return simplejson.dumps(obj, use_decimal=True, namedtuple_as_object=False, **kwargs)
