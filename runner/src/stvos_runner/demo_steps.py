"""The demo trainer's business, seeded through the public APIs as people would: offerings (catalog), hours and a
booking (booking), and clients with a session, a class place and a programme (what the trainer portal shows)."""
from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from typing import Any

from .demo_target import DemoTarget, call

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _bearer(target: DemoTarget, key: dict[str, str], path: str, login: dict[str, str]) -> dict[str, str]:
    token = call(target, "POST", path, login, key, 200)["accessToken"]
    return {**key, "Authorization": f"Bearer {token}"}


def seed_offerings(target: DemoTarget, key: dict[str, str],
                   trainer_login: dict[str, str]) -> tuple[str, dict[str, dict]]:
    """Two services, a group class next week, two recorded classes, a programme and an invite code, made by the
    trainer through the portal; (the invite code, the first offering of each kind)."""
    trainer = _bearer(target, key, "/trainer-auth/login", trainer_login)
    next_week = (date.today() + timedelta(days=7)).isoformat()
    offerings = [
        ("services", {"name": "1-on-1 Training", "description": "Personalised training session", "duration": 60,
                      "price": 75, "currency": "GBP", "cancellationCutoffHours": 24}),
        ("services", {"name": "Online Coaching Call", "description": "30-minute video check-in", "duration": 30,
                      "price": 35, "currency": "GBP"}),
        ("group-classes", {"name": "Group HIIT", "description": "High-intensity intervals for every level",
                           "scheduledDate": next_week, "scheduledTime": "18:30", "duration": 45, "capacity": 12,
                           "price": 15, "currency": "GBP"}),
        ("recorded-classes", {"name": "HIIT Blast", "duration": 30, "intensity": "high"}),
        ("recorded-classes", {"name": "Morning Mobility", "duration": 20, "intensity": "low"}),
        ("programmes", {"name": "12-Week Transformation", "description": "Strength and conditioning, step by step",
                        "weeks": 12, "price": 299, "currency": "GBP"}),
    ]
    made: dict[str, dict] = {}
    for path, body in offerings:  # the catalog may still be waiting for the trainer's record: call retries
        answer = call(target, "POST", f"/trainer-portal/{path}", body, trainer, 201)
        made.setdefault(path, next(iter(answer.values())))
    invite = call(target, "POST", "/trainer-portal/invite-codes", {"maxUses": 100}, trainer, 201)["inviteCode"]
    return invite["code"], made


def seed_schedule(target: DemoTarget, key: dict[str, str], trainer_id: int, trainer_login: dict[str, str],
                  user: dict[str, str], offerings: dict[str, dict]) -> None:
    """The trainer's hours (every day, 07:00-21:00 in their zone) and the demo user's booking of the first free
    slot of the first service."""
    trainer = _bearer(target, key, "/trainer-auth/login", trainer_login)
    member = _bearer(target, key, "/auth/login", user)
    for day in WEEK:  # retried until booking knows the trainer
        call(target, "POST", "/trainer-portal/availability",
             {"dayOfWeek": day, "startTime": "07:00", "endTime": "21:00"}, trainer, 201)
    _book(target, trainer_id, offerings["services"]["id"], member, 0, "Demo booking")


def seed_clients(target: DemoTarget, key: dict[str, str], trainer_id: int, offerings: dict[str, dict]) -> None:
    """Two members who registered with the trainer as their coach; one books a session, takes a place in the group
    class and subscribes to the programme, so the trainer's clients and dashboard have something to show."""
    tokens = [call(target, "POST", "/auth/register", {
        "email": f"{name.split()[0].lower()}@demo.stvos.dev", "password": secrets.token_urlsafe(12), "name": name,
        "coachId": trainer_id}, key, 201)["accessToken"] for name in ("Sam Carter", "Alex Morgan")]
    member = {**key, "Authorization": f"Bearer {tokens[0]}"}
    _book(target, trainer_id, offerings["services"]["id"], member, 4, None)
    group_class, programme = offerings["group-classes"], offerings["programmes"]
    call(target, "POST", f"/trainers/classes/{group_class['id']}/join",
         {"paymentAmount": group_class["price"]}, member, 201)
    call(target, "POST", f"/trainers/{trainer_id}/programmes/subscribe", {
        "programmeId": programme["id"], "startDate": date.today().isoformat(),
        "paymentAmount": programme["price"]}, member, 201)


def _book(target: DemoTarget, trainer_id: int, service_id: int, member: dict[str, str], nth: int,
          notes: str | None) -> Any:
    """Book the nth free slot of the next two weeks (retried until booking knows the service)."""
    first, last = date.today(), date.today() + timedelta(days=13)
    path = f"/trainers/{trainer_id}/availability?startDate={first}&endDate={last}&serviceId={service_id}"
    deadline = time.monotonic() + target.patience
    while len(slots := call(target, "GET", path, None, member, 200)["slots"]) <= nth and time.monotonic() < deadline:
        time.sleep(0.25)  # over a broker, booking may not have the trainer's hours yet
    body = {"serviceId": service_id, "slotId": slots[nth]["id"], **({"notes": notes} if notes else {})}
    return call(target, "POST", f"/trainers/{trainer_id}/book", body, member, 201)
