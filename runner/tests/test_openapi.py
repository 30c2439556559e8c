"""The committed OpenAPI files match the running apps, and the gateway serves the merged document."""
from __future__ import annotations

import pytest
from stvos_runner.openapi import committed_path, render
from stvos_runner.openapi_merge import service_spec
from stvos_runner.services import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_committed_openapi_matches_the_app(platform, service):
    committed = committed_path(service)
    assert committed.exists(), f"run `make openapi` to write {committed}"
    assert committed.read_text() == render(service_spec(platform.apps[service])), \
        f"{committed} is stale: run `make openapi`"


def test_every_operation_has_a_summary(platform):
    for service, app in platform.apps.items():
        for path, operations in service_spec(app)["paths"].items():
            for method, operation in operations.items():
                if method == "parameters":
                    continue
                assert operation.get("summary"), f"{service} {method.upper()} {path} has no summary"


def test_gateway_serves_merged_openapi_without_internal_paths(gateway):
    spec = gateway.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert not [path for path in spec["paths"] if path.startswith("/internal")]
    assert gateway.get("/docs").status_code == 200
