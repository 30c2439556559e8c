"""Reservations: one use of a counted item (a partner's voucher, a trainer's invite code) taken while auth
registers a user, then confirmed when the user exists or given back when they cannot be created.

The service owning the item keeps its tables: the item's (a count of uses, an optional limit and expiry) and
one of reservations (`ReservationColumns` and a column naming the item). `Reservations`, their repository,
takes every step in one conditional UPDATE: of concurrent transactions trying the same move exactly one sees
its row change (PostgreSQL re-checks the WHERE once the first commits; SQLite runs writers one at a time), so
the count moves exactly once. `ReservationApi` is the other end: auth's client of the owner's internal API.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, String, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime, utcnow
from .emails import normalise_email
from .errors import ApiError, ServiceUnavailable
from .security import CLIENT_ID_HEADER
from .service_client import ServiceClient

log = logging.getLogger("stvos.reservations")

# A reservation auth never confirmed nor released (auth died between redeeming and creating the user)
# gives its use back after this long: far beyond any registration, and beyond a long event backlog.
RESERVATION_TTL = timedelta(hours=24)

T = TypeVar("T")


class ReservationColumns:
    """The columns of a reservations table but the item's (sort_order keeps the migrations' column order)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    client_id: Mapped[int] = mapped_column(Integer, index=True, sort_order=-1)
    email: Mapped[str] = mapped_column(String(254), sort_order=1)
    status: Mapped[str] = mapped_column(String(10), default="reserved", sort_order=1)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, sort_order=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, sort_order=1)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, sort_order=1)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, sort_order=1)


@dataclass(frozen=True)
class Reservable:
    """One kind of item, as the steps see it."""

    uses: Any  # the item's count of reserved and confirmed uses, e.g. Voucher.redemptions
    limit: Any  # its limit, NULL for none
    expires_at: Any  # NULL for never
    item_id: Any  # the reservation's item, e.g. Redemption.voucher_id
    unknown: type[ApiError]  # releasing no reservation of the tenant (404)
    confirmed: type[ApiError]  # releasing a confirmed one (409)
    usable: tuple[Any, ...] = ()  # what else a use needs of the item (an invite code's trainer is active)


