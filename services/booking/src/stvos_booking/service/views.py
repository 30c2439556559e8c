"""What the API shows, built from rows: snake_case dicts of JSON-ready values (the schemas camelCase them).

Instants are ISO-8601 with the trainer's offset, dates YYYY-MM-DD and times HH:MM in the trainer's zone,
money a Decimal (stored replies keep it as text; the money field reads both).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from ..domain.model import DAYS, MINUTES_PER_DAY, hhmm, paused_days
from ..domain.slots import EPOCH


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(zone(timezone))


def when(starts_at: datetime, ends_at: datetime, timezone: str) -> dict[str, Any]:
    start, end = local(starts_at, timezone), local(ends_at, timezone)
    return {"scheduled_date": start.date().isoformat(), "scheduled_time": start.strftime("%H:%M"),
            "starts_at": start.isoformat(), "ends_at": end.isoformat(), "timezone": timezone}


def booking(row: Any, *, trainer_name: str | None = None, meeting: dict | None = None,
            client: dict | None = None) -> dict[str, Any]:
    """A session booking as every route shows it."""
    view = {"id": row.id, "trainer_id": row.trainer_id, "trainer_name": trainer_name, "user_id": row.user_id,
            "status": row.status, **when(row.starts_at, row.ends_at, row.timezone),
            "service": {"id": row.service_id, "name": row.service_name}, "price": row.price,
            "currency": row.currency, "notes": row.notes, "meeting_link": row.meeting_link,
            "late_cancellation": row.late_cancellation, "cancelled_by": row.cancelled_by, "meeting": meeting}
    if client is not None:
        view["client"] = client
    return view


def participation(row: Any, group_class: Any, *, trainer_name: str | None = None,
                  meeting: dict | None = None) -> dict[str, Any]:
    """A user's place in a group class, with the class."""
    return {"id": row.id, "class_id": group_class.id, "name": group_class.name, "trainer_id": group_class.trainer_id,
            "trainer_name": trainer_name, "status": row.status,
            **when(group_class.starts_at, group_class.ends_at, group_class.timezone),
            "payment_amount": row.payment_amount, "currency": row.currency,
            "late_cancellation": row.late_cancellation, "cancelled_by": row.cancelled_by,
            "joined_at": row.created_at.isoformat(), "meeting": meeting}


def end_date(row: Any, today: date) -> date:
    """The end date, moved on by the days a paused subscription has been paused so far."""
    return row.end_date + timedelta(days=paused_days(row.paused_on, today)) if row.status == "paused" else row.end_date


def subscription(row: Any, *, programme_name: str | None, trainer_name: str | None, today: date) -> dict[str, Any]:
    return {"id": row.id, "programme_id": row.programme_id, "programme": {"id": row.programme_id,
                                                                         "name": programme_name},
            "trainer_id": row.trainer_id, "trainer_name": trainer_name, "user_id": row.user_id,
            "status": row.status, "start_date": row.start_date.isoformat(),
            "end_date": end_date(row, today).isoformat(), "payment_amount": row.payment_amount,
            "currency": row.currency}


CLOCK = tuple(hhmm(minute) for minute in range(MINUTES_PER_DAY))  # HH:MM of each minute of a day


@lru_cache(maxsize=4096)
def day_text(number: int) -> str:
    """The date `number` days after EPOCH's, as YYYY-MM-DD."""
    return (EPOCH.date() + timedelta(days=number)).isoformat()


@lru_cache(maxsize=128)
def offset_text(minutes: int) -> str:
    """An offset east of UTC in minutes, as ISO-8601 writes it (+01:00)."""
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def window(row: Any) -> dict[str, Any]:
    return {"id": row.id, "day_of_week": DAYS[row.day_of_week], "start_time": hhmm(row.start_minute),
            "end_time": hhmm(row.end_minute)}


def override(row: Any) -> dict[str, Any]:
    timed = row.start_minute is not None
    return {"id": row.id, "date": row.date.isoformat(), "available": row.available,
            "start_time": hhmm(row.start_minute) if timed else None,
            "end_time": hhmm(row.end_minute) if timed else None}


def time_slot(row: Any, timezone: str) -> dict[str, Any]:
    start, end = local(row.starts_at, timezone), local(row.ends_at, timezone)
    return {"id": row.id, "date": start.date().isoformat(), "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"), "starts_at": start.isoformat(), "ends_at": end.isoformat(),
            "service_id": row.service_id}


def user(user_id: int, name: str | None, email: str | None) -> dict[str, Any]:
    return {"id": user_id, "name": name, "email": email}
