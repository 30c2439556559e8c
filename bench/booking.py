"""Booking's hot paths: availability for 28 days with 200 bookings, and the SQL a booking and a join send.

Run with the project's venv: `.venv/bin/python bench/booking.py`. Server time is the booking app's own
(token verification, three queries, slot generation, serialisation), measured on the embedded SQLite
platform; nothing is asserted here (tests assert the query counts), the figures go to var/bench-booking.json.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event
from stvos_auth import admin as auth_admin
from stvos_runner.platform import EmbeddedPlatform
from stvos_shared.events import Event
from werkzeug.test import Client

NOW = datetime(2027, 3, 1, 6, tzinfo=UTC)
FIRST = date(2027, 3, 1)
TRAINER, SERVICE, CLASS, USER = 500, 600, 700, 800
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def tell(booking, client_id: int, event_type: str, data: dict) -> None:
    booking.consumer.handle(Event(type=event_type, data=data, client_id=client_id))


def seed(platform: EmbeddedPlatform) -> tuple[int, str, str]:
    """A trainer in London open 07:00-21:00 every day, a 45-minute service, 200 bookings over 28 days."""
    auth, booking = platform.containers["auth"], platform.containers["booking"]
    client_id = auth_admin.create_client(auth, name="Bench Studio")["clientId"]
    tell(booking, client_id, "catalog.trainer.created", {
        "trainerId": TRAINER, "name": "Coach", "bio": None, "image": None, "specialisations": [],
        "timezone": "Europe/London", "active": True})
    tell(booking, client_id, "catalog.service.created", {
        "serviceId": SERVICE, "trainerId": TRAINER, "name": "PT", "description": None, "duration": 45,
        "price": "50.00", "currency": "GBP", "cancellationCutoffHours": None, "active": True})
    tell(booking, client_id, "catalog.group_class.created", {
        "classId": CLASS, "trainerId": TRAINER, "name": "HIIT", "description": None,
        "startsAt": "2027-03-02T18:00:00+00:00", "endsAt": "2027-03-02T19:00:00+00:00", "timezone": "Europe/London",
        "scheduledDate": "2027-03-02", "scheduledTime": "18:00", "duration": 60, "capacity": 1000, "price": "15.00",
        "currency": "GBP", "cancellationCutoffHours": None, "active": True})
    signer = auth.signing.signer()
    trainer = signer.issue("9000", "access", 3600, {"cid": client_id, "role": "trainer", "tid": TRAINER})
    user = signer.issue(str(USER), "access", 3600, {"cid": client_id, "role": "user", "tid": None})
    app = Client(platform.apps["booking"])
    headers = {"X-Client-Id": str(client_id), "Authorization": f"Bearer {trainer}"}
    for day in DAYS:
        app.post("/trainer-portal/availability", headers=headers,
                 json={"dayOfWeek": day, "startTime": "07:00", "endTime": "21:00"})
    app.put("/trainer-portal/booking-policy", headers=headers, json={"minNoticeHours": 0, "slotStepMinutes": 15})
    with booking.uow() as repos:
        for number in range(200):  # about 7 a day, an hour and a half apart
            day, slot = divmod(number, 8)
            if slot == 7:
                continue
            start = datetime(2027, 3, 1, 7, tzinfo=UTC) + timedelta(days=day, minutes=slot * 90)
            end = start + timedelta(minutes=45)
            repos.bookings.take(client_id=client_id, trainer_id=TRAINER, user_id=USER + number, starts_at=start,
                                ends_at=end, blocked_until=end, timezone="Europe/London", local_date=start.date(),
                                status="confirmed", price=Decimal("50.00"), currency="GBP", service_id=SERVICE,
                                cancellation_cutoff_hours=24, late_cancellation=False)
    return client_id, user, trainer


def per_call_ms(fn, calls: int = 200, rounds: int = 5, clock=time.perf_counter) -> float:
    """Median over `rounds` of the mean time per call; `time.process_time` counts this process's CPU only
    (what the request costs, without the waits of a machine shared with other work)."""
    fn()
    means = []
    for _ in range(rounds):
        started = clock()
        for _ in range(calls):
            fn()
        means.append((clock() - started) / calls * 1e3)
    return statistics.median(means)


def count_queries(engine, fn) -> int:
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if statement.split(None, 1)[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        platform = EmbeddedPlatform(str(Path(tmp) / "var"))
        booking = platform.containers["booking"]
        booking.clock.now = lambda: NOW
        try:
            client_id, user, _ = seed(platform)
            app, base = Client(platform.apps["booking"]), {"X-Client-Id": str(client_id)}
            headers = {**base, "Authorization": f"Bearer {user}"}
            path = f"/trainers/{TRAINER}/availability?startDate={FIRST}&endDate={FIRST + timedelta(days=27)}" \
                   f"&serviceId={SERVICE}"
            body = app.get(path, headers=headers).get_json()["data"]
            healthz = per_call_ms(lambda: app.get("/healthz"), 500)
            availability = per_call_ms(lambda: app.get(path, headers=headers))
            availability_cpu = per_call_ms(lambda: app.get(path, headers=headers), clock=time.process_time)
            queries = count_queries(booking.db.engine, lambda: app.get(path, headers=headers))
            slot = body["slots"][0]["id"]
            book = count_queries(booking.db.engine, lambda: app.post(
                f"/trainers/{TRAINER}/book", headers={**headers, "Idempotency-Key": "bench"},
                json={"serviceId": SERVICE, "slotId": slot}))
            join = count_queries(booking.db.engine, lambda: app.post(
                f"/trainers/classes/{CLASS}/join", headers={**headers, "Idempotency-Key": "bench-join"},
                json={"paymentAmount": 15}))
        finally:
            platform.stop()
    results = {"availability_28_days_200_bookings_ms": round(availability, 2),
               "availability_cpu_ms": round(availability_cpu, 2), "slots_returned": len(body["slots"]),
               "availability_queries": queries, "healthz_ms": round(healthz, 3), "book_queries_with_key": book,
               "join_queries_with_key": join}
    for name, value in results.items():
        print(f"{name:<40} {value}")
    Path("var").mkdir(exist_ok=True)
    Path("var/bench-booking.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
