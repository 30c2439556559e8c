"""The catalog service's invite code API, as the registration use case needs it."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.reservations import ReservationApi
from stvos_shared.service_client import ServiceClient

from ..domain.errors import InviteInvalid


@dataclass(frozen=True)
class InviteRedemption:
    id: int
    code: str
    trainer_id: int


Invites = ReservationApi[InviteRedemption]


def catalog_invites(client: ServiceClient) -> Invites:
    """POST /internal/invite-codes/redeem and .../release on the catalog service: InviteInvalid (422) or
    ServiceUnavailable (503) when no use could be reserved. A code the catalog's schema refuses (too long) is
    no code of this client."""
    return ReservationApi(
        client, "/internal/invite-codes", "catalog", "invite code", InviteInvalid,
        lambda answer, code: InviteRedemption(int(answer["id"]), str(answer.get("code") or code),
                                              int(answer["trainerId"])),
        refused=lambda: InviteInvalid(details={"reason": "NOT_FOUND"}))
