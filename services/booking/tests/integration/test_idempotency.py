"""Idempotency-Key: a retried write answers with the first response and changes nothing more."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from stvos_booking.adapters.orm import IdempotencyKey, utcnow
from stvos_booking.adapters.unit_of_work import UnitOfWork
from stvos_booking.domain.commands import IdempotentRequest, StoredResponse, fingerprint
from stvos_shared.errors import ApiError

from services.booking.tests.support import TENANT, TRAINER, at, book, live_bookings, outcome, race, use_cases, user

BODY = {"serviceId": 1, "slotId": 42, "notes": "Focus on upper body"}


def request(key: str = "retry-me", body: dict = BODY, user_id: int = 1) -> IdempotentRequest:
    return IdempotentRequest(TENANT, user_id, key, fingerprint("POST", f"/trainers/{TRAINER}/book", body))


def book_once(db, idempotency: IdempotentRequest | None, user_id: int = 1, hour: int = 10) -> StoredResponse:
    """What the booking endpoint will do: the guarded write and its response, in one transaction."""
    def work(repos) -> StoredResponse:
        booking = repos.bookings.take(
            client_id=TENANT, trainer_id=TRAINER, user_id=user_id, starts_at=at(hour), ends_at=at(hour + 1),
            blocked_until=at(hour + 1), timezone="UTC", local_date=at(hour).date(), status="confirmed",
            price=Decimal("75.00"), currency="GBP", slot_id=42, cancellation_cutoff_hours=24, late_cancellation=False)
        return StoredResponse(201, {"booking": {"id": booking.id, "status": booking.status}})

    return UnitOfWork(db).run_idempotent(idempotency, work)


def test_a_retry_with_the_same_key_and_body_replays_the_first_response(db):
    first = book_once(db, request())
    again = book_once(db, request(body=dict(reversed(BODY.items()))))  # key order does not matter
    assert (first.replayed, again.replayed) == (False, True)
    assert again == first == StoredResponse(201, {"booking": {"id": first.body["booking"]["id"],
                                                              "status": "confirmed"}})
    assert live_bookings(db) == 1


def test_the_same_key_with_another_body_gets_idempotency_key_reused(db):
    book_once(db, request())
    with pytest.raises(ApiError) as refused:
        book_once(db, request(body={**BODY, "notes": "legs"}), hour=14)
    assert (refused.value.status, refused.value.code) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert live_bookings(db) == 1


def test_keys_belong_to_their_user(db):
    book_once(db, request(user_id=1))
    assert book_once(db, request(user_id=2), user_id=2, hour=14).replayed is False
    assert live_bookings(db) == 2


def test_a_failed_write_is_not_remembered_and_its_retry_runs_again(db):
    taken = book(db, at(10), at(11), user_id=3)
    assert outcome(lambda: book_once(db, request())) == "SLOT_TAKEN"
    use_cases(db).sessions.cancel(user(3), taken.id)
    assert book_once(db, request()).replayed is False


def test_twins_sent_at_once_with_one_key_book_once_and_both_get_the_first_response(db):
    responses: list[StoredResponse] = []
    outcomes = race(4, lambda _: responses.append(book_once(db, request())))
    assert outcomes == Counter({"ok": 4})
    assert len({response.body["booking"]["id"] for response in responses}) == 1
    assert sorted(response.replayed for response in responses) == [False, True, True, True]
    assert live_bookings(db) == 1


def age_keys(db, hours: int) -> None:
    """Date every stored key `hours` ago."""
    with db.unit_of_work(write=True) as session:
        session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=hours)))


def stored_keys(db) -> list[tuple[int, str]]:
    with db.unit_of_work(write=False) as session:
        return sorted(session.execute(select(IdempotencyKey.user_id, IdempotencyKey.key)).all())


def test_a_key_is_forgotten_after_a_day_and_a_retry_then_answers_like_a_new_request(db):
    book_once(db, request())
    age_keys(db, 25)
    assert outcome(lambda: book_once(db, request())) == "SLOT_TAKEN"
    assert live_bookings(db) == 1


def test_a_users_write_prunes_their_expired_keys_and_the_same_key_can_be_used_again(db):
    book_once(db, request("old", user_id=1))
    book_once(db, request("other-user", user_id=2), user_id=2, hour=12)
    age_keys(db, 25)
    assert book_once(db, request("old", body={**BODY, "slotId": 43}), hour=14).replayed is False
    assert stored_keys(db) == [(1, "old"), (2, "other-user")]
    assert book_once(db, request("new", body={**BODY, "slotId": 44}), hour=16).replayed is False
    assert stored_keys(db) == [(1, "new"), (1, "old"), (2, "other-user")]
