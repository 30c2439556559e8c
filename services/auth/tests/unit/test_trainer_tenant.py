"""Which tenant a trainer request speaks for."""
from __future__ import annotations

import pytest
from stvos_auth.domain.errors import TenantMismatch
from stvos_auth.domain.model import resolve_tenant


def test_api_key_decides_the_tenant():
    assert resolve_tenant(3, None) == 3
    assert resolve_tenant(3, 3) == 3


def test_client_id_naming_another_tenant_than_the_api_key_is_refused():
    with pytest.raises(TenantMismatch):
        resolve_tenant(3, 4)


def test_with_the_master_key_the_body_may_choose_or_leave_it_open():
    assert resolve_tenant(None, 4) == 4
    assert resolve_tenant(None, None) is None
