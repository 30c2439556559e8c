"""Tenant matrix: every route of the merged OpenAPI that takes an id, called by every role of one tenant with the
other tenant's ids, never succeeds, and answers byte for byte (status and body) what an id that exists nowhere
answers. The routes come from the OpenAPI, so a new route is covered without a change here; a route whose id
parameter the seed cannot fill fails the suite.

A control keeps the proof honest: for every route, some role's call with its own tenant's ids answers otherwise
than the missing id (the request reaches the lookup, rather than failing validation the same way both times).
"""
from __future__ import annotations

import shutil

import pytest
from stvos_runner.openapi_merge import merged_spec

from tests.e2e.nginx_harness import NginxGateway, Upstreams
from tests.proofs.bodies import body_for, missing_bodies, query_for
from tests.proofs.world import MISSING_ID, ROLES, fill, id_source, path_params, world_fixture  # noqa: F401 (the fixture)

CONTROL_ROLES = ("trainer", "user", "admin", "staff", "anonymous")
# Controls change state: reads first, writes next, and what ends an account or a record last.
_ENDINGS = ("/deactivate", "/reset-account", "/cancel", "/invitation")


@pytest.fixture(scope="module", params=["embedded", "nginx"])
def send(request, world, tmp_path_factory):
    """A call through one of the two gateways: (method, path, body, headers) -> (status, body bytes)."""
    if request.param == "embedded":
        yield world.send
        return
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (.ci/run installs nginx-light)")
    platform = world.platform
    upstreams = Upstreams(platform.apps)
    gateway = NginxGateway(tmp_path_factory.mktemp("nginx"), platform.table, upstreams.ports,
                           openapi=merged_spec(platform.apps, platform.table))

    def over_nginx(method, path, body, headers):
        response = gateway.request(method, path, json=body, headers=headers)
        return response.status_code, response.content

    yield over_nginx
    gateway.stop()
    upstreams.close()


def id_routes(world) -> list[tuple[str, str, dict]]:
    return [(m, p, op) for m, p, op in world.operations() if path_params(p)]


def test_every_id_parameter_has_a_source_in_the_seed(world):
    unfilled = [f"{m} {p} {{{name}}}" for m, p, _ in id_routes(world) for name in path_params(p)
                if id_source(p, name) is None]
    assert unfilled == [], "routes whose id the seed cannot fill (add the id to tests/proofs/world.py)"
    assert missing_bodies(id_routes(world)) == [], "add a valid body to tests/proofs/bodies.py"


def test_another_tenants_ids_answer_exactly_like_missing_ones(world, send, request):
    routes = id_routes(world)
    tried, successes, differences = 0, [], []
    for caller, owner in (world.tenants, world.tenants[::-1]):
        for role in ROLES:
            headers = caller.headers(role)
            for method, path, operation in routes:
                body, query = body_for(method, path, operation, owner), query_for(operation)
                foreign = send(method, fill(path, owner.ids) + query, body, headers)
                missing = send(method, fill(path, owner.ids, MISSING_ID) + query, body, headers)
                tried += 2
                if 200 <= foreign[0] < 300:
                    successes.append((caller.name, role, method, path, foreign))
                elif foreign != missing:
                    differences.append((caller.name, role, method, path, foreign, missing))
    print(f"\ntenant matrix through the {request.node.callspec.params['send']} gateway: {len(routes)} routes "
          f"with ids x {len(ROLES)} roles x 2 tenants, {tried} requests, "
          f"{len(successes)} successes, {len(differences)} answers unlike a missing id")
    assert successes == []
    assert differences == []


def test_own_ids_reach_the_lookup_on_every_route(world):
    """The control: with its own tenant's ids some role gets an answer other than the missing id's."""
    routes = sorted(id_routes(world), key=lambda r: (r[1].endswith(_ENDINGS), r[0] == "DELETE", r[0] != "GET"))
    unreached = []
    tenant = world.tenants[0]
    for method, path, operation in routes:
        body, query = body_for(method, path, operation, tenant), query_for(operation)
        for role in CONTROL_ROLES:
            headers = tenant.headers(role)
            own = world.send(method, fill(path, tenant.ids) + query, body, headers)
            if own != world.send(method, fill(path, tenant.ids, MISSING_ID) + query, body, headers):
                break
        else:
            unreached.append(f"{method} {path}: {own}")
    print(f"\ntenant matrix control: {len(routes) - len(unreached)} of {len(routes)} routes reach their lookup")
    assert unreached == []
