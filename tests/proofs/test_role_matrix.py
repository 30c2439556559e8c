"""Role matrix: anonymous, user, trainer, partner staff and partner admin x every operation of the merged OpenAPI,
checked against the one policy table (tests/proofs/policy.py). An allowed role never gets 401/403; a denied role
gets 401 or 403 (404 where the policy says that is the documented answer) in the error envelope. An operation
missing from the policy, or a policy entry whose operation is gone, fails the suite.

Each role calls with its own tenant's ids and a valid body, reads before writes and what ends a session or a
record last, so an allowed call is refused only by the rule it proves.
"""
from __future__ import annotations

import json

from tests.proofs.bodies import body_for, missing_bodies, query_for, stale_bodies
from tests.proofs.policy import POLICY, denied_statuses
from tests.proofs.world import ROLES, fill, world_fixture  # noqa: F401 (the fixture)

_ENDINGS = ("/deactivate", "/reset-account", "/cancel", "/invitation")


def ordered(operations):
    """Reads, then writes, then deletions and what ends a record, and signing out last of all."""
    return sorted(operations, key=lambda o: (o[1].endswith("/logout"), o[1].endswith(_ENDINGS), o[0] == "DELETE",
                                             o[0] != "GET", o[1]))


def test_the_policy_names_every_operation_and_only_those(world):
    operations = {f"{m} {p}" for m, p, _ in world.operations()}
    assert sorted(operations - set(POLICY)) == [], "operations without a decision (add them to policy.py)"
    assert sorted(set(POLICY) - operations) == [], "policy entries whose operation no longer exists"
    assert missing_bodies(world.operations()) == [] and stale_bodies(world.operations()) == []


def _envelope_error(raw: bytes) -> bool:
    try:
        payload = json.loads(raw)
    except ValueError:
        return False
    return payload.get("success") is False and isinstance(payload.get("error", {}).get("code"), str)


def test_every_role_gets_exactly_what_the_policy_allows(world):
    tenant, wrong, tried, allowed_calls = world.tenants[0], [], 0, 0
    operations = ordered(list(world.operations()))
    for role in ROLES:
        for method, path, operation in operations:
            key = f"{method} {path}"
            rule = POLICY[key]
            url = fill(path, tenant.ids) + query_for(operation)
            status, raw = world.send(method, url, body_for(method, path, operation, tenant), tenant.headers(role))
            tried += 1
            if role in rule.roles:
                allowed_calls += 1
                if status in (401, 403) or status >= 500:
                    wrong.append((role, key, "allowed", status, raw[:200]))
            elif status not in denied_statuses(rule) or not _envelope_error(raw):
                wrong.append((role, key, "denied", status, raw[:200]))
    print(f"\nrole matrix: {len(operations)} operations x {len(ROLES)} roles, {tried} requests "
          f"({allowed_calls} allowed, {tried - allowed_calls} denied), {len(wrong)} off the policy")
    assert wrong == []
