"""The client address behind trusted proxies, by nginx's realip rule (real_ip_recursive on)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from stvos_gateway.limits import Limiters, client_address, trusted_networks
from stvos_gateway.routes import Limit, load_table

TRUSTED = trusted_networks(("10.0.0.0/8", "fd00::/8"))


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not a proxy of ours: its header is ignored
    ("10.0.0.2", "", "10.0.0.2"),
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.1.1.1", "198.51.100.1"),  # the last address no proxy of ours added
    ("10.0.0.2", "10.1.1.1, 10.2.2.2", "10.1.1.1"),  # all trusted: the leftmost
    ("10.0.0.2", "198.51.100.1:4711", "198.51.100.1"),
    ("fd00::1", "[2001:db8::7]:443", "2001:db8::7"),
    ("10.0.0.2", "6.6.6.6, not-an-address", "10.0.0.2"),  # a malformed entry ends the search
    ("10.0.0.2", "6.6.6.6,,  ", "6.6.6.6"),
])
def test_the_client_is_read_from_the_right_past_trusted_proxies_only(peer, forwarded, client):
    assert client_address(peer, forwarded, TRUSTED) == client


def test_a_request_refused_by_one_bucket_is_counted_in_none():
    table = load_table()
    limits = Limiters(replace(table.limits, per_token=Limit(1, 1)))
    assert limits.refused_by("1.2.3.4", "Bearer a", None, None) is None
    assert limits.refused_by("1.2.3.4", "Bearer a", None, None) == "token"
    # The address bucket (burst 200) was charged once, not twice.
    assert limits.per_address._buckets["1.2.3.4"][0] == pytest.approx(table.limits.per_address.burst - 1, abs=0.1)
