"""Group classes: joining (a seat taken by a conditional update), leaving, the roster, a class cancelled."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from stvos_shared.principal import Principal

from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from ..domain import events
from ..domain.commands import IdempotentRequest, JoinClass, StoredResponse
from ..domain.errors import (
    AlreadyCancelled,
    AlreadyJoined,
    ClassCancelled,
    ClassFull,
    ClassNotFound,
    ClassStarted,
    ParticipationNotFound,
)
from ..domain.model import Policy, cutoff_hours, is_late, require_payment
from . import views
from .clock import Clock


def participation_event(kind: type[events._Participation], participation: Any, group_class: Any,
                        seats: tuple[int, int, int]) -> events._Participation:
    participants, capacity, seat_version = seats
    return kind(participation_id=participation.id, class_id=group_class.id, trainer_id=group_class.trainer_id,
                user_id=participation.user_id, class_name=group_class.name, starts_at=group_class.starts_at,
                ends_at=group_class.ends_at, status=participation.status,
                payment_amount=participation.payment_amount, currency=participation.currency,
                late_cancellation=participation.late_cancellation, cancelled_by=participation.cancelled_by,
                participants=participants, capacity=capacity, seat_version=seat_version)


def cancel_every_place(repos: Repositories, group_class: Any, now: datetime) -> None:
    """The trainer cancelled the class: every joined place is cancelled (not late) and told, one event each."""
    joined = repos.classes.all_joined(group_class.id)
    if not joined:
        return
    for participation in joined:
        participation.status, participation.cancelled_by, participation.cancelled_at = "cancelled", "trainer", now
        participation.late_cancellation = False
    repos.session.flush()
    participants, capacity, version = repos.classes.release_all(group_class.id, len(joined))
    for step, participation in enumerate(joined, start=1):
        seats = (participants + len(joined) - step, capacity, version - len(joined) + step)
        repos.outbox.add(participation_event(events.ParticipationCancelled, participation, group_class, seats),
                         group_class.client_id)


class Classes:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    def join(self, command: JoinClass, idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """Take a place: the payment must equal the price; 409 CLASS_FULL / ALREADY_JOINED / past or cancelled."""
        return self.uow.run_idempotent(idempotency, lambda repos: self._join(repos, command))

    def _join(self, repos: Repositories, command: JoinClass) -> StoredResponse:
        client_id, user_id = command.principal.client_id, command.principal.user_id
        row = repos.classes.for_joining(client_id, command.class_id, user_id)
        if row is None:
            raise ClassNotFound()
        group_class = row.GroupClass
        if not group_class.active:
            raise ClassCancelled()
        if group_class.starts_at <= self.clock.now():
            raise ClassStarted()
        require_payment(command.payment_amount, group_class.price)
        if row.joined_id is not None:
            raise AlreadyJoined()
        if group_class.participants >= group_class.capacity:  # full as read: no UPDATE to try (the UPDATE decides)
            raise ClassFull()
        seats = repos.classes.take_seat(client_id, group_class.id)
        if seats is None:
            raise ClassFull()
        policy = Policy(cancellation_cutoff_hours=row.policy_cutoff) if row.policy_cutoff is not None else Policy()
        participation = repos.classes.add_participation(
            client_id=client_id, class_id=group_class.id, user_id=user_id, status="joined",
            payment_amount=command.payment_amount, currency=group_class.currency, late_cancellation=False,
            cancellation_cutoff_hours=cutoff_hours(group_class.cancellation_cutoff_hours, policy),
            created_at=self.clock.now())
        repos.outbox.add(participation_event(events.ParticipationJoined, participation, group_class, tuple(seats)),
                         client_id)
        return StoredResponse(201, {"participation": views.participation(participation, group_class)})

    def leave(self, principal: Principal, class_id: int,
              idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """The user gives their place back: late inside the cut-off; twice is 409 ALREADY_CANCELLED."""
        return self.uow.run_idempotent(idempotency, lambda repos: self._leave(repos, principal, class_id))

    def _leave(self, repos: Repositories, principal: Principal, class_id: int) -> StoredResponse:
        client_id, user_id, now = principal.client_id, principal.user_id, self.clock.now()
        group_class = repos.classes.get(client_id, class_id, lock=True)  # the class row first, as join does
        if group_class is None:
            raise ClassNotFound()
        participation = repos.classes.joined(client_id, class_id, user_id)
        if participation is None:
            raise AlreadyCancelled() if repos.classes.ever_joined(client_id, class_id, user_id) else \
                ParticipationNotFound()
        if group_class.starts_at <= now:
            raise ClassStarted()
        participation.status, participation.cancelled_by, participation.cancelled_at = "cancelled", "user", now
        participation.late_cancellation = is_late(group_class.starts_at, participation.cancellation_cutoff_hours, now)
        repos.session.flush()
        seats = tuple(repos.classes.give_seat_back(class_id))
        repos.outbox.add(participation_event(events.ParticipationCancelled, participation, group_class, seats),
                         client_id)
        return StoredResponse(200, {"participation": views.participation(participation, group_class)})

    def roster(self, principal: Principal, class_id: int) -> dict[str, Any]:
        """The trainer's class with its joined participants and their names."""
        with self.uow(write=False) as repos:
            group_class = repos.classes.get(principal.client_id, class_id, trainer_id=principal.trainer_id)
            if group_class is None:
                raise ClassNotFound()
            rows = repos.classes.roster(class_id)
        return {"group_class": {"id": group_class.id, "name": group_class.name, "capacity": group_class.capacity,
                                "participants": group_class.participants, "spots_left":
                                    max(0, group_class.capacity - group_class.participants),
                                "active": group_class.active,
                                **views.when(group_class.starts_at, group_class.ends_at, group_class.timezone)},
                "participants": [{"participation_id": row.ClassParticipation.id,
                                  "user": views.user(row.ClassParticipation.user_id, row.user_name, row.user_email),
                                  "joined_at": row.ClassParticipation.created_at.isoformat()} for row in rows]}
