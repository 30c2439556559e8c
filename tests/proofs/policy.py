"""Who may do what: the one policy table of the platform, for every operation of the merged OpenAPI.

Roles: `anonymous` (the tenant's API key, no token), `user`, `trainer`, `staff` and `admin` (partner staff).
An operation missing here fails the role matrix (deny by default: a new endpoint cannot ship without a decision),
and so does an entry whose operation is gone. A denied role answers 401 or 403 in the error envelope, or, where
`denied_as` says so, the status the API documents for it (404 hides what the caller may not know exists).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    denied_as: tuple[int, ...] = (401, 403)


def allow(*roles: str, denied_as: tuple[int, ...] = (401, 403)) -> Rule:
    return Rule(frozenset(roles), denied_as)


EVERYONE = allow("anonymous", "user", "trainer", "staff", "admin")  # sign-in steps: the API key (or none) is all
MEMBERS = allow("user", "trainer")  # signed-in people of the tenant's app: users and trainers
USER = allow("user")  # what a user books and follows
TRAINER = allow("trainer")  # the trainer portal
PARTNER = allow("staff", "admin")  # partner staff reads
ADMIN = allow("admin")  # partner admin writes

POLICY: dict[str, Rule] = {
    # auth: users and trainers sign in
    "POST /auth/register": EVERYONE, "POST /auth/login": EVERYONE, "POST /auth/refresh": EVERYONE,
    "POST /auth/logout": MEMBERS, "GET /auth/me": MEMBERS,
    "POST /auth/voucher/validate": EVERYONE,
    "POST /trainer-auth/check-email": EVERYONE, "POST /trainer-auth/register": EVERYONE,
    "POST /trainer-auth/login": EVERYONE,
    "POST /invite/check": EVERYONE,
    # partner: staff sign in, staff read, admins write
    "POST /partner-auth/login": EVERYONE, "POST /partner-auth/refresh": EVERYONE,
    "GET /partner-auth/me": PARTNER, "POST /partner-auth/logout": PARTNER,
    "GET /partner/overview": PARTNER, "GET /partner/settings": PARTNER, "PUT /partner/settings": ADMIN,
    "GET /partner/staff": PARTNER, "POST /partner/staff": ADMIN,
    "GET /partner/trainers": PARTNER, "POST /partner/trainers": ADMIN,
    "GET /partner/trainers/{trainer_id}": PARTNER, "PUT /partner/trainers/{trainer_id}": ADMIN,
    "POST /partner/trainers/{trainer_id}/deactivate": ADMIN,
    "POST /partner/trainers/{trainer_id}/invitation": ADMIN,
    "POST /partner/trainers/{trainer_id}/reset-account": ADMIN,
    "GET /partner/vouchers": PARTNER, "POST /partner/vouchers": ADMIN,
    "GET /partner/vouchers/{voucher_id}/redemptions": PARTNER,
    # the tenant's directory of trainers: anyone signed in to the app
    "GET /trainers": MEMBERS, "GET /trainers/{trainer_id}": MEMBERS,
    "GET /trainers/{trainer_id}/services": MEMBERS, "GET /trainers/{trainer_id}/classes": MEMBERS,
    "GET /trainers/{trainer_id}/availability": MEMBERS,
    # booking as a member: users only (a trainer's account is for the portal)
    "POST /trainers/{trainer_id}/book": USER, "POST /trainers/classes/{class_id}/join": USER,
    "POST /trainers/{trainer_id}/programmes/subscribe": USER, "GET /trainers/{trainer_id}/my-bookings": USER,
    "GET /my-bookings/summary": USER,
    "GET /my-bookings/sessions": USER, "GET /my-bookings/sessions/upcoming": USER,
    "GET /my-bookings/sessions/{booking_id}": USER, "POST /my-bookings/sessions/{booking_id}/cancel": USER,
    "GET /my-bookings/group-classes": USER, "GET /my-bookings/group-classes/upcoming": USER,
    "POST /my-bookings/group-classes/{class_id}/cancel": USER,
    "GET /my-bookings/programmes": USER, "GET /my-bookings/programmes/{subscription_id}": USER,
    "POST /my-bookings/programmes/{subscription_id}/pause": USER,
    "POST /my-bookings/programmes/{subscription_id}/resume": USER,
    "POST /my-bookings/programmes/{subscription_id}/cancel": USER,
    # the trainer portal: the trainer alone
    **{f"{method} /trainer-portal/{path}": TRAINER for method, path in [
        ("GET", "profile"), ("PUT", "profile"), ("GET", "dashboard"),
        ("GET", "clients"), ("PUT", "clients/{user_id}"),
        ("GET", "availability"), ("POST", "availability"), ("DELETE", "availability/{window_id}"),
        ("GET", "availability/overrides"), ("POST", "availability/overrides"),
        ("DELETE", "availability/overrides/{override_id}"),
        ("GET", "time-slots"), ("POST", "time-slots"), ("DELETE", "time-slots/{slot_id}"),
        ("GET", "booking-policy"), ("PUT", "booking-policy"),
        ("GET", "bookings"), ("PUT", "bookings/{booking_id}"), ("POST", "bookings/{booking_id}/launch"),
        ("POST", "group-classes/{class_id}/launch"), ("GET", "group-classes/{class_id}/roster"),
        *[(method, f"{kind}{suffix}") for kind in ("services", "group-classes", "recorded-classes", "programmes",
                                                    "invite-codes")
          for method, suffix in [("GET", ""), ("POST", ""), ("GET", "/{item_id}"), ("PUT", "/{item_id}"),
                                 ("DELETE", "/{item_id}")]],
    ]},
}


def denied_statuses(rule: Rule) -> tuple[int, ...]:
    return rule.denied_as
