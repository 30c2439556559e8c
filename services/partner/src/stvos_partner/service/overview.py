"""The partner's dashboard figures for one tenant."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select

from ..adapters.orm import Redemption, Trainer, TrainerAccount

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer


def overview(c: PartnerContainer, client_id: int) -> dict[str, Any]:
    """Four figures in one statement: the trainers aggregated (all and active), the other two as subqueries."""
    voucher_users = (select(func.count()).select_from(Redemption)
                     .where(Redemption.client_id == client_id, Redemption.status == "confirmed").scalar_subquery())
    trainer_accounts = (select(func.count()).select_from(TrainerAccount)
                        .where(TrainerAccount.client_id == client_id).scalar_subquery())
    query = (select(voucher_users, func.count(), func.count(case((Trainer.active.is_(True), 1))), trainer_accounts)
             .select_from(Trainer).where(Trainer.client_id == client_id))
    with c.db.unit_of_work(write=False) as session:
        users, trainers, active, accounts = session.execute(query).one()
    return {"users_registered_with_vouchers": users, "trainers": trainers, "active_trainers": active,
            "registered_trainer_accounts": accounts}
