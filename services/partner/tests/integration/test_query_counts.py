"""What a partner request costs the partner database: the statements it sends are part of its correctness."""
from __future__ import annotations

from tests.fixtures.queries import queries, recorded_statements


def _partner_queries(gateway, partner, path: str, headers: dict[str, str]) -> tuple[int, list[str]]:
    """(status, the partner's data statements) of one GET sent by the raw client (no event flushing)."""
    gateway.platform.flush()
    with recorded_statements(partner.db.engine) as statements:
        response = gateway.client.get(path, headers=headers)
    return response.status_code, queries(statements)


def test_a_partner_request_loads_its_staff_member_and_session_in_one_query(make_tenant, gateway, partner):
    tenant = make_tenant()
    gateway.get("/partner/vouchers", headers=tenant.admin)  # the verifier has met the signing key
    status, sent = _partner_queries(gateway, partner, "/partner/staff?limit=1", tenant.admin)
    assert status == 200
    principal = [statement for statement in sent if "refresh_families" in statement and "staff" in statement]
    assert len(principal) == 1 and len(sent) == 3, sent  # the principal, then the page's count and rows


def test_me_costs_one_query_for_the_principal_and_one_for_the_tenant_name(make_tenant, gateway, partner):
    tenant = make_tenant()
    gateway.get("/partner-auth/me", headers=tenant.admin)
    status, sent = _partner_queries(gateway, partner, "/partner-auth/me", tenant.admin)
    assert status == 200
    assert len(sent) == 2, sent


def test_the_overview_is_one_query_after_the_principal(make_tenant, gateway, partner):
    tenant = make_tenant()
    gateway.get("/partner/overview", headers=tenant.staff)
    status, sent = _partner_queries(gateway, partner, "/partner/overview", tenant.staff)
    assert status == 200
    assert len(sent) == 2, sent
