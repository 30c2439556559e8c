"""Programme subscriptions: subscribe (payment equal to the price), pause, resume, cancel."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from stvos_shared.errors import invalid_fields
from stvos_shared.principal import Principal

from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from ..domain.commands import IdempotentRequest, StoredResponse, SubscribeProgramme
from ..domain.errors import AlreadySubscribed, ProgrammeNotFound, SubscriptionNotFound
from ..domain.events import SUBSCRIPTION_EVENTS
from ..domain.model import paused_days, programme_end, require_payment, subscription_status_after
from . import views
from .clock import Clock


def subscription_event(action: str, subscription: Any, programme_name: str, count: tuple[int, int]) -> Any:
    subscribers, version = count
    return SUBSCRIPTION_EVENTS[action](
        subscription_id=subscription.id, programme_id=subscription.programme_id, trainer_id=subscription.trainer_id,
        user_id=subscription.user_id, programme_name=programme_name, status=subscription.status,
        start_date=subscription.start_date, end_date=subscription.end_date,
        payment_amount=subscription.payment_amount, currency=subscription.currency, subscribers=subscribers,
        subscribers_version=version)


class Programmes:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow, self.clock = uow, clock

    def subscribe(self, command: SubscribeProgramme, idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """Subscribe from startDate for the programme's weeks; one active or paused subscription each."""
        return self.uow.run_idempotent(idempotency, lambda repos: self._subscribe(repos, command))

    def _subscribe(self, repos: Repositories, command: SubscribeProgramme) -> StoredResponse:
        client_id, user_id = command.principal.client_id, command.principal.user_id
        if command.start_date < self.clock.now().date() - timedelta(days=1):  # a day's grace for time zones
            raise invalid_fields(startDate="Must not be in the past.")
        programme = repos.programmes.get(client_id, command.programme_id, command.trainer_id)
        if programme is None or not programme.active:
            raise ProgrammeNotFound()
        require_payment(command.payment_amount, programme.price)
        if repos.programmes.live_subscription(client_id, programme.id, user_id) is not None:
            raise AlreadySubscribed()
        subscription = repos.programmes.add_subscription(
            client_id=client_id, programme_id=programme.id, trainer_id=programme.trainer_id, user_id=user_id,
            status="active", start_date=command.start_date,
            end_date=programme_end(command.start_date, programme.weeks), payment_amount=command.payment_amount,
            currency=programme.currency)
        count = tuple(repos.programmes.count_subscriber(programme.id, +1))
        repos.outbox.add(subscription_event("subscribe", subscription, programme.name, count), client_id)
        view = views.subscription(subscription, programme_name=programme.name, trainer_name=None,
                                  today=self.clock.now().date())
        return StoredResponse(201, {"subscription": view})

    def change(self, principal: Principal, subscription_id: int, action: str,
               idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """pause / resume / cancel; an impossible one is 409 INVALID_TRANSITION. Resuming extends the end."""
        return self.uow.run_idempotent(idempotency,
                                       lambda repos: self._change(repos, principal, subscription_id, action))

    def _change(self, repos: Repositories, principal: Principal, subscription_id: int, action: str) -> StoredResponse:
        row = repos.programmes.subscription(principal.client_id, subscription_id, principal.user_id, lock=True)
        if row is None:
            raise SubscriptionNotFound()
        subscription, today = row.ProgrammeSubscription, self.clock.now().date()
        status = subscription_status_after(action, subscription.status)
        if subscription.status == "paused":
            subscription.end_date += timedelta(days=paused_days(subscription.paused_on, today))
            subscription.paused_on = None
        if status == "paused":
            subscription.paused_on = today
        subscription.status = status
        repos.session.flush()
        if action == "cancel":
            count = tuple(repos.programmes.count_subscriber(subscription.programme_id, -1))
        else:
            count = tuple(repos.programmes.subscribers(subscription.programme_id))
        repos.outbox.add(subscription_event(action, subscription, row.programme_name or "", count),
                         principal.client_id)
        return StoredResponse(200, {"subscription": views.subscription(
            subscription, programme_name=row.programme_name, trainer_name=row.trainer_name, today=today)})

    def details(self, principal: Principal, subscription_id: int) -> dict[str, Any]:
        with self.uow(write=False) as repos:
            row = repos.programmes.subscription(principal.client_id, subscription_id, principal.user_id)
        if row is None:
            raise SubscriptionNotFound()
        return {"subscription": views.subscription(row.ProgrammeSubscription, programme_name=row.programme_name,
                                                   trainer_name=row.trainer_name, today=self.clock.now().date())}
