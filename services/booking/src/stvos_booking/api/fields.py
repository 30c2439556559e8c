"""Fields the booking API adds to the shared ones: money, local times of day, dates as text."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields, validate
from simplejson import RawJSON
from simplejson.encoder import encode_basestring_ascii

from ..domain.model import minutes_of

MAX_MONEY = Decimal("99999999.99")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)  # room for every range and end date computed from them
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d$"
END_OF_DAY = r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"


class Money(fields.Field):
    """A number with at most two decimals (75, 75.5, 75.00) in; a Decimal with two out, which the app's JSON
    provider writes as the number 75.00 (api/money_json.py)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).update({"type": "number", "format": "decimal", "example": 75.00})
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError("Must be a number.")
        try:
            amount = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError("Must be a number.") from error
        if not amount.is_finite() or not Decimal(0) <= amount <= MAX_MONEY:  # before quantize: 1e300 cannot be
            raise ValidationError(f"Must be between 0 and {MAX_MONEY}.")
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError("Must have at most two decimals.")
        return amount.quantize(Decimal("0.01"))


class TimeOfDay(fields.String):
    """"HH:MM" in the trainer's zone, loaded as minutes after midnight ("24:00" only where `end` is set)."""

    def __init__(self, end: bool = False, **kwargs: Any) -> None:
        pattern = END_OF_DAY if end else TIME_OF_DAY
        kwargs.setdefault("metadata", {}).update({"pattern": pattern, "example": "17:00" if end else "09:00"})
        super().__init__(**kwargs)
        message = "Must be a time HH:MM (24:00 ends the day)." if end else "Must be a time HH:MM."
        self._pattern = validate.Regexp(pattern, error=message)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        return minutes_of(self._pattern(super()._deserialize(value, attr, data, **kwargs)))


def _text(documented: dict[str, str], metadata: dict[str, str] | None = None, **kwargs: Any) -> fields.String:
    return fields.String(metadata={**documented, **(metadata or {})}, **kwargs)


def text_date(**kwargs: Any) -> fields.String:
    """A date as the views render it (YYYY-MM-DD)."""
    return _text({"format": "date", "example": "2026-03-05"}, **kwargs)


def text_instant(**kwargs: Any) -> fields.String:
    """An instant as the views render it (ISO-8601 with the trainer's offset)."""
    return _text({"format": "date-time", "example": "2026-03-05T10:00:00+00:00"}, **kwargs)


def hhmm(end: bool = False, **kwargs: Any) -> fields.String:
    """A time of day as the views render it; an end may be "24:00" (the end of the day), as bodies take it."""
    return _text({"pattern": END_OF_DAY if end else TIME_OF_DAY, "example": "10:00"}, **kwargs)


class FlatList(fields.List):
    """A list of flat items of `schema` (numbers, and strings the views make from numbers: dates, times, instants),
    given as named tuples whose fields are the schema's, written as JSON text at once (simplejson's RawJSON: the
    bytes the app's JSON provider writes for them, compact) with one format per item, without marshmallow's
    per-field dump or a dict per item: for lists hundreds long (availability's slots). Documented as a list of
    `schema`; its strings are written as they are, so each must document a format or a pattern that needs no
    escaping."""

    def __init__(self, schema: type, **kwargs: Any) -> None:
        super().__init__(fields.Nested(schema), **kwargs)
        declared = schema().fields
        strings = []
        for name, field in declared.items():
            plain = isinstance(field, fields.String) and (
                field.metadata.get("format") in ("date", "date-time") or "pattern" in field.metadata)
            if not (plain or isinstance(field, fields.Integer)):
                raise TypeError(f"{schema.__name__}.{name} is neither a number nor a plain string")
            strings.append(plain)
        self._names = tuple(field.attribute or name for name, field in declared.items())
        self._strings = tuple(strings)
        keys = [encode_basestring_ascii(field.data_key or name) for name, field in declared.items()]
        self._item = "{" + ",".join(f'{key}:"%s"' if string else f"{key}:%d"
                                    for key, string in zip(keys, strings, strict=True)) + "}"
        self._with_nulls = "{" + ",".join(f"{key}:%s" for key in keys) + "}"

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> RawJSON | None:
        if value is None:
            return None
        if value and tuple(value[0]._fields) != self._names:
            raise TypeError(f"items of {attr} must be named tuples of {self._names}")
        item = self._item
        return RawJSON("[" + ",".join([item % values if None not in values else self._nulls(values)
                                       for values in value]) + "]")

    def _nulls(self, values: tuple) -> str:
        return self._with_nulls % tuple("null" if part is None else f'"{part}"' if string else int(part)
                                        for part, string in zip(values, self._strings, strict=True))


def day(**kwargs: Any) -> fields.Date:
    """A date (YYYY-MM-DD) between 2000 and 2999."""
    return fields.Date(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY), **kwargs)
