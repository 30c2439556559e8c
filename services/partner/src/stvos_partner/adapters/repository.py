"""Repositories of the partner service: the only place that builds queries. Tenant queries filter by client_id."""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.credentials.refresh import Grant, RefreshFamilies, Subject
from stvos_shared.domain import DomainEvent
from stvos_shared.pagination import paginate
from stvos_shared.reservations import Reservable, Reservations

from ..domain.errors import EmailTaken, RedemptionConfirmed, RedemptionNotFound, VoucherCodeTaken
from . import orm
from .orm import Client, Partner, Redemption, Staff, Trainer, TrainerAccount, Voucher

Page = tuple[list[Any], dict[str, int]]
VOUCHER_USES = Reservable(Voucher.redemptions, Voucher.max_redemptions, Voucher.expires_at, Redemption.voucher_id,
                          RedemptionNotFound, RedemptionConfirmed)


class Tenants:
    """Clients as auth announced them, and the one partner of each."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def names(self, client_id: int) -> tuple[str | None, str | None]:
        """(the tenant's name, the partner's own name), either None when unknown: one query."""
        client = select(Client.name).where(Client.id == client_id).scalar_subquery()
        partner = select(Partner.name).where(Partner.client_id == client_id).scalar_subquery()
        row = self._s.execute(select(client, partner)).one()
        return row[0], row[1]

    def client(self, client_id: int) -> Client | None:
        return self._s.get(Client, client_id)

    def add_client(self, client: Client) -> None:
        self._s.add(client)

    def partner(self, client_id: int) -> Partner | None:
        return self._s.scalar(select(Partner).where(Partner.client_id == client_id))

    def add_partner(self, partner: Partner) -> Partner:
        self._s.add(partner)
        self._s.flush()
        return partner


class StaffMembers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_email(self, email: str) -> Staff | None:
        return self._s.scalar(select(Staff).where(Staff.email == email))

    def get(self, staff_id: int) -> Staff | None:
        return self._s.get(Staff, staff_id)

    def email_taken(self, email: str) -> bool:
        return self._s.scalar(select(Staff.id).where(Staff.email == email)) is not None

    def add(self, staff: Staff) -> Staff:
        self._s.add(staff)
        try:
            self._s.flush()
        except IntegrityError as error:  # a concurrent request took the email first
            raise EmailTaken() from error
        return staff

    def page(self, client_id: int, page: int, limit: int) -> Page:
        return paginate(self._s, select(Staff).where(Staff.client_id == client_id).order_by(Staff.id), page, limit)

    def principal(self, staff_id: int, family_id: str) -> Row | None:
        """The staff member of a live session (one query per request)."""
        families = orm.refresh.families
        query = (select(Staff.id, Staff.role, Staff.client_id, Staff.email, Staff.name)
                 .join(families, families.c.subject_id == Staff.id)
                 .where(Staff.id == staff_id, families.c.id == family_id, families.c.revoked_at.is_(None)))
        return self._s.execute(query).first()

    def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        self._s.execute(update(Staff).where(Staff.id == staff_id).values(password_hash=password_hash))


class Trainers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, client_id: int, trainer_id: int) -> Trainer | None:
        return self._s.scalar(select(Trainer).where(Trainer.id == trainer_id, Trainer.client_id == client_id))

    def email_taken(self, client_id: int, email: str, other_than: int | None = None) -> bool:
        query = select(Trainer.id).where(Trainer.client_id == client_id, Trainer.email == email)
        if other_than is not None:
            query = query.where(Trainer.id != other_than)
        return self._s.scalar(query) is not None

    def add(self, trainer: Trainer) -> Trainer:
        self._s.add(trainer)
        self.flush()
        return trainer

    def flush(self) -> None:
        try:
            self._s.flush()
        except IntegrityError as error:  # a concurrent request gave another trainer this email first
            raise EmailTaken("A trainer with this email already exists.") from error

    def page(self, client_id: int, page: int, limit: int, active: bool | None, search: str | None) -> Page:
        query = select(Trainer).where(Trainer.client_id == client_id)
        if active is not None:
            query = query.where(Trainer.active.is_(active))
        if search:
            needle = search.strip().lower()
            query = query.where(or_(func.lower(Trainer.name).contains(needle, autoescape=True),
                                    Trainer.email.contains(needle, autoescape=True)))
        return paginate(self._s, query.order_by(Trainer.name, Trainer.id), page, limit)

    def account(self, client_id: int, trainer_id: int) -> TrainerAccount | None:
        return self._s.scalar(select(TrainerAccount).where(TrainerAccount.client_id == client_id,
                                                           TrainerAccount.trainer_id == trainer_id))

    def accounts(self, client_id: int, trainer_ids: list[int]) -> dict[int, TrainerAccount]:
        rows = self._s.scalars(select(TrainerAccount).where(TrainerAccount.client_id == client_id,
                                                            TrainerAccount.trainer_id.in_(trainer_ids)))
        return {row.trainer_id: row for row in rows}

    def account_by_user(self, client_id: int, user_id: int) -> TrainerAccount | None:
        return self._s.get(TrainerAccount, (client_id, user_id))

    def add_account(self, account: TrainerAccount) -> None:
        self._s.add(account)

    def forget_account(self, account: TrainerAccount) -> None:
        self._s.delete(account)


class Vouchers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_code(self, client_id: int, code: str) -> Voucher | None:
        return self._s.scalar(select(Voucher).where(Voucher.client_id == client_id, Voucher.code == code))

    def get(self, client_id: int, voucher_id: int) -> Voucher | None:
        return self._s.scalar(select(Voucher).where(Voucher.id == voucher_id, Voucher.client_id == client_id))

    def code_of(self, voucher_id: int) -> str:
        return self._s.scalar(select(Voucher.code).where(Voucher.id == voucher_id))

    def code_taken(self, client_id: int, code: str) -> bool:
        return self.by_code(client_id, code) is not None

    def add(self, voucher: Voucher) -> Voucher:
        self._s.add(voucher)
        try:
            self._s.flush()
        except IntegrityError as error:  # a concurrent request took the code first
            raise VoucherCodeTaken() from error
        return voucher

    def page(self, client_id: int, page: int, limit: int) -> Page:
        query = select(Voucher).where(Voucher.client_id == client_id).order_by(Voucher.id.desc())
        return paginate(self._s, query, page, limit)

    def reread(self, voucher: Voucher) -> None:
        self._s.refresh(voucher)


class Redemptions(Reservations):
    """Uses of vouchers (VOUCHER_USES): the reservation steps, and what the partner's staff see of them."""

    def page(self, client_id: int, voucher_id: int, page: int, limit: int) -> Page:
        query = (select(Redemption).where(Redemption.voucher_id == voucher_id, Redemption.client_id == client_id)
                 .order_by(Redemption.id.desc()))
        return paginate(self._s, query, page, limit)

    def overview(self, client_id: int) -> tuple[int, int, int, int]:
        """(users registered with vouchers, trainers, active trainers, trainers with an account): one statement."""
        voucher_users = (select(func.count()).select_from(Redemption)
                         .where(Redemption.client_id == client_id, Redemption.status == "confirmed").scalar_subquery())
        accounts = (select(func.count()).select_from(TrainerAccount)
                    .where(TrainerAccount.client_id == client_id).scalar_subquery())
        query = (select(voucher_users, func.count(), func.count(case((Trainer.active.is_(True), 1))), accounts)
                 .select_from(Trainer).where(Trainer.client_id == client_id))
        return tuple(self._s.execute(query).one())


class Outbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, event: DomainEvent, client_id: int) -> None:
        orm.outbox.add(self._s, event, client_id)


class Sessions:
    """Refresh-token families of staff, inside this unit of work."""

    def __init__(self, session: Session, families: RefreshFamilies) -> None:
        self._s, self._families = session, families

    def start(self, staff: Staff) -> Grant:
        return self._families.start(self._s, staff_subject(staff))

    def end_all(self, staff_id: int, reason: str) -> None:
        self._families.end_all(self._s, staff_id, reason)


def staff_subject(staff: Any) -> Subject:
    return Subject(staff.id, staff.client_id, {"role": staff.role})


def load_staff(session: Session, staff_id: int, _client_id: int) -> Subject | None:
    """Whom a rotated refresh token speaks for now."""
    staff = session.get(Staff, staff_id)
    return staff_subject(staff) if staff is not None else None


class Repositories:
    """One unit of work's view of the partner database: one attribute per aggregate."""

    def __init__(self, session: Session, families: RefreshFamilies) -> None:
        self.tenants, self.staff, self.trainers = Tenants(session), StaffMembers(session), Trainers(session)
        self.vouchers, self.redemptions = Vouchers(session), Redemptions(session, VOUCHER_USES)
        self.outbox, self.sessions = Outbox(session), Sessions(session, families)
