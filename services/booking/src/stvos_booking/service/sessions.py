"""1-on-1 sessions: booking a slot (re-checked), the user's cancellation, the trainer's changes."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from stvos_shared.principal import Principal
from stvos_shared.video import LiveKit, participant_token, user_identity

from ..adapters.repository import Repositories
from ..adapters.unit_of_work import UnitOfWork
from ..domain import events
from ..domain.commands import BookSession, IdempotentRequest, StoredResponse, UpdateBooking
from ..domain.errors import AlreadyCancelled, BookingNotCancellable, BookingNotFound, SlotUnavailable
from ..domain.model import cutoff_hours, is_late, session_status_change
from ..domain.slots import ExplicitSlot, Hours, Slot, SlotQuery, candidate_slots, start_of_generated
from . import views
from .availability import hours_of, policy_of, trainer_terms, utc_bounds
from .clock import Clock


def session_event(kind: type[events._Session], booking: Any) -> events._Session:
    return kind(booking_id=booking.id, trainer_id=booking.trainer_id, user_id=booking.user_id,
                service_id=booking.service_id, service_name=booking.service_name, starts_at=booking.starts_at,
                ends_at=booking.ends_at, timezone=booking.timezone, status=booking.status, price=booking.price,
                currency=booking.currency, late_cancellation=booking.late_cancellation,
                cancelled_by=booking.cancelled_by)


def meeting(row: Any, user_id: int, video: LiveKit) -> dict[str, Any] | None:
    """The video room once the trainer launched it, with a token for this user only, minted now."""
    if not row.room:
        return None
    return {"url": row.video_url, "room": row.room, "token": participant_token(video, row.room, user_identity(user_id))}


def _offered(repos: Repositories, client_id: int, terms: Any, slot_id: int, now: datetime) -> Slot | None:
    """The slot `slot_id` names, if the trainer's hours still offer it now (taken or not)."""
    zone, policy = views.zone(terms.timezone), policy_of(terms)
    start = start_of_generated(slot_id)
    if start is not None:
        day = start.astimezone(zone).date()
        hours, _, _ = hours_of(repos.schedules.hours(client_id, terms.id, day, day, *utc_bounds(day, day)))
    else:
        explicit = repos.schedules.time_slot(client_id, terms.id, slot_id)
        if explicit is None:
            return None
        day = explicit.starts_at.astimezone(zone).date()
        hours = Hours(explicit=[ExplicitSlot(explicit.id, explicit.starts_at, explicit.ends_at, explicit.service_id)])
    query = SlotQuery(day, day, terms.duration, terms.service_id)
    return next((slot for slot in candidate_slots(hours, zone, policy, query, now) if slot.id == slot_id), None)


