"""Rate limits sized for a tenant's real traffic, on both gateways: per client address (the real one, behind
trusted proxies only), per user token and per tenant at the tier auth names. The services and auth's key
check are stand-ins here, so that the gateways are what is measured."""
from __future__ import annotations

import http.client
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest
from stvos_gateway import nginx
from stvos_gateway.embedded import KEY_CHECK_PATH, TENANT_RATE_HEADER, EmbeddedGateway, KeyAnswer
from stvos_gateway.routes import Limit, RouteTable, load_table
from stvos_shared.metrics import RATE_LIMIT_REFUSALS
from werkzeug.test import Client

from tests.e2e.nginx_harness import NginxGateway, free_port

pytestmark = pytest.mark.slow
KEYS = {"stv_tenant": ("7", None), "stv_small": ("8", "5"), "stv_odd": ("9", "1234")}  # key -> client, rate
PATH = "/trainers"  # an api_key route (catalog)
PROXY = "127.0.0.1"  # the test's trusted proxy; 127.0.0.2 and the like are not trusted


def key_check(api_key: str, master_key: str, allow_master: bool) -> KeyAnswer:
    client_id, rate = KEYS.get(api_key, (None, None))
    return KeyAnswer(client_id is not None, client_id, rate)


def service_stand_in(environ, start_response):
    body = environ.get("HTTP_X_REAL_IP", "").encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def limited_table() -> RouteTable:
    table = load_table()
    return replace(table, limits=replace(table.limits, trusted_proxies=(f"{PROXY}/32",)))


STAND_IN = """pid run/nginx.pid;
error_log stderr error;
daemon off;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path run/b; proxy_temp_path run/p; fastcgi_temp_path run/f; uwsgi_temp_path run/u;
    scgi_temp_path run/s;
    map $http_x_api_key $stand_in_client { %(clients)s default ""; }
    map $http_x_api_key $stand_in_rate { %(rates)s default ""; }
    server {
        listen 127.0.0.1:%(port)d;
        location = %(check)s {
            if ($stand_in_client = "") { return 401; }
            add_header X-Client-Id $stand_in_client;
            add_header %(rate_header)s $stand_in_rate;
            return 204;
        }
        location / { return 200 $http_x_real_ip; }
    }
}
"""


class StandIns:
    """auth's key check (answering from KEYS) and every service, as one nginx of their own: fast enough that
    the gateway in front of it is what the test measures."""

    def __init__(self, directory) -> None:
        (directory / "run").mkdir(parents=True)
        self.port = free_port()
        (directory / "nginx.conf").write_text(STAND_IN % {
            "port": self.port, "check": KEY_CHECK_PATH, "rate_header": TENANT_RATE_HEADER,
            "clients": " ".join(f"{key} {client};" for key, (client, _) in KEYS.items()),
            "rates": " ".join(f"{key} {rate};" for key, (_, rate) in KEYS.items() if rate)})
        self.process = subprocess.Popen(nginx.command(directory), stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the stand-in nginx did not start")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class ThroughNginx:
    def __init__(self, tmp_path, table: RouteTable) -> None:
        self.upstreams = StandIns(tmp_path / "stand-ins")
        self.gateway = NginxGateway(tmp_path / "gateway", table, {name: self.upstreams.port for name in table.services})
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def send(self, peer: str, headers: dict[str, str]) -> tuple[int, str]:
        connection = self._connections.get(peer)
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", self.gateway.port, timeout=10,
                                                    source_address=(peer, 0))
            self._connections[peer] = connection
        connection.request("GET", PATH, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self.gateway.stop()
        self.upstreams.close()


class ThroughEmbedded:
    def __init__(self, tmp_path, table: RouteTable) -> None:
        apps = {name: service_stand_in for name in table.services}
        self.client = Client(EmbeddedGateway(table, apps, key_check))

    def send(self, peer: str, headers: dict[str, str]) -> tuple[int, str]:
        response = self.client.get(PATH, headers=headers, environ_base={"REMOTE_ADDR": peer})
        return response.status_code, response.get_data(as_text=True)

    def close(self) -> None:
        pass


@pytest.fixture(params=["embedded", "nginx"])
def through(request, tmp_path):
    """A factory: a gateway of the kind under test, rendered from the given table."""
    if request.param == "nginx" and nginx.find_nginx() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)")
    made = []

    def make(table: RouteTable):
        made.append((ThroughNginx if request.param == "nginx" else ThroughEmbedded)(tmp_path / str(len(made)), table))
        return made[-1]

    yield make
    for gateway in made:
        gateway.close()


def paced(send: Callable[[int], int], rate: float, count: int) -> tuple[Counter, float]:
    """Send `count` requests at `rate` per second (or as fast as the machine goes, if slower): statuses, seconds."""
    statuses, start = Counter(), time.monotonic()
    for n in range(count):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        statuses[send(n)] += 1
    return statuses, time.monotonic() - start


