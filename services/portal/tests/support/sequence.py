"""A known month of one trainer (tenant 1, trainer 5, Asia/Tokyo: UTC+9, no daylight saving), seen on
Wednesday 2026-03-04 at 12:00 UTC (21:00 in Tokyo). Today there is 2026-03-04, this week Monday 03-02 to
Sunday 03-08, this month March. Each line says what the event should count for.

Users: Alice 11 (registered with coach 5), Bob 12, Carol 13, Dave 14, Erin 15 (registered with coach 5 in
January, never books). Another trainer (6) of the tenant and trainer 5 of another tenant have a booking each.
"""
from __future__ import annotations

from stvos_shared.events import Event

from .events import OTHER_TENANT, OTHER_TRAINER, TRAINER, participation, registered, session, subscription, trainer, utc

NOW = utc(2026, 3, 4, 12, 0)
TOKYO = "Asia/Tokyo"
ALICE, BOB, CAROL, DAVE, ERIN = 11, 12, 13, 14, 15
C50, C51 = 50, 51  # Group HIIT today at 18:00 Tokyo; last month's class


def known_sequence() -> list[Event]:
    """The events in the order they happened."""
    c50, c51 = utc(2026, 3, 4, 9, 0), utc(2026, 2, 26, 9, 0)
    events = [
        trainer(TRAINER, at=utc(2025, 12, 1), timezone=TOKYO, verb="created"),
        registered(ERIN, "Erin", "erin@example.com", at=utc(2026, 1, 2), coach_id=TRAINER),  # client, never books
        registered(DAVE, "Dave", "dave@example.com", at=utc(2026, 1, 5)),
        registered(CAROL, "Carol", "carol@example.com", at=utc(2026, 1, 10)),
        registered(BOB, "Bob", "bob@example.com", at=utc(2026, 2, 1)),
        participation(504, C51, BOB, c51, at=utc(2026, 2, 10)),  # last month: a class taught
        session(105, CAROL, utc(2026, 2, 27, 1), "confirmed", price="60.00", at=utc(2026, 2, 12)),
        subscription(603, BOB, "active", at=utc(2026, 2, 15)),  # last month's revenue
        session(101, BOB, utc(2026, 3, 4, 3), "confirmed", at=utc(2026, 2, 20)),  # today 12:00 Tokyo
        session(104, CAROL, utc(2026, 3, 6, 1), "confirmed", at=utc(2026, 2, 25)),  # this week, cancelled below
        session(107, CAROL, utc(2026, 3, 1, 10), "confirmed", at=utc(2026, 2, 26)),  # Sunday 19:00: last week
        session(106, BOB, utc(2026, 3, 20, 1), "confirmed", price="80.00", at=utc(2026, 2, 27)),  # this month
        session(105, CAROL, utc(2026, 2, 27, 1), "completed", price="60.00", at=utc(2026, 2, 27, 3)),
        subscription(603, BOB, "paused", at=utc(2026, 3, 1)),
        session(107, CAROL, utc(2026, 3, 1, 10), "no_show", at=utc(2026, 3, 1, 12)),  # earns nothing
        participation(502, C50, CAROL, c50, at=utc(2026, 3, 2), participants=1),
        session(104, CAROL, utc(2026, 3, 6, 1), "cancelled", at=utc(2026, 3, 2, 8)),  # a cancellation this week
        subscription(601, CAROL, "active", at=utc(2026, 3, 3, 2)),  # 11:00 Tokyo on Tuesday: this week
        registered(ALICE, "Alice", "alice@example.com", at=utc(2026, 3, 3, 10), coach_id=TRAINER),  # new client
        session(102, ALICE, utc(2026, 3, 4, 14), "confirmed", at=utc(2026, 3, 3, 11)),  # today 23:00 Tokyo
        participation(501, C50, ALICE, c50, at=utc(2026, 3, 3, 12), participants=2, seat_version=2),
        participation(502, C50, CAROL, c50, "cancelled", at=utc(2026, 3, 3, 13), participants=1, seat_version=3),
        session(103, BOB, utc(2026, 3, 4, 16), "confirmed", at=utc(2026, 3, 3, 14)),  # Thursday 01:00 Tokyo
        session(108, ALICE, utc(2026, 3, 5, 3), "confirmed", price="50.00", currency="USD", at=utc(2026, 3, 3, 15)),
        subscription(602, DAVE, "active", payment="100.00", at=utc(2026, 3, 4, 1)),  # Dave: a new client...
        subscription(602, DAVE, "cancelled", payment="100.00", at=utc(2026, 3, 4, 2)),  # ...who earns nothing
        session(101, BOB, utc(2026, 3, 4, 3), "completed", at=utc(2026, 3, 4, 5)),
        # Not trainer 5's of tenant 1: another trainer, and trainer 5 of another tenant.
        session(201, DAVE, utc(2026, 3, 4, 4), "confirmed", trainer_id=OTHER_TRAINER, at=utc(2026, 3, 1)),
        session(301, ALICE, utc(2026, 3, 4, 5), "confirmed", client_id=OTHER_TENANT, at=utc(2026, 3, 1)),
    ]
    return events


GBP_TODAY = 75.0 + 15.0 + 75.0  # sessions 101 and 102, Alice's place in class 50
GBP_WEEK = GBP_TODAY + 75.0 + 299.0  # + session 103 (Thursday in Tokyo) + Carol's subscription 601
GBP_MONTH = GBP_WEEK + 80.0  # + session 106 on 03-20
USD_WEEK = USD_MONTH = 50.0  # session 108
