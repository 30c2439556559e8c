"""Catalog fixtures: studios (tenants) made through the platform, the catalog's container and its app."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from services.catalog.tests.support import Studio, make_studio


@pytest.fixture
def catalog(platform):
    """The catalog service's container inside the embedded platform."""
    return platform.containers["catalog"]


@pytest.fixture
def studio(platform, gateway) -> Callable[[], Studio]:
    """Make a tenant with a partner admin signed in."""
    return lambda: make_studio(platform, gateway)
