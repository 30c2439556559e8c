"""Reservations of counted uses: reserve, release, confirm and the TTL, on the tables of a made-up item;
and the client auth reserves with."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, jsonify
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from stvos_shared.db import Database, UtcDateTime, new_metadata
from stvos_shared.errors import ApiError, Conflict, NotFound, ServiceUnavailable
from stvos_shared.reservations import RESERVATION_TTL, Reservable, ReservationApi, ReservationColumns, Reservations
from stvos_shared.service_client import InProcApps, ServiceClient

NOW = datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = new_metadata()


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    max_uses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TicketUse(ReservationColumns, Base):
    __tablename__ = "ticket_uses"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)


class UseNotFound(NotFound):
    code = "REDEMPTION_NOT_FOUND"


class UseConfirmed(Conflict):
    code = "REDEMPTION_CONFIRMED"


TICKET_USES = Reservable(Ticket.uses, Ticket.max_uses, Ticket.expires_at, TicketUse.ticket_id, UseNotFound,
                         UseConfirmed)


@pytest.fixture
def db(tmp_path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'reservations.db'}", Base.metadata)
    database.create_all()
    with database.unit_of_work() as session:
        session.add_all([Ticket(id=1, max_uses=1), Ticket(id=2, expires_at=NOW)])
    return database


def step(db: Database, name: str, *args):
    with db.unit_of_work() as session:
        return getattr(Reservations(session, TICKET_USES), name)(*args)


def state(db: Database) -> tuple[int, list[tuple[str, int | None]]]:
    """(ticket 1's uses, each reservation's (status, user))."""
    with db.unit_of_work(write=False) as session:
        rows = session.execute(select(TicketUse.status, TicketUse.user_id).order_by(TicketUse.id)).all()
        return session.get(Ticket, 1).uses, [tuple(row) for row in rows]


def test_a_reserve_takes_a_use_while_one_is_left_and_the_item_has_not_expired(db):
    first = step(db, "reserve", 7, 1, " Jane@Example.com", NOW)
    assert step(db, "reserve", 7, 1, "joe@example.com", NOW) is None
    assert step(db, "reserve", 7, 2, "joe@example.com", NOW) is None  # expired at NOW
    assert state(db) == (1, [("reserved", None)])
    with db.unit_of_work(write=False) as session:
        assert (session.get(TicketUse, first).email, session.get(TicketUse, first).client_id) == ("jane@example.com", 7)


def test_a_release_gives_the_use_back_once_and_is_refused_for_another_tenant_or_once_confirmed(db):
    reserved = step(db, "reserve", 7, 1, "jane@example.com", NOW)
    with pytest.raises(UseNotFound):
        step(db, "release", 8, reserved, NOW)
    step(db, "release", 7, reserved, NOW)
    step(db, "release", 7, reserved, NOW)  # twice: a no-op
    assert state(db) == (0, [("released", None)])
    with pytest.raises(UseNotFound):
        step(db, "release", 7, 999, NOW)
    again = step(db, "reserve", 7, 1, "joe@example.com", NOW)
    assert step(db, "confirm", 7, again, 42, NOW) == 1
    with pytest.raises(UseConfirmed):
        step(db, "release", 7, again, NOW)


def test_a_confirm_counts_once_and_a_released_reservation_counts_again(db):
    reserved = step(db, "reserve", 7, 1, "jane@example.com", NOW)
    step(db, "release", 7, reserved, NOW)
    assert step(db, "confirm", 8, reserved, 42, NOW) is None  # another tenant's
    assert step(db, "confirm", 7, reserved, 42, NOW) == 1
    assert step(db, "confirm", 7, reserved, 42, NOW) is None  # a redelivery
    assert state(db) == (1, [("confirmed", 42)])


def test_a_reservation_abandoned_beyond_the_ttl_is_counted_free_then_released_by_the_next_reserve(db):
    step(db, "reserve", 7, 1, "ghost@example.com", datetime.now(UTC))  # created_at: now
    soon, later = (datetime.now(UTC) + RESERVATION_TTL + timedelta(hours=hours) for hours in (-1, 1))
    assert (step(db, "stale", 1, soon), step(db, "stale", 1, later)) == (0, 1)
    assert step(db, "reserve", 7, 1, "jane@example.com", soon) is None
    assert step(db, "reserve", 7, 1, "jane@example.com", later) is not None
    assert state(db) == (1, [("released", None), ("reserved", None)])


class Invalid(ApiError):
    status, code = 422, "TICKET_INVALID"


def peer(status: int, body: dict) -> InProcApps:
    app, apps = Flask("peer"), InProcApps()
    app.add_url_rule("/internal/tickets/redeem", "redeem", lambda: (jsonify(body), status), methods=["POST"])
    app.add_url_rule("/internal/tickets/redemptions/<int:rid>/release", "release",
                     lambda rid: (jsonify({}), 500), methods=["POST"])
    apps.register("peer", app)
    return apps


def api(apps: InProcApps, refused=None) -> ReservationApi[tuple[int, str]]:
    return ReservationApi(ServiceClient("inproc://peer", apps=apps), "/internal/tickets", "peer", "ticket", Invalid,
                          lambda answer, code: (int(answer["id"]), answer.get("code") or code), refused)


def test_the_client_answers_the_reservation_or_the_services_refusal_and_anything_else_is_503():
    assert api(peer(201, {"data": {"redemption": {"id": 5}}})).redeem(7, "T1", "j@x.io") == (5, "T1")
    refusal = {"error": {"code": "TICKET_INVALID", "message": "No.", "details": {"reason": "EXHAUSTED"}}}
    with pytest.raises(Invalid) as invalid:
        api(peer(422, refusal)).redeem(7, "T1", "j@x.io")
    assert (invalid.value.message, invalid.value.details) == ("No.", {"reason": "EXHAUSTED"})
    malformed = peer(422, {"error": {"code": "VALIDATION_FAILED"}})
    with pytest.raises(ServiceUnavailable):
        api(malformed).redeem(7, "T1", "j@x.io")
    with pytest.raises(Invalid):
        api(malformed, refused=lambda: Invalid(details={"reason": "NOT_FOUND"})).redeem(7, "T1", "j@x.io")
    with pytest.raises(ServiceUnavailable):
        api(peer(201, {"data": {"redemption": {"id": "x"}}})).redeem(7, "T1", "j@x.io")
    api(peer(201, {})).release(7, 5)  # best effort: a failing release is only logged
