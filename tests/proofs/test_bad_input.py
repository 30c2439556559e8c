"""Bad input to every write: every POST/PUT/PATCH/DELETE of the merged OpenAPI that takes a JSON body gets
oversized bodies, 10,000-character strings, huge numbers, wrong types, nulls, malformed JSON, unknown fields and
invalid dates, times and timezones, each on top of a body that is otherwise valid, from a role allowed to call it.
Every answer is a clean 4xx in the error envelope, and no service's database gains or loses a row (the row
count of every table of every service, before and after each operation's batch). Lists get huge `page` and
`limit` values too, and answer without a server error; ids no row can have (huge, negative, not numbers) in the
path of every route that takes one answer a clean 4xx.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from tests.proofs.bodies import body_for, query_for, takes_body
from tests.proofs.policy import POLICY
from tests.proofs.world import fill, path_params, world_fixture  # noqa: F401 (the fixture)

LONG = "x" * 10_000
OVERSIZED = 1024 * 1024 + 1  # one byte over the gateway's body cap (gateway/routes.toml max_body)
CALLER_PREFERENCE = ("trainer", "user", "admin", "staff", "anonymous")
WRONG_TYPE = {"string": [12345, True], "integer": ["twelve", "12", 2.5, True], "number": ["lots", "75", False],
              "boolean": ["maybe", 0, "true"], "array": ["not-a-list"], "object": ["not-an-object"]}
HUGE = ["1" + "0" * 30, "-1" + "0" * 30, "1e400", "-1e400", "123456789012345678901234567890.5"]  # raw JSON
BAD_TEXT = {"date": ["2026-02-30", "2026-13-01", "tomorrow", "0000-00-00"],
            "date-time": ["2026-13-01T25:00:00Z", "2026-02-30T10:00:00+00:00", "now", "2026-03-01T10:00:00+99:00"]}
BAD_TIMES = ["25:00", "12:60", "noon", "9:00:00:00"]
BAD_ZONES = ["Mars/Olympus", "Europe/Londres", "UTC+25", "../../etc/passwd"]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def field_values(name: str, prop: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(what, raw JSON value) for one field: each a value its schema refuses."""
    kind = prop.get("type", "string")
    yield from (("wrong type", json.dumps(value)) for value in WRONG_TYPE.get(kind, [12345]))
    if not prop.get("nullable"):
        yield "null", "null"
    if kind == "string":
        yield "10,000 characters", json.dumps(LONG)
        for bad in BAD_TEXT.get(prop.get("format", ""), []):
            yield "invalid date", json.dumps(bad)
        if name.endswith("Time"):
            yield from (("invalid time", json.dumps(bad)) for bad in BAD_TIMES)
        if name == "timezone":
            yield from (("invalid timezone", json.dumps(bad)) for bad in BAD_ZONES)
        if "enum" in prop:
            yield "outside the enum", json.dumps("not-one-of-them")
    elif kind in ("integer", "number"):
        yield from (("huge number", raw) for raw in HUGE)
    elif kind == "array":
        yield "10,000-character item", json.dumps([LONG])
        yield "10,000 items", json.dumps(["x"] * 10_000)


