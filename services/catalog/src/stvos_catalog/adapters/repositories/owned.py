"""The offerings and invite codes as their trainer manages them, and the steps that count an invite code's uses."""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import exists, literal, select, true, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.pagination import paginate
from stvos_shared.reservations import Reservable

from ...domain.commands import ListPage, Owner
from ...domain.errors import InviteCodeTaken, InviteRedemptionConfirmed, InviteRedemptionNotFound
from ..orm import UNIQUE_CODE, GroupClass, InviteCode, InviteRedemption, Programme, RecordedClass, Service, Trainer

M = TypeVar("M", Service, RecordedClass, GroupClass, Programme, InviteCode)
Page = tuple[list[Any], dict[str, int]]
INVITE_USES = Reservable(  # a use also needs the code and its trainer active
    InviteCode.uses, InviteCode.max_uses, InviteCode.expires_at, InviteRedemption.invite_code_id,
    InviteRedemptionNotFound, InviteRedemptionConfirmed,
    usable=(InviteCode.active == true(), exists().where(Trainer.client_id == InviteCode.client_id,
                                                        Trainer.id == InviteCode.trainer_id, Trainer.active == true())))
NEWEST_FIRST = (InviteCode.created_at.desc(),)  # built once: Repositories are made for every request


class Owned(Generic[M]):
    """One kind of offering, as its trainer manages it: only their own rows of their tenant."""

    def __init__(self, session: Session, model: type[M], order: tuple[Any, ...]) -> None:
        self.session, self.model, self.order = session, model, order

    def get(self, owner: Owner, item_id: int, lock: bool = False) -> M | None:
        model = self.model
        query = select(model).where(model.client_id == owner.client_id, model.trainer_id == owner.trainer_id,
                                    model.id == item_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def page(self, owner: Owner, page: ListPage) -> Page:
        model = self.model
        query = select(model).where(model.client_id == owner.client_id, model.trainer_id == owner.trainer_id)
        if page.active is not None:
            query = query.where(model.active == literal(page.active))
        return paginate(self.session, query.order_by(*self.order, model.id), page.page, page.limit)

    def add(self, item: M) -> M:
        self.session.add(item)
        self.session.flush()
        return item

    def flush(self) -> None:
        self.session.flush()


class GroupClasses(Owned[GroupClass]):
    def apply_seats(self, client_id: int, class_id: int, participants: int, version: int) -> bool:
        """Take booking's count of joined users if it is newer than the one kept (duplicates change nothing)."""
        result = self.session.execute(update(GroupClass).where(
            GroupClass.client_id == client_id, GroupClass.id == class_id, GroupClass.seat_version < version,
        ).values(participants=participants, seat_version=version))
        return result.rowcount == 1

    def public(self, client_id: int, class_id: int) -> GroupClass | None:
        return self.session.scalar(select(GroupClass).where(GroupClass.client_id == client_id,
                                                            GroupClass.id == class_id))


class Programmes(Owned[Programme]):
    def apply_subscribers(self, client_id: int, programme_id: int, subscribers: int, version: int) -> bool:
        """Take booking's count of live subscriptions if it is newer than the one kept."""
        result = self.session.execute(update(Programme).where(
            Programme.client_id == client_id, Programme.id == programme_id, Programme.subscribers_version < version,
        ).values(subscribers=subscribers, subscribers_version=version))
        return result.rowcount == 1


class InviteCodes(Owned[InviteCode]):
    def taken(self, code: str) -> bool:
        return self.session.scalar(select(InviteCode.id).where(InviteCode.code == code)) is not None

    def add(self, item: InviteCode) -> InviteCode:
        """Raises InviteCodeTaken when another code (of any tenant) has the same text."""
        try:
            return super().add(item)
        except IntegrityError as error:
            if UNIQUE_CODE in str(error.orig) or "invite_codes.code" in str(error.orig):
                raise InviteCodeTaken() from error
            raise

    def check(self, code: str) -> Row | None:
        """The code with its trainer's name and active flag, whatever the tenant (the public check)."""
        query = (select(InviteCode.id, InviteCode.client_id, InviteCode.trainer_id, InviteCode.active,
                        InviteCode.expires_at,
                        InviteCode.max_uses, InviteCode.uses, Trainer.name.label("trainer_name"),
                        Trainer.active.label("trainer_active"))
                 .join(Trainer, (Trainer.id == InviteCode.trainer_id) & (Trainer.client_id == InviteCode.client_id))
                 .where(InviteCode.code == code))
        return self.session.execute(query).first()

    def by_code(self, client_id: int, code: str) -> InviteCode | None:
        return self.session.scalar(select(InviteCode).where(InviteCode.client_id == client_id,
                                                            InviteCode.code == code))
