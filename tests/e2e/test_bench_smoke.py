"""A short run of `make bench`'s load section (bench/load.py --smoke): its correctness figures, never its speed.

The stack comes up under wrk with the gateway's limits raised; every scenario answers without a 5xx, the 64
callers on one slot get exactly one 201, the class fills to its capacity and no further, and each request sends
the SQL the integration tests allow.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from stvos_gateway import nginx

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import load  # noqa: E402
import wrk  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(wrk.find_wrk() is None, reason="wrk is not installed (Debian: apt-get install -y wrk)"),
    pytest.mark.skipif(nginx.find_nginx() is None,
                       reason="nginx is not installed (Debian: apt-get install nginx-light)"),
]

# The most SQL statements one request of each scenario may send (the same bounds as the integration tests).
MOST_QUERIES = {"GET /auth/me": 1, "GET /trainers?page=N": 1, "GET /trainers?search=...": 1, "GET /trainers/:id": 2,
                "GET availability, 7 days": 2, "GET availability, 28 days": 2, "GET /my-bookings/sessions": 1,
                "POST book, free slots": 6, "POST join, class at capacity (409)": 6}


@pytest.fixture(scope="module")
def report(postgres_url, amqp_url, tmp_path_factory):
    options = load.Options(seconds=1, rounds=1, trainers=200, bookable=4, connections=4, class_capacity=10,
                           class_callers=24, paced=False, postgres_url=postgres_url, amqp_url=amqp_url)
    return load.measure(options, tmp_path_factory.mktemp("bench-load"))


def test_no_scenario_answers_a_5xx(report):
    for name, row in report["results"].items():
        assert row.runs, name
        assert not [status for status in row.statuses if status >= 500], (name, row.statuses)
        assert sum(row.statuses.values()) > 0, name


def test_reads_succeed_and_writes_are_created_or_refused_as_conflicts(report):
    for name, row in report["results"].items():
        allowed = {201, 409} if row.write else {200}
        assert set(row.statuses) <= allowed, (name, row.statuses)
    assert set(report["results"]["POST join, class at capacity (409)"].statuses) == {409}
    assert 201 in report["results"]["POST book, free slots"].statuses


def test_the_contested_slot_has_exactly_one_winner(report):
    assert report["contests"]["64 callers on one free slot"]["statuses"] == {201: 1, 409: 63}


def test_the_class_fills_to_its_capacity_and_no_further(report):
    assert report["contests"]["24 callers join a class of 10"]["statuses"] == {201: 10, 409: 14}


def test_each_request_sends_the_sql_the_tests_allow(report):
    for name, most in MOST_QUERIES.items():
        sent = report["results"][name].queries
        assert sent is not None and 1 <= sent <= most, (name, sent)
    assert report["results"]["GET /auth/me"].queries == 1
    assert report["write_queries"]["join (201)"] <= 6


def test_the_report_names_each_ratio_and_the_machine(report):
    import load_report

    text = load_report.markdown(report)
    for shown in ("| ceiling: bare Flask through nginx |", "(≥ 0.8)", "(≥ 0.5)", "(≥ 0.4)", "pgbench", "| python |"):
        assert shown in text, shown


def test_pgbench_measures_the_database_when_installed(report):
    import shutil

    if shutil.which("pgbench") is None:
        assert "pgbench is not installed" in report["pgbench"]["skipped"]
    else:
        assert report["pgbench"].get("tps", 0) > 0, report["pgbench"]


def test_each_read_says_what_cpu_each_part_of_the_stack_spent_on_it(report):
    import load_report

    for name in ("GET /auth/me", "GET /trainers?page=N", "GET /trainers/:id"):
        spent = load_report.cpu_median(report["results"][name])
        assert set(spent) == {"services", "postgresql", "nginx", "wrk"}, name
        assert spent["services"] > 0 and spent["nginx"] > 0, (name, spent)
    assert "CPU µs/req: services, PostgreSQL, nginx, wrk" in load_report.markdown(report)
