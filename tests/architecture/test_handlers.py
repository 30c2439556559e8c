"""Every event a service consumes is named exactly in its HANDLERS table, and has a contract."""
from __future__ import annotations

import importlib

import pytest
from stvos_shared.contracts.base import REGISTRY

SERVICES = ("auth", "partner", "catalog", "booking", "portal")
KNOWN_TYPES = {event_type for event_type, _version in REGISTRY}


@pytest.mark.parametrize("service", SERVICES)
def test_a_handler_table_names_event_types_with_contracts_not_patterns(service):
    handlers = importlib.import_module(f"stvos_{service}.service.handlers").HANDLERS
    unknown = sorted(key for key in handlers if key not in KNOWN_TYPES)
    assert not unknown, f"stvos_{service} handles {unknown}: name each contracted type (a pattern such as " \
                        "partner.trainer.* would also take events its handler cannot read)"