class Reservations:
    """The reservations of one kind of item, inside one unit of work."""

    def __init__(self, session: Session, kind: Reservable) -> None:
        self._s, self._kind = session, kind
        self._item, self._model = kind.uses.class_, kind.item_id.class_

    def reserve(self, client_id: int, item_id: int, email: str, now: datetime) -> int | None:
        """Take one use of the item for `email`: the new reservation's id, or None when none is left or it expired."""
        kind = self._kind
        self._release_stale(item_id, now)
        taken = self._s.execute(
            update(self._item)
            .where(self._item.id == item_id, *kind.usable, or_(kind.limit.is_(None), kind.uses < kind.limit),
                   or_(kind.expires_at.is_(None), kind.expires_at > now))
            .values({kind.uses: kind.uses + 1}).execution_options(synchronize_session=False)).rowcount
        if not taken:
            return None
        reservation = self._model(client_id=client_id, email=normalise_email(email), status="reserved",
                                  **{kind.item_id.key: item_id})
        self._s.add(reservation)
        self._s.flush()
        return reservation.id

    def release(self, client_id: int, reservation_id: int, now: datetime) -> None:
        """Give a reservation back (registration failed after reserving); releasing twice is a no-op."""
        item_id = self._transition(client_id, reservation_id, "reserved", status="released", released_at=now)
        if item_id is not None:
            self._move_count(item_id, -1)
            return
        status = self._s.scalar(select(self._model.status).where(self._model.id == reservation_id,
                                                                 self._model.client_id == client_id))
        if status is None:
            raise self._kind.unknown()
        if status == "confirmed":
            raise self._kind.confirmed()

    def confirm(self, client_id: int, reservation_id: int, user_id: int, now: datetime) -> int | None:
        """The user registered with the reservation: record who. The item's id if this call confirmed it (None
        when it is unknown in the tenant or confirmed already); a released one counts again: the user exists."""
        values = {"status": "confirmed", "user_id": user_id, "confirmed_at": now}
        item_id = self._transition(client_id, reservation_id, "reserved", **values)
        if item_id is None:
            item_id = self._transition(client_id, reservation_id, "released", **values)
            if item_id is not None:
                self._move_count(item_id, +1)
        return item_id

    def stale(self, item_id: int, now: datetime) -> int:
        """How many of the item's uses a reserve now would give back first (a check counts them as free)."""
        return self._s.scalar(select(func.count()).select_from(self._model).where(*self._abandoned(item_id, now))) or 0

    def _release_stale(self, item_id: int, now: datetime) -> None:
        """Release the item's abandoned reservations, each by one transaction only, and give their uses back."""
        released = self._s.execute(update(self._model).where(*self._abandoned(item_id, now))
                                   .values(status="released", released_at=now)
                                   .execution_options(synchronize_session=False)).rowcount
        if released:
            self._move_count(item_id, -released)

    def _abandoned(self, item_id: int, now: datetime) -> tuple[Any, ...]:
        model = self._model
        return self._kind.item_id == item_id, model.status == "reserved", model.created_at < now - RESERVATION_TTL

    def _transition(self, client_id: int, reservation_id: int, before: str, **values: Any) -> int | None:
        """Move the reservation from status `before`: its item's id if this call did it."""
        model = self._model
        return self._s.execute(
            update(model).where(model.id == reservation_id, model.client_id == client_id, model.status == before)
            .values(**values).returning(self._kind.item_id).execution_options(synchronize_session=False)
        ).scalar_one_or_none()

    def _move_count(self, item_id: int, by: int) -> None:
        uses = self._kind.uses
        self._s.execute(update(self._item).where(self._item.id == item_id).values({uses: uses + by})
                        .execution_options(synchronize_session=False))


class ReservationApi(Generic[T]):
    """A service's internal reservation API as auth's registration calls it, for one tenant: POST PATH/redeem
    reserves (a 422 `invalid` when the code cannot be used, ServiceUnavailable for anything unexpected),
    PATH/redemptions/<id>/release gives back (idempotent, best effort)."""

    def __init__(self, client: ServiceClient, path: str, service: str, item: str, invalid: type[ApiError],
                 answer: Callable[[dict[str, Any], str], T], refused: Callable[[], ApiError] | None = None) -> None:
        """`answer` makes the caller's reservation of data.redemption and the code sent; `refused` is what
        another 422 (the service's schema refusing the code) means, when not a failure."""
        self._client, self._path, self._service, self._item = client, path, service, item
        self._invalid, self._answer, self._refused = invalid, answer, refused

    def redeem(self, client_id: int, code: str, email: str) -> T:
        response = self._client.post(f"{self._path}/redeem", {"code": code, "email": email},
                                     headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        if response.status == 201:
            try:
                return self._answer(response.data.get("redemption") or {}, code)
            except (KeyError, TypeError, ValueError) as error:
                raise ServiceUnavailable(f"The {self._service} service gave an unexpected answer.") from error
        error = (response.body or {}).get("error") or {}
        if response.status == 422 and error.get("code") == self._invalid.code:
            raise self._invalid(error.get("message"), details=error.get("details"))
        if response.status == 422 and self._refused is not None:
            raise self._refused()
        log.warning("%s redeem answered %s", self._item, response.status)
        raise ServiceUnavailable(f"The {self._service} service could not redeem the {self._item}; "
                                 "nothing was changed.")

    def release(self, client_id: int, redemption_id: int) -> None:
        try:
            self._client.post(f"{self._path}/redemptions/{redemption_id}/release",
                              headers={CLIENT_ID_HEADER: str(client_id)}, forward_caller=False)
        except ApiError:
            log.warning("could not release %s redemption %s", self._item, redemption_id)
