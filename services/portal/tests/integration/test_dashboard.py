"""The dashboard's figures equal what a known sequence of bookings, joins, subscriptions and cancellations implies."""
from __future__ import annotations

from services.portal.tests.support.harness import Clock
from services.portal.tests.support.sequence import (
    ALICE,
    BOB,
    C50,
    GBP_MONTH,
    GBP_TODAY,
    GBP_WEEK,
    NOW,
    USD_MONTH,
    USD_WEEK,
    known_sequence,
)
from tests.fixtures.queries import queries, recorded_statements


def test_revenue_today_this_week_and_this_month_in_the_trainers_timezone(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())

    revenue = portal.data("GET", "/trainer-portal/dashboard")["revenue"]

    assert revenue == {
        "today": [{"amount": GBP_TODAY, "currency": "GBP"}, {"amount": 0.0, "currency": "USD"}],
        "thisWeek": [{"amount": GBP_WEEK, "currency": "GBP"}, {"amount": USD_WEEK, "currency": "USD"}],
        "thisMonth": [{"amount": GBP_MONTH, "currency": "GBP"}, {"amount": USD_MONTH, "currency": "USD"}],
    }


def test_todays_bookings_are_the_sessions_and_classes_of_the_trainers_day(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())

    dashboard = portal.data("GET", "/trainer-portal/dashboard")

    assert dashboard["timezone"] == "Asia/Tokyo"
    assert dashboard["today"]["date"] == "2026-03-04"
    bookings = dashboard["today"]["bookings"]
    assert [(b["type"], b["id"], b["time"]) for b in bookings] == [
        ("session", 101, "12:00"), ("class", C50, "18:00"), ("session", 102, "23:00")]
    assert bookings[0]["status"] == "completed"
    assert bookings[0]["client"] == {"userId": BOB, "name": "Bob"}
    assert bookings[1]["participants"] == 1  # Carol cancelled her place
    assert bookings[1]["client"] is None and bookings[1]["status"] is None
    assert bookings[2]["startsAt"] == "2026-03-04T14:00:00+00:00"


def test_this_weeks_summary_counts_sessions_classes_new_clients_and_cancellations(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())

    week = portal.data("GET", "/trainer-portal/dashboard")["thisWeek"]

    assert week == {"startDate": "2026-03-02", "endDate": "2026-03-08", "sessions": 4, "classes": 1,
                    "newClients": 2, "cancellations": 2}


def test_upcoming_sessions_are_the_confirmed_ones_ahead_soonest_first(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())

    upcoming = portal.data("GET", "/trainer-portal/dashboard")["upcomingSessions"]

    assert [(s["id"], s["date"], s["time"]) for s in upcoming] == [
        (102, "2026-03-04", "23:00"), (103, "2026-03-05", "01:00"), (108, "2026-03-05", "12:00"),
        (106, "2026-03-20", "10:00")]
    assert upcoming[0]["client"] == {"userId": ALICE, "name": "Alice"}
    assert upcoming[0]["name"] == "1-on-1 Training"


def test_a_new_trainer_sees_an_empty_dashboard_in_utc(portal):
    dashboard = portal.data("GET", "/trainer-portal/dashboard")

    assert dashboard["timezone"] == "UTC"
    assert dashboard["today"]["bookings"] == [] and dashboard["upcomingSessions"] == []
    assert dashboard["revenue"] == {"today": [], "thisWeek": [], "thisMonth": []}
    assert dashboard["thisWeek"]["sessions"] == 0


def test_the_dashboard_reads_in_five_queries(make_portal):
    portal = make_portal(Clock(NOW))
    portal.deliver(*known_sequence())
    portal.data("GET", "/trainer-portal/dashboard")  # keys fetched, engine warm

    with recorded_statements(portal.container.db.engine) as statements:
        portal.data("GET", "/trainer-portal/dashboard")

    assert len(queries(statements)) == 5