class Sessions:
    def __init__(self, uow: UnitOfWork, clock: Clock, video: LiveKit) -> None:
        self.uow, self.clock, self.video = uow, clock, video

    def book(self, command: BookSession, idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """Book the slot for the user: 409 SLOT_UNAVAILABLE when no longer offered, SLOT_TAKEN when taken."""
        return self.uow.run_idempotent(idempotency, lambda repos: self._book(repos, command))

    def _book(self, repos: Repositories, command: BookSession) -> StoredResponse:
        client_id, now = command.principal.client_id, self.clock.now()
        terms = trainer_terms(repos, client_id, command.trainer_id, command.service_id)
        slot = _offered(repos, client_id, terms, command.slot_id, now)
        if slot is None:
            raise SlotUnavailable()
        policy = policy_of(terms)
        booking = repos.bookings.take(
            client_id=client_id, trainer_id=terms.id, user_id=command.principal.user_id, service_id=terms.service_id,
            service_name=terms.service_name, slot_id=slot.id, starts_at=slot.starts_at, ends_at=slot.ends_at,
            blocked_until=slot.ends_at + policy.buffer, timezone=terms.timezone,
            local_date=views.local(slot.starts_at, terms.timezone).date(), status="confirmed", notes=command.notes,
            price=terms.price, currency=terms.currency,
            cancellation_cutoff_hours=cutoff_hours(terms.service_cutoff, policy), late_cancellation=False)
        repos.outbox.add(session_event(events.SessionBooked, booking), client_id)
        return StoredResponse(201, {"booking": views.booking(booking, trainer_name=terms.name)})

    def cancel(self, principal: Principal, booking_id: int,
               idempotency: IdempotentRequest | None = None) -> StoredResponse:
        """The user cancels: late inside the cut-off; twice is 409 ALREADY_CANCELLED; the time is free at once."""
        return self.uow.run_idempotent(idempotency, lambda repos: self._cancel(repos, principal, booking_id))

    def _cancel(self, repos: Repositories, principal: Principal, booking_id: int) -> StoredResponse:
        row = repos.bookings.with_trainer_name(principal.client_id, booking_id, principal.user_id, lock=True)
        if row is None:
            raise BookingNotFound()
        booking, now = row.SessionBooking, self.clock.now()
        if booking.status == "cancelled":
            raise AlreadyCancelled()
        if booking.status != "confirmed" or booking.starts_at <= now:
            raise BookingNotCancellable()
        booking.status, booking.cancelled_by, booking.cancelled_at = "cancelled", "user", now
        booking.late_cancellation = is_late(booking.starts_at, booking.cancellation_cutoff_hours, now)
        repos.bookings.flush()
        repos.outbox.add(session_event(events.SessionCancelled, booking), principal.client_id)
        return StoredResponse(200, {"booking": views.booking(booking, trainer_name=row.trainer_name)})

    def details(self, principal: Principal, booking_id: int) -> dict[str, Any]:
        """One of the user's bookings, with the video room once launched."""
        with self.uow(write=False) as repos:
            row = repos.bookings.with_trainer_name(principal.client_id, booking_id, principal.user_id)
        if row is None:
            raise BookingNotFound()
        booking = row.SessionBooking
        return {"booking": views.booking(booking, trainer_name=row.trainer_name,
                                         meeting=meeting(booking, principal.user_id, self.video))}

    def update(self, command: UpdateBooking) -> dict[str, Any]:
        """The trainer changes status (allowed transitions only), notes or meeting link of their booking."""
        return self.uow.run(lambda repos: self._update(repos, command))

    def _update(self, repos: Repositories, command: UpdateBooking) -> dict[str, Any]:
        principal = command.principal
        booking = repos.bookings.get(principal.client_id, command.booking_id, trainer_id=principal.trainer_id,
                                     lock=True)
        if booking is None:
            raise BookingNotFound()
        before = booking.status
        if command.status is not None:
            self._change_status(repos, booking, session_status_change(before, command.status))
        if command.notes is not None:
            booking.notes = command.notes
        if command.meeting_link is not None:
            booking.meeting_link = command.meeting_link
        repos.bookings.flush()  # on PostgreSQL the exclusion constraint checks a revived range here
        cancelled_now = booking.status == "cancelled" and before != "cancelled"
        kind = events.SessionCancelled if cancelled_now else events.SessionUpdated
        repos.outbox.add(session_event(kind, booking), principal.client_id)
        return {"booking": views.booking(booking)}

    def _change_status(self, repos: Repositories, booking: Any, status: str) -> None:
        if status == booking.status:
            return
        if booking.status == "cancelled":  # coming back takes its time again, if still free
            repos.bookings.retake(booking)
            booking.late_cancellation, booking.cancelled_by, booking.cancelled_at = False, None, None
        if status == "cancelled":
            booking.cancelled_by, booking.cancelled_at, booking.late_cancellation = "trainer", self.clock.now(), False
        booking.status = status

    def internal(self, principal: Principal, booking_id: int) -> dict[str, Any]:
        """For the portal: one booking of the calling trainer."""
        with self.uow(write=False) as repos:
            booking = repos.bookings.get(principal.client_id, booking_id, trainer_id=principal.trainer_id)
        if booking is None:
            raise BookingNotFound()
        return {"booking": {"id": booking.id, "trainer_id": booking.trainer_id, "user_id": booking.user_id,
                            "status": booking.status, "timezone": booking.timezone,
                            "starts_at": views.local(booking.starts_at, booking.timezone).isoformat(),
                            "ends_at": views.local(booking.ends_at, booking.timezone).isoformat()}}
