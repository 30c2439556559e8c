"""The partner of a tenant and the names it goes by (used by several use cases, inside their unit of work)."""
from __future__ import annotations

from ..adapters.orm import Partner
from ..adapters.repository import Repositories


def partner_name(repos: Repositories, client_id: int) -> str:
    """The partner's own name, else the tenant's name, else a neutral one."""
    client, partner = repos.tenants.names(client_id)
    return partner or client or f"Partner {client_id}"


def client_name(repos: Repositories, client_id: int) -> str:
    """The tenant's name as auth announced it (the partner's until that event arrives)."""
    client, partner = repos.tenants.names(client_id)
    return client or partner or f"Partner {client_id}"


def ensure_partner(repos: Repositories, client_id: int, name: str | None = None) -> Partner:
    """The partner of `client_id`, created on first use (one partner per tenant)."""
    partner = repos.tenants.partner(client_id)
    if partner is None:
        return repos.tenants.add_partner(Partner(client_id=client_id, name=name))
    if name and not partner.name:
        partner.name = name
    return partner
