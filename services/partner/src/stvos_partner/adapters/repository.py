"""Repositories of the partner service: the only place that builds queries. Tenant queries filter by client_id."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stvos_shared.credentials.refresh import Grant, RefreshFamilies, Subject
from stvos_shared.domain import DomainEvent
from stvos_shared.pagination import paginate

from ..domain.errors import EmailTaken, VoucherCodeTaken
from . import orm
from .orm import Client, Partner, Redemption, Staff, Trainer, TrainerAccount, Voucher

Page = tuple[list[Any], dict[str, int]]


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

    def take_one(self, voucher_id: int, now: datetime) -> bool:
        """Count one redemption if the voucher has one left and has not expired: exactly one racer takes the last."""
        return bool(self._s.execute(
            update(Voucher)
            .where(Voucher.id == voucher_id,
                   or_(Voucher.max_redemptions.is_(None), Voucher.redemptions < Voucher.max_redemptions),
                   or_(Voucher.expires_at.is_(None), Voucher.expires_at > now))
            .values(redemptions=Voucher.redemptions + 1).execution_options(synchronize_session=False)).rowcount)

    def move_count(self, voucher_id: int, by: int) -> None:
        self._s.execute(update(Voucher).where(Voucher.id == voucher_id)
                        .values(redemptions=Voucher.redemptions + by).execution_options(synchronize_session=False))

    def reread(self, voucher: Voucher) -> None:
        self._s.refresh(voucher)


class Redemptions:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, redemption: Redemption) -> Redemption:
        self._s.add(redemption)
        self._s.flush()
        return redemption

    def status(self, client_id: int, redemption_id: int) -> str | None:
        return self._s.scalar(select(Redemption.status).where(Redemption.id == redemption_id,
                                                              Redemption.client_id == client_id))

    def page(self, client_id: int, voucher_id: int, page: int, limit: int) -> Page:
        query = (select(Redemption).where(Redemption.voucher_id == voucher_id, Redemption.client_id == client_id)
                 .order_by(Redemption.id.desc()))
        return paginate(self._s, query, page, limit)

    def stale(self, voucher_id: int, older_than: datetime) -> int:
        """Reservations of the voucher made before `older_than` and still neither confirmed nor released."""
        return self._s.scalar(select(func.count()).select_from(Redemption).where(
            Redemption.voucher_id == voucher_id, Redemption.status == "reserved",
            Redemption.created_at < older_than)) or 0

    def release_stale(self, voucher_id: int, older_than: datetime, now: datetime) -> int:
        """Release them; each row is released by one transaction only. Returns how many."""
        return self._s.execute(
            update(Redemption).where(Redemption.voucher_id == voucher_id, Redemption.status == "reserved",
                                     Redemption.created_at < older_than)
            .values(status="released", released_at=now).execution_options(synchronize_session=False)).rowcount

    def transition(self, client_id: int, redemption_id: int, before: str, **values: Any) -> int | None:
        """Move the redemption from status `before` in one conditional UPDATE: its voucher id if this call did it.

        Of concurrent transactions trying the same move, exactly one sees its row change (PostgreSQL re-checks
        the WHERE once the first commits; SQLite runs writers one at a time), so counts move exactly once.
        """
        return self._s.execute(
            update(Redemption)
            .where(Redemption.id == redemption_id, Redemption.client_id == client_id, Redemption.status == before)
            .values(**values).returning(Redemption.voucher_id).execution_options(synchronize_session=False)
        ).scalar_one_or_none()

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
        self.vouchers, self.redemptions, self.outbox = Vouchers(session), Redemptions(session), Outbox(session)
        self.sessions = Sessions(session, families)