def bad_bodies(spec: dict[str, Any], operation: dict[str, Any], valid: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(what, raw body): whole-body faults, then each field's bad values in an otherwise valid body."""
    schema = resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    yield "malformed JSON", '{"broken": '
    yield "not an object", "[]"
    yield "a bare string", '"just text"'
    yield "unknown field", json.dumps({**valid, "surpriseField": True})
    yield "oversized body", json.dumps({**valid, "padding": "x" * OVERSIZED})
    for name, prop in schema.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        prop = resolve(spec, prop)
        for what, raw in field_values(name, prop):
            rest = json.dumps({k: v for k, v in valid.items() if k != name})
            joined = rest[:-1] + (", " if rest != "{}" else "") + f'"{name}": {raw}' + "}"
            yield f"{name}: {what}", joined


def row_counts(platform) -> dict[str, int]:
    """Rows in every table of every service's database."""
    counts = {}
    for service, container in platform.containers.items():
        with container.db.unit_of_work(write=False) as session:
            for table in container.db.metadata.sorted_tables:
                counts[f"{service}.{table.name}"] = session.execute(select(func.count()).select_from(table)).scalar()
    return counts


def caller(path_key: str) -> str:
    roles = POLICY[path_key].roles
    return next(role for role in CALLER_PREFERENCE if role in roles)


def is_clean_4xx(status: int, raw: bytes) -> bool:
    try:
        payload = json.loads(raw)
    except ValueError:
        return False
    return 400 <= status < 500 and payload.get("success") is False and "code" in payload.get("error", {})


def test_every_write_refuses_bad_input_cleanly_and_changes_nothing(world):
    tenant, spec = world.tenants[0], world.spec
    writes = [(m, p, op) for m, p, op in world.operations() if m != "GET" and takes_body(op)]
    tried, unclean, changed, statuses = 0, [], [], {}
    counted = row_counts(world.platform)
    assert len(counted) >= 25 and sum(counted.values()) > 50, "the row counts see every service's seeded tables"
    for number, (method, path, operation) in enumerate(writes):
        key = f"{method} {path}"
        valid = body_for(method, path, operation, tenant)
        headers = {**tenant.headers(caller(key)), "Content-Type": "application/json"}
        url = fill(path, tenant.ids) + query_for(operation)
        before = row_counts(world.platform)
        for what, raw in bad_bodies(spec, operation, valid):
            response = world.client.open(url, method=method, data=raw, headers=headers,
                                         environ_base={"REMOTE_ADDR": f"10.9.{number}.1"})
            tried += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if not is_clean_4xx(response.status_code, response.get_data()):
                unclean.append((key, what, response.status_code, response.get_data()[:300]))
        after = row_counts(world.platform)
        if after != before:
            changed.append((key, {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}))
    print(f"\nbad input: {len(writes)} writes, {tried} requests, {len(counted)} tables counted, answers by status "
          f"{dict(sorted(statuses.items()))}, {len(unclean)} not a clean 4xx, "
          f"{len(changed)} writes that changed a database")
    assert unclean == [], "\n".join(map(str, unclean))
    assert changed == []


def test_lists_take_huge_pages_and_limits_without_a_server_error(world):
    tenant, failures, tried = world.tenants[0], [], 0
    lists = [(m, p, op) for m, p, op in world.operations()
             if m == "GET" and {"page", "limit"} <= {q["name"] for q in op.get("parameters", [])}]
    for method, path, operation in lists:
        headers = tenant.headers(caller(f"{method} {path}"))
        base = fill(path, tenant.ids) + (query_for(operation) or "?")
        for query in ("page=1" + "0" * 30, "limit=1" + "0" * 30, "page=-5", "limit=-5", "limit=1e400", "page=abc"):
            status, raw = world.send(method, f"{base}&{query}", None, headers)
            tried += 1
            if status >= 500 or (status >= 400 and not is_clean_4xx(status, raw)):
                failures.append((path, query, status, raw[:200]))
    print(f"\nhuge pages and limits: {len(lists)} lists, {tried} requests, {len(failures)} failures")
    assert len(lists) >= 5 and failures == []


def test_ids_in_paths_that_no_row_can_have_answer_a_clean_4xx(world):
    tenant, failures, tried = world.tenants[0], [], 0
    routes = [(m, p, op) for m, p, op in world.operations() if path_params(p)]
    for method, path, operation in routes:
        headers = tenant.headers(caller(f"{method} {path}"))
        body = body_for(method, path, operation, tenant)
        for bad in ("1" + "0" * 30, str(2**31), str(2**63), "-1", "0", "abc", "1.5"):
            status, raw = world.send(method, fill(path, {}, bad) + query_for(operation), body, headers)
            tried += 1
            if not is_clean_4xx(status, raw):
                failures.append((method, path, bad, status, raw[:200]))
    print(f"\nids no row can have: {len(routes)} routes, {tried} requests, {len(failures)} not a clean 4xx")
    assert failures == []
