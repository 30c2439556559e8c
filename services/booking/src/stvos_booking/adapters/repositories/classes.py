"""Group-class replicas, their seats (conditional updates: the guard against overselling) and participations."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, aliased

from ..orm import BookingPolicy, ClassParticipation, GroupClass, Trainer, User
from .bookings import page_of

_SEATS = (GroupClass.participants, GroupClass.capacity, GroupClass.seat_version)
_JOINED = aliased(ClassParticipation)
# Built once: every join reads it first, and making the alias and the statement cost more than running it.
FOR_JOINING = (select(GroupClass, BookingPolicy.cancellation_cutoff_hours.label("policy_cutoff"),
                      _JOINED.id.label("joined_id"))
               .outerjoin(BookingPolicy, BookingPolicy.trainer_id == GroupClass.trainer_id)
               .outerjoin(_JOINED, and_(_JOINED.class_id == GroupClass.id, _JOINED.user_id == bindparam("user_id"),
                                        _JOINED.status == "joined"))
               .where(GroupClass.id == bindparam("class_id"), GroupClass.client_id == bindparam("client_id")))


class GroupClasses:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_joining(self, client_id: int, class_id: int, user_id: int) -> Row | None:
        """The class, the trainer's cut-off and whether the user holds a place, in one query."""
        return self.session.execute(FOR_JOINING, {"class_id": class_id, "client_id": client_id,
                                                  "user_id": user_id}).first()

    def take_seat(self, client_id: int, class_id: int) -> Row | None:
        """One seat, taken by a conditional UPDATE (racers queue on the row); None when none is left."""
        return self.session.execute(
            update(GroupClass)
            .where(GroupClass.id == class_id, GroupClass.client_id == client_id, GroupClass.active.is_(True),
                   GroupClass.participants < GroupClass.capacity)
            .values(participants=GroupClass.participants + 1, seat_version=GroupClass.seat_version + 1)
            .returning(*_SEATS).execution_options(synchronize_session=False)).first()

    def give_seat_back(self, class_id: int) -> Row:
        return self.session.execute(
            update(GroupClass).where(GroupClass.id == class_id)
            .values(participants=GroupClass.participants - 1, seat_version=GroupClass.seat_version + 1)
            .returning(*_SEATS).execution_options(synchronize_session=False)).one()

    def get(self, client_id: int, class_id: int, *, trainer_id: int | None = None,
            lock: bool = False) -> GroupClass | None:
        query = select(GroupClass).where(GroupClass.id == class_id, GroupClass.client_id == client_id)
        if trainer_id is not None:
            query = query.where(GroupClass.trainer_id == trainer_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def add_participation(self, **values: Any) -> ClassParticipation:
        participation = ClassParticipation(**values)
        self.session.add(participation)
        self.session.flush()  # a twin's joined row fails the partial unique index: the seat taken rolls back
        return participation

    def joined(self, client_id: int, class_id: int, user_id: int) -> ClassParticipation | None:
        return self.session.scalar(select(ClassParticipation).where(
            ClassParticipation.client_id == client_id, ClassParticipation.class_id == class_id,
            ClassParticipation.user_id == user_id, ClassParticipation.status == "joined"))

    def ever_joined(self, client_id: int, class_id: int, user_id: int) -> bool:
        return self.session.scalar(select(ClassParticipation.id).where(
            ClassParticipation.client_id == client_id, ClassParticipation.class_id == class_id,
            ClassParticipation.user_id == user_id).limit(1)) is not None

    def all_joined(self, class_id: int) -> list[ClassParticipation]:
        return list(self.session.scalars(select(ClassParticipation).where(
            ClassParticipation.class_id == class_id, ClassParticipation.status == "joined")
            .order_by(ClassParticipation.id)))

    def release_all(self, class_id: int, count: int) -> Row:
        """Give back `count` seats at once (a cancelled class), one version step per seat."""
        return self.session.execute(
            update(GroupClass).where(GroupClass.id == class_id)
            .values(participants=GroupClass.participants - count, seat_version=GroupClass.seat_version + count)
            .returning(*_SEATS).execution_options(synchronize_session=False)).one()

    def _with_class(self) -> Select:
        return (select(ClassParticipation, GroupClass, Trainer.name.label("trainer_name"))
                .join(GroupClass, GroupClass.id == ClassParticipation.class_id)
                .outerjoin(Trainer, and_(Trainer.id == GroupClass.trainer_id,
                                         Trainer.client_id == GroupClass.client_id)))

    def of_user(self, client_id: int, user_id: int, page: int, limit: int,
                starting_after: datetime | None = None) -> tuple[list[Row], dict[str, int]]:
        """A page of the user's participations with their classes: all, or upcoming joined ones."""
        query = self._with_class().where(ClassParticipation.client_id == client_id,
                                         ClassParticipation.user_id == user_id)
        if starting_after is not None:
            query = query.where(ClassParticipation.status == "joined", GroupClass.starts_at > starting_after)
        return page_of(self.session, query.order_by(GroupClass.starts_at, ClassParticipation.id), page, limit)

    def of_user_with_trainer(self, client_id: int, user_id: int, trainer_id: int) -> list[Row]:
        query = self._with_class().where(ClassParticipation.client_id == client_id,
                                         ClassParticipation.user_id == user_id, GroupClass.trainer_id == trainer_id)
        return list(self.session.execute(query.order_by(GroupClass.starts_at, ClassParticipation.id)))

    def roster(self, class_id: int) -> list[Row]:
        """The joined participants with their names, in joining order."""
        query = (select(ClassParticipation, User.name.label("user_name"), User.email.label("user_email"))
                 .outerjoin(User, and_(User.id == ClassParticipation.user_id,
                                       User.client_id == ClassParticipation.client_id))
                 .where(ClassParticipation.class_id == class_id, ClassParticipation.status == "joined")
                 .order_by(ClassParticipation.id))
        return list(self.session.execute(query))

    def upsert(self, values: dict[str, Any], occurred_at: datetime) -> bool:
        """Apply a catalog class unless a newer event was applied; capacity never below the seats sold."""
        current = self.session.scalar(select(GroupClass).where(GroupClass.id == values["id"]).with_for_update())
        if current is None:
            self.session.add(GroupClass(**values, participants=0, seat_version=0, source_updated_at=occurred_at))
            self.session.flush()
            return True
        if current.client_id != values["client_id"] or (
                current.source_updated_at is not None and current.source_updated_at > occurred_at):
            return False
        capacity = values.pop("capacity")
        self.session.execute(update(GroupClass).where(GroupClass.id == current.id).values(
            **values, source_updated_at=occurred_at,
            capacity=case((GroupClass.participants > capacity, GroupClass.participants), else_=capacity))
            .execution_options(synchronize_session=False))
        self.session.expire(current)
        return True

    def set_meeting(self, client_id: int, class_id: int, trainer_id: int, room: str, url: str) -> bool:
        result = self.session.execute(update(GroupClass).where(
            GroupClass.id == class_id, GroupClass.client_id == client_id, GroupClass.trainer_id == trainer_id)
            .values(room=room, video_url=url).execution_options(synchronize_session=False))
        return result.rowcount > 0

    def next_class(self, client_id: int, user_id: int, after: datetime) -> Row | None:
        query = self._with_class().where(ClassParticipation.client_id == client_id,
                                         ClassParticipation.user_id == user_id, ClassParticipation.status == "joined",
                                         GroupClass.starts_at > after)
        return self.session.execute(query.order_by(GroupClass.starts_at).limit(1)).first()

    def upcoming_count(self, client_id: int, user_id: int, after: datetime) -> Any:
        """Upcoming joined classes of the user, as a scalar subquery (the summary's one query)."""
        return (select(func.count()).select_from(ClassParticipation)
                .join(GroupClass, GroupClass.id == ClassParticipation.class_id)
                .where(ClassParticipation.client_id == client_id, ClassParticipation.user_id == user_id,
                       ClassParticipation.status == "joined", GroupClass.starts_at > after).scalar_subquery())
