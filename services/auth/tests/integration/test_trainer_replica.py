"""partner.trainer.* events through the auth consumer: the replica of who may register as a trainer."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from stvos_auth.adapters.orm import TrainerRecord
from stvos_shared.events import Event


def record(auth, trainer_id: int):
    with auth.db.unit_of_work(write=False) as session:
        return session.scalar(select(TrainerRecord).where(TrainerRecord.trainer_id == trainer_id))


def trainer_event(kind: str, client_id: int = 1, at: datetime | None = None, **data) -> Event:
    body = {"trainerId": 5, "name": "Coach Mike", "email": "Mike@Example.com", "bio": "", "image": None,
            "specialisations": ["strength"], "timezone": "Europe/London", "active": True, **data}
    return Event(type=f"partner.trainer.{kind}", data=body, client_id=client_id,
                 occurred_at=at or datetime.now(UTC))


def test_created_event_adds_a_record_with_a_normalised_email(auth, tenant):
    auth.consumer.handle(trainer_event("created", tenant.client_id))
    row = record(auth, 5)
    assert (row.client_id, row.email, row.name, row.specialisations, row.active) == (
        tenant.client_id, "mike@example.com", "Coach Mike", ["strength"], True)


def test_updated_and_deactivated_events_change_the_record(auth, tenant):
    auth.consumer.handle(trainer_event("created", tenant.client_id))
    auth.consumer.handle(trainer_event("updated", tenant.client_id, name="Coach Michael", specialisations=[]))
    assert (record(auth, 5).name, record(auth, 5).specialisations) == ("Coach Michael", [])
    auth.consumer.handle(trainer_event("deactivated", tenant.client_id))
    assert record(auth, 5).active is False


def test_an_older_event_arriving_late_does_not_overwrite_newer_news(auth, tenant):
    now = datetime.now(UTC)
    auth.consumer.handle(trainer_event("updated", tenant.client_id, at=now, name="New Name"))
    auth.consumer.handle(trainer_event("created", tenant.client_id, at=now - timedelta(minutes=1), name="Old Name"))
    assert record(auth, 5).name == "New Name"


def test_an_event_cannot_move_a_trainer_to_another_tenant(auth, new_tenant):
    one, two = new_tenant("One"), new_tenant("Two")
    auth.consumer.handle(trainer_event("created", one.client_id))
    auth.consumer.handle(trainer_event("updated", two.client_id, name="Hijacked"))
    row = record(auth, 5)
    assert (row.client_id, row.name) == (one.client_id, "Coach Mike")


def test_events_reach_the_replica_through_the_transport(platform, tenant):
    platform.transport.publish([trainer_event("created", tenant.client_id)])
    platform.flush()
    assert record(platform.containers["auth"], 5) is not None
