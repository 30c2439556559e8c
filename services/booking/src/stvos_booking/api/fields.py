"""Fields the booking API adds to the shared ones: money, local times of day, dates as text."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields, validate
from simplejson import RawJSON
from simplejson.encoder import encode_basestring_ascii

from ..domain.model import MINUTES_PER_DAY, minutes_of
from ..domain.slots import Run
from ..service.views import CLOCK, day_text, offset_text

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


class SlotList(fields.List):
    """Availability's slots, given as the domain's runs and written as JSON text at once (simplejson's RawJSON: the
    bytes the app's JSON provider writes for them, compact): a run's dates, offsets and service are written once
    and each slot with one f-string, without a tuple or a dict per slot (lists hundreds long). Documented as a
    list of `schema`, whose fields are a slot's."""

    FIELDS = ("id", "date", "time", "end_time", "starts_at", "ends_at", "service_id")

    def __init__(self, schema: type, **kwargs: Any) -> None:
        super().__init__(fields.Nested(schema), **kwargs)
        declared = schema().fields
        if tuple(field.attribute or name for name, field in declared.items()) != self.FIELDS:
            raise TypeError(f"{schema.__name__}'s fields are not a slot's {self.FIELDS}")
        self._keys = [encode_basestring_ascii(field.data_key or name) for name, field in declared.items()]

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> RawJSON | None:
        if value is None:
            return None
        items: list[str] = []
        for run in value:
            items += self._run(run)
        return RawJSON("[" + ",".join(items) + "]")

    def _run(self, run: Run) -> list[str]:
        """A run's slots: those that start on its first one's day and end on that day or the next together, with
        their minutes of the day counted from the day's start (`base`); any other one on its own."""
        starts, offset, end_offset = run.starts, run.offset, run.end_offset
        day = (starts[0] + offset) // MINUTES_PER_DAY
        base = day * MINUTES_PER_DAY - offset
        end_base = base - run.length - end_offset + offset  # a start's end minute of the start's day: start - end_base
        if end_base > base:  # the clock went back by more than the length: an end may fall on the day before
            return [self._single(run._replace(starts=[start])) for start in starts]
        today = bisect_left(starts, end_base + MINUTES_PER_DAY)
        stop = bisect_left(starts, min(base, end_base + MINUTES_PER_DAY) + MINUTES_PER_DAY, today)
        items = self._items(starts[:today], run, base, end_base, day, day) if today else []
        if stop > today:
            items += self._items(starts[today:stop], run, base, end_base + MINUTES_PER_DAY, day, day + 1)
        return items + [self._single(run._replace(starts=[start])) for start in starts[stop:]]

    def _single(self, run: Run) -> str:
        """A run of one slot, wherever its start and end fall."""
        start = run.starts[0]
        day, end_day = (start + run.offset) // MINUTES_PER_DAY, (start + run.length + run.end_offset) // MINUTES_PER_DAY
        base = day * MINUTES_PER_DAY - run.offset
        return self._items(run.starts, run, base, end_day * MINUTES_PER_DAY - run.length - run.end_offset, day,
                           end_day)[0]

    def _items(self, starts: Sequence[int], run: Run, base: int, end_base: int, day: int, end_day: int,
               ) -> list[str]:
        """Slots that start `base` and end `end_base` minutes after the starts of `day` and `end_day`."""
        key_id, key_date, key_time, key_end_time, key_starts_at, key_ends_at, key_service = self._keys
        date, service = day_text(day), "null" if run.service_id is None else int(run.service_id)
        opening, after_id = "{" + key_id + ":", f',{key_date}:"{date}",{key_time}:"'
        after_time, after_end_time = f'",{key_end_time}:"', f'",{key_starts_at}:"{date}T'
        after_start = f':00{offset_text(run.offset)}",{key_ends_at}:"{day_text(end_day)}T'
        closing = f':00{offset_text(run.end_offset)}",{key_service}:{service}}}'
        ids, clock = run.ids, CLOCK
        return [f"{opening}{ids + start}{after_id}{(time := clock[start - base])}{after_time}"
                f"{(end_time := clock[start - end_base])}{after_end_time}{time}{after_start}{end_time}{closing}"
                for start in starts]


def day(**kwargs: Any) -> fields.Date:
    """A date (YYYY-MM-DD) between 2000 and 2999."""
    return fields.Date(validate=validate.Range(min=FIRST_DAY, max=LAST_DAY), **kwargs)
