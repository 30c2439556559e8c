"""The partner's dashboard figures for one tenant."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from ..adapters.orm import Redemption, Trainer, TrainerAccount

if TYPE_CHECKING:
    from ..bootstrap import PartnerContainer


def overview(c: PartnerContainer, client_id: int) -> dict[str, Any]:
    count = func.count()
    with c.db.unit_of_work(write=False) as session:
        return {
            "users_registered_with_vouchers": session.scalar(
                select(count).select_from(Redemption)
                .where(Redemption.client_id == client_id, Redemption.status == "confirmed")),
            "trainers": session.scalar(select(count).select_from(Trainer).where(Trainer.client_id == client_id)),
            "active_trainers": session.scalar(
                select(count).select_from(Trainer).where(Trainer.client_id == client_id, Trainer.active.is_(True))),
            "registered_trainer_accounts": session.scalar(
                select(count).select_from(TrainerAccount).where(TrainerAccount.client_id == client_id)),
        }