def test_forty_addresses_of_one_tenant_at_25_per_second_pass_while_one_address_at_500_is_limited(through):
    gateway = through(limited_table())
    clients = [f"203.0.113.{n}" for n in range(1, 41)]

    def from_forty(n: int) -> int:
        return gateway.send(PROXY, {"X-API-Key": "stv_tenant", "X-Forwarded-For": f"10.0.0.1, {clients[n % 40]}"})[0]

    statuses, seconds = paced(from_forty, rate=40 * 25, count=40 * 25 * 2)
    assert statuses == Counter({200: 2000}), statuses
    # Not a vacuous pass: the old limit (50/s per key, 100 burst) would have refused most of these.
    assert 100 + 50 * seconds < 2000
    one, seconds = paced(lambda n: gateway.send(PROXY, {"X-API-Key": "stv_tenant",
                                                        "X-Forwarded-For": "198.51.100.7"})[0], rate=500, count=1000)
    limits = load_table().limits.per_address
    assert one[200] <= limits.burst + limits.rate * seconds + 2, (one, seconds)
    assert one[429] >= 1000 - (limits.burst + limits.rate * seconds + 2)


def test_the_client_is_the_last_address_no_trusted_proxy_added_and_a_stranger_cannot_name_one(through):
    gateway = through(limited_table())
    assert gateway.send(PROXY, {"X-API-Key": "stv_tenant", "X-Forwarded-For": "198.51.100.9, 127.0.0.1"}) == (
        200, "198.51.100.9")
    # 127.0.0.2 is no trusted proxy: whatever it forwards, it is the client, and one bucket.
    assert gateway.send("127.0.0.2", {"X-API-Key": "stv_tenant", "X-Forwarded-For": "198.51.100.9"}) == (
        200, "127.0.0.2")
    spoofed = Counter(gateway.send("127.0.0.2", {"X-API-Key": "stv_tenant",
                                                 "X-Forwarded-For": f"198.51.{n // 250}.{n % 250}"})[0]
                      for n in range(400))
    assert spoofed[429] >= 100, spoofed


def test_a_user_token_has_a_limit_of_its_own_wherever_it_comes_from(through):
    table = limited_table()
    gateway = through(replace(table, limits=replace(table.limits, per_token=Limit(1, 5))))

    def with_token(token: str, n: int) -> int:
        return gateway.send(PROXY, {"X-API-Key": "stv_tenant", "Authorization": f"Bearer {token}",
                                    "X-Forwarded-For": f"203.0.113.{n % 200 + 1}"})[0]

    statuses = Counter(with_token("jane", n) for n in range(20))
    assert 5 <= statuses[200] <= 8 and statuses[429] >= 12, statuses
    assert with_token("john", 0) == 200
    assert gateway.send(PROXY, {"X-API-Key": "stv_tenant", "X-Forwarded-For": "203.0.113.250"})[0] == 200


def test_the_tenant_counts_at_the_tier_auth_names_and_at_the_default_otherwise(through):
    table = limited_table()
    gateway = through(replace(table, limits=replace(table.limits, tenant_tiers=(5, 2000), tenant_rate=2000)))
    before = RATE_LIMIT_REFUSALS.labels("gateway", "tenant")._value.get()

    def burst(api_key: str) -> Counter:
        return Counter(gateway.send(PROXY, {"X-API-Key": api_key, "X-Forwarded-For": f"203.0.113.{n + 1}"})[0]
                       for n in range(30))

    small = burst("stv_small")
    assert 5 <= small[200] <= 9 and small[429] >= 20, small
    assert burst("stv_odd") == Counter({200: 30})  # 1234 is no tier: the default (2000/s)
    if isinstance(gateway, ThroughEmbedded):  # the embedded gateway counts its refusals (nginx: its error log)
        assert RATE_LIMIT_REFUSALS.labels("gateway", "tenant")._value.get() - before == small[429]


def test_made_up_keys_from_one_address_reach_auth_only_at_the_key_miss_rate(through):
    table = limited_table()
    gateway = through(replace(table, limits=replace(table.limits, key_misses=Limit(1, 3))))
    answers = [gateway.send("127.0.0.3", {"X-API-Key": f"stv_made_up_{n}"}) for n in range(12)]
    statuses = Counter(status for status, _ in answers)
    assert 3 <= statuses[401] <= 5 and statuses[429] >= 7, statuses
    assert next(body for status, body in answers if status == 429) == nginx.error_json(429)
    # Another address, and a key whose answer is cached, are not held back by it.
    assert gateway.send("127.0.0.4", {"X-API-Key": "stv_tenant"})[0] == 200
    assert Counter(gateway.send("127.0.0.4", {"X-API-Key": "stv_tenant"})[0] for _ in range(10)) == {200: 10}
