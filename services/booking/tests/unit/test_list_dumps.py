"""The booking lists members and trainers read most are dumped by FastDump's plan, and exactly as marshmallow does."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from stvos_booking.api import responses
from stvos_shared.fast_dump import plan
from stvos_shared.schema import Schema

STARTS = datetime(2027, 3, 1, 9, tzinfo=UTC)
WHEN = {"scheduled_date": date(2027, 3, 1), "scheduled_time": "09:00", "starts_at": STARTS,
        "ends_at": datetime(2027, 3, 1, 10, tzinfo=UTC), "timezone": "Europe/London"}
BOOKING = {"id": 1, "trainer_id": 5, "trainer_name": "Coach Mike", "user_id": 9, "status": "confirmed", **WHEN,
           "service": {"id": 3, "name": "1-on-1"}, "price": Decimal("75.00"), "currency": "GBP", "notes": None,
           "meeting_link": None, "late_cancellation": False, "cancelled_by": None, "meeting": None,
           "client": {"id": 9, "name": "Sam", "email": "sam@example.com"}}
PAGINATION = {"page": 1, "limit": 20, "total": 2, "total_pages": 1}
LISTS = {responses.SessionListResponse: {"sessions": [BOOKING, {**BOOKING, "id": 2, "client": None}],
                                         "pagination": PAGINATION},
         responses.BookingListResponse: {"bookings": [BOOKING], "pagination": PAGINATION}}


@pytest.mark.parametrize("schema", [responses.SessionListResponse, responses.BookingListResponse,
                                    responses.GroupClassListResponse, responses.ProgrammeListResponse])
def test_the_list_takes_the_planned_path(schema):
    assert plan(schema()) is not None


@pytest.mark.parametrize("schema", list(LISTS))
def test_the_list_dumps_as_marshmallow_would(schema):
    plain = type("Plain", (Schema,), dict(schema._declared_fields))
    assert json.dumps(schema().dump(LISTS[schema]), default=str) == json.dumps(plain().dump(LISTS[schema]), default=str)
