"""The partner service's voucher API, as the registration use case needs it."""
from __future__ import annotations

from dataclasses import dataclass

from stvos_shared.reservations import ReservationApi
from stvos_shared.service_client import ServiceClient

from ..domain.errors import VoucherInvalid


@dataclass(frozen=True)
class Redemption:
    id: int
    code: str


Vouchers = ReservationApi[Redemption]


def partner_vouchers(client: ServiceClient) -> Vouchers:
    """POST /internal/vouchers/redeem and .../release on the partner service: VoucherInvalid (422) or
    ServiceUnavailable (503) when no use could be reserved."""
    return ReservationApi(client, "/internal/vouchers", "partner", "voucher", VoucherInvalid,
                          lambda answer, code: Redemption(int(answer["id"]), str(answer.get("code") or code)))
