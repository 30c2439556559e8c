"""What the use cases answer, built from repository rows: dates and times in the trainer's zone, money."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.model import money_totals, zone


def local(moment: datetime, timezone: str | None) -> dict[str, str]:
    """{"date": "YYYY-MM-DD", "time": "HH:MM"} of `moment` in the trainer's zone."""
    here = moment.astimezone(zone(timezone))
    return {"date": here.date().isoformat(), "time": here.strftime("%H:%M")}


def client_of(row: Any) -> dict[str, Any] | None:
    """The client of a session row ({"userId", "name"}), or None for a class."""
    return None if row.user_id is None else {"user_id": row.user_id, "name": row.user_name}


def revenue(rows: list[Any]) -> dict[str, list[dict[str, object]]]:
    """{"today", "this_week", "this_month"}: per-currency totals of (currency, today, week, month) rows."""
    return {
        "today": money_totals((row.currency, row.today) for row in rows),
        "this_week": money_totals((row.currency, row.week) for row in rows),
        "this_month": money_totals((row.currency, row.month) for row in rows),
    }
