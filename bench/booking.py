"""Booking's hot reads in process: availability for 7 and 28 days with 200 bookings, a page of
/my-bookings/sessions of a user holding 5,000, and the SQL a booking and a join send.

Run with the project's venv: `.venv/bin/python bench/booking.py`. Server time is the booking app's own
(token verification, queries, slot generation, serialisation) through the Flask test client, on PostgreSQL
(migrated scratch databases on POSTGRES_URL's server, analysed as autovacuum would) or, without
POSTGRES_URL, on the embedded SQLite platform; CPU per request is this thread's (`time.thread_time`), the
fastest of several rounds (the machine is shared). Nothing is asserted here (tests assert the query counts);
the figures go to var/bench-booking.json.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, text
from stvos_auth import admin as auth_admin
from stvos_booking.adapters.orm import SessionBooking
from stvos_runner.platform import EmbeddedPlatform
from stvos_shared.events import Event
from stvos_shared.migrations import scratch_database, upgrade_head
from werkzeug.test import Client

NOW = datetime(2027, 3, 1, 6, tzinfo=UTC)
FIRST = date(2027, 3, 1)
TRAINER, SERVICE, CLASS, USER = 500, 600, 700, 800
OTHER_TRAINER, HEAVY_USER, HEAVY_BOOKINGS = 501, 900_000, 5_000
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


def seed_heavy_user(platform: EmbeddedPlatform, client_id: int) -> str:
    """A user holding HEAVY_BOOKINGS sessions (one in 7 cancelled) with another trainer, every 3 hours from 2026."""
    booking = platform.containers["booking"]
    tell(booking, client_id, "catalog.trainer.created", {
        "trainerId": OTHER_TRAINER, "name": "Other", "bio": None, "image": None, "specialisations": [],
        "timezone": "America/New_York", "active": True})
    first = datetime(2026, 1, 1, 8, 1, tzinfo=UTC)
    rows = []
    for number in range(HEAVY_BOOKINGS):
        start = first + timedelta(hours=3 * number)
        end = start + timedelta(minutes=45)
        rows.append({"client_id": client_id, "trainer_id": OTHER_TRAINER, "user_id": HEAVY_USER, "starts_at": start,
                     "ends_at": end, "blocked_until": end, "timezone": "America/New_York", "local_date": start.date(),
                     "status": "cancelled" if number % 7 == 0 else "confirmed", "price": Decimal("50.00"),
                     "currency": "GBP", "service_id": SERVICE, "service_name": "PT", "cancellation_cutoff_hours": 24,
                     "late_cancellation": False})
    with booking.db.engine.begin() as connection:
        connection.execute(SessionBooking.__table__.insert(), rows)
    if not booking.db.is_sqlite:
        with booking.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    signer = platform.containers["auth"].signing.signer()
    return signer.issue(str(HEAVY_USER), "access", 3600, {"cid": client_id, "role": "user", "tid": None})


def cpu_us(fn, calls: int = 100, rounds: int = 9) -> float:
    """This thread's CPU per call in µs, the fastest of `rounds` (the least disturbed by a shared machine)."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.thread_time() - started) / calls * 1e6)
    return best


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


def platform_on(stack: ExitStack, tmp: str) -> EmbeddedPlatform:
    """The embedded platform on SQLite, or with POSTGRES_URL on migrated scratch databases for auth and booking."""
    admin_url = os.environ.get("POSTGRES_URL")
    if not admin_url:
        return EmbeddedPlatform(str(Path(tmp) / "var"))
    urls = {}
    for service in ("auth", "booking"):
        urls[service] = stack.enter_context(scratch_database(admin_url, f"stvos_bench_{service}"))
        upgrade_head(service, urls[service])
    return EmbeddedPlatform(str(Path(tmp) / "var"), create_schema=False, database_urls=urls)


def main() -> int:
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        platform = platform_on(stack, tmp)
        booking = platform.containers["booking"]
        booking.clock.now = lambda: NOW
        try:
            client_id, user, _ = seed(platform)
            heavy = seed_heavy_user(platform, client_id)
            app, base = Client(platform.apps["booking"]), {"X-Client-Id": str(client_id)}
            headers = {**base, "Authorization": f"Bearer {user}"}
            heavy_headers = {**base, "Authorization": f"Bearer {heavy}"}
            reads = {"availability_7_days": (availability_path(7), headers),
                     "availability_28_days": (availability_path(28), headers),
                     "my_bookings_sessions_of_5000": ("/my-bookings/sessions", heavy_headers)}
            body = app.get(reads["availability_28_days"][0], headers=headers).get_json()["data"]
            results = {"database": booking.db.engine.dialect.name, "healthz_cpu_us": round(cpu_us(
                lambda: app.get("/healthz")))}
            for name, (path, sent) in reads.items():
                assert app.get(path, headers=sent).status_code == 200, path
                results[f"{name}_cpu_us"] = round(cpu_us(lambda path=path, sent=sent: app.get(path, headers=sent)))
                results[f"{name}_queries"] = count_queries(booking.db.engine, lambda path=path, sent=sent: app.get(
                    path, headers=sent))
            results["slots_in_28_days"] = len(body["slots"])
            slot = body["slots"][0]["id"]
            results["book_queries_with_key"] = count_queries(booking.db.engine, lambda: app.post(
                f"/trainers/{TRAINER}/book", headers={**headers, "Idempotency-Key": "bench"},
                json={"serviceId": SERVICE, "slotId": slot}))
            results["join_queries_with_key"] = count_queries(booking.db.engine, lambda: app.post(
                f"/trainers/classes/{CLASS}/join", headers={**headers, "Idempotency-Key": "bench-join"},
                json={"paymentAmount": 15}))
        finally:
            platform.stop()
    for name, value in results.items():
        print(f"{name:<40} {value}")
    Path("var").mkdir(exist_ok=True)
    Path("var/bench-booking.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


def availability_path(days: int) -> str:
    return f"/trainers/{TRAINER}/availability?startDate={FIRST}&endDate={FIRST + timedelta(days=days - 1)}" \
           f"&serviceId={SERVICE}"


if __name__ == "__main__":
    sys.exit(main())
