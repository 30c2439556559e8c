"""Pages of the trainer list remembered with the tenant's directory version: asked again, one statement reads the
version instead of the page; every change the list shows moves the version in its own transaction, so nobody
is ever answered from before it."""
from __future__ import annotations

import pytest

from services.catalog.tests.support import data
from tests.fixtures.queries import queries, recorded_statements


def listed(gateway, catalog, path: str, headers: dict[str, str]) -> tuple[dict, list[str]]:
    """The list's answer and the statements the catalog sent for it."""
    gateway.platform.flush()
    with recorded_statements(catalog.db.engine) as statements:
        response = gateway.client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return data(response), queries(statements)


def read_the_page(sent: list[str]) -> bool:
    """Whether the statements read trainers (the page), rather than only the tenant's directory version."""
    return any(" trainers" in statement for statement in sent)


@pytest.fixture
def tenant_with_page(studio, gateway, catalog):
    """A tenant with two trainers whose first page a user has read once."""
    tenant = studio()
    mike, anna = tenant.trainer("Coach Mike"), tenant.trainer("Coach Anna")
    user = tenant.user()
    first, sent = listed(gateway, catalog, "/trainers", user)
    assert len(sent) == 1 and read_the_page(sent), sent
    return tenant, user, first, (mike, anna)


def names(answer: dict) -> list[str]:
    return [trainer["name"] for trainer in answer["trainers"]]


def test_a_page_asked_again_is_the_same_answer_after_one_statement_that_reads_no_trainer(tenant_with_page, gateway,
                                                                                          catalog):
    _, user, first, _ = tenant_with_page
    again, sent = listed(gateway, catalog, "/trainers", user)
    assert again == first
    assert len(sent) == 1 and not read_the_page(sent), sent


def test_a_remembered_page_is_sent_as_the_very_bytes_of_its_first_answer(tenant_with_page, gateway, catalog):
    tenant, user, _, _ = tenant_with_page
    first, again = (gateway.get("/trainers?search=coach", headers=user) for _ in range(2))
    assert again.status_code == 200 and again.mimetype == "application/json"
    assert again.get_data() == first.get_data() and first.get_json()["data"]["pagination"]["total"] == 2
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]  # each request its own id
    tenant.trainer("Coach Zoe")
    assert gateway.get("/trainers?search=coach", headers=user).get_json()["data"]["pagination"]["total"] == 3


def test_each_query_of_the_list_is_its_own_page(tenant_with_page, gateway, catalog):
    _, user, first, _ = tenant_with_page
    searched, sent = listed(gateway, catalog, "/trainers?search=anna", user)
    assert names(searched) == ["Coach Anna"] and read_the_page(sent)
    limited, sent = listed(gateway, catalog, "/trainers?limit=1", user)
    assert names(limited) == ["Coach Anna"] and limited["pagination"]["totalPages"] == 2 and read_the_page(sent)
    assert listed(gateway, catalog, "/trainers", user)[0] == first


def test_every_change_the_list_shows_is_seen_by_the_next_request(tenant_with_page, gateway, catalog, platform):
    tenant, user, _, (mike, anna) = tenant_with_page
    tenant.update_trainer(mike, name="Coach Michael")  # the partner admin's change
    answer, sent = listed(gateway, catalog, "/trainers", user)
    assert names(answer) == ["Coach Anna", "Coach Michael"] and len(sent) == 2, sent  # stale: version, then page
    changed = gateway.put("/trainer-portal/profile", json={"bio": "Strength and mobility."},
                          headers=tenant.trainer_headers(anna))  # the trainer's own change
    assert changed.status_code == 200, changed.get_json()
    assert listed(gateway, catalog, "/trainers", user)[0]["trainers"][0]["bio"] == "Strength and mobility."
    zoe = tenant.trainer("Coach Zoe")
    assert names(listed(gateway, catalog, "/trainers", user)[0]) == ["Coach Anna", "Coach Michael", "Coach Zoe"]
    tenant.deactivate_trainer(zoe)
    answer = listed(gateway, catalog, "/trainers", user)[0]
    assert names(answer) == ["Coach Anna", "Coach Michael"] and answer["pagination"]["total"] == 2


def test_another_tenants_changes_leave_a_tenants_pages_as_they_were_read(tenant_with_page, studio, gateway, catalog):
    _, user, first, _ = tenant_with_page
    other = studio()
    other.update_trainer(other.trainer("Coach Elsewhere"), name="Coach Elsewhere Again")
    again, sent = listed(gateway, catalog, "/trainers", user)
    assert again == first and not read_the_page(sent), sent


def test_a_partner_record_that_changes_nothing_listed_keeps_the_pages(tenant_with_page, gateway, catalog):
    tenant, user, first, (mike, _) = tenant_with_page
    tenant.update_trainer(mike, name="Coach Mike")  # the same record again: no catalog.trainer.updated either
    again, sent = listed(gateway, catalog, "/trainers", user)
    assert again == first and not read_the_page(sent), sent


def test_pages_are_held_up_to_the_configured_number_of_trainers(tenant_with_page, gateway, catalog):
    _, user, _, _ = tenant_with_page
    catalog.directory.pages.capacity = 3  # a page of two trainers weighs three: one page at a time
    listed(gateway, catalog, "/trainers?search=coach", user)  # the first page is dropped for this one
    assert read_the_page(listed(gateway, catalog, "/trainers", user)[1])
    assert not read_the_page(listed(gateway, catalog, "/trainers", user)[1])
