"""`make bench`: what the hot paths cost, each as a ratio to a ceiling measured in the same run.

Absolute times depend on the machine; the ratios say how much our code adds to the floor it stands
on (the bare gateway round trip, the JWT library, argon2 itself, a bare insert). Nothing here is
asserted: the numbers are printed, and written to var/bench.json. Then the load section (bench/load.py: the
stack under wrk): `--load-only` runs only that (its own options follow, e.g. `--smoke`), `--no-load` skips it.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jwt
from sqlalchemy import Column, Integer, String, Table, insert
from stvos_auth import admin as auth_admin
from stvos_auth.domain.events import ClientCreated
from stvos_gateway.embedded import KEY_CHECK_PATH
from stvos_gateway.routes import load_table
from stvos_runner.platform import EmbeddedPlatform
from stvos_shared.db import Database, new_metadata
from stvos_shared.events import Inbox, InProcessTransport, Outbox
from stvos_shared.events.consumer import Consumer
from stvos_shared.events.relay import Relay
from stvos_shared.files import write_private
from werkzeug.test import Client


def per_call_us(fn: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Median over `rounds` of the mean time per call, in microseconds."""
    fn()
    means = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        means.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(means)


def expect(response, status: int):
    assert response.status_code == status, response.get_data(as_text=True)
    return response


def bench_requests(platform: EmbeddedPlatform) -> list[dict]:
    gateway, auth_app = Client(platform.gateway), Client(platform.apps["auth"])
    auth = platform.containers["auth"]
    tenant = auth_admin.create_client(auth, name="Bench Studio")
    platform.flush()
    key = {"X-API-Key": tenant["apiKey"]}
    user = {"email": "bench@example.com", "password": "correct horse battery"}
    expect(gateway.post("/auth/register", json=user, headers=key), 201)
    platform.flush()
    token = expect(gateway.post("/auth/login", json=user, headers=key), 200).get_json()["data"]["accessToken"]
    me_headers = {**key, "Authorization": f"Bearer {token}"}
    public = jwt.PyJWK(auth.signing.jwks()["keys"][0]).key
    both = lambda: (auth.keys.client_for(tenant["apiKey"]), auth.verifier.verify(token))  # noqa: E731
    passwords = auth.settings.credentials.hasher()  # the hasher the login uses, with the same parameters
    digest = passwords.hash(user["password"])
    return [
        {"name": "GET /auth/me through the gateway (key + token + user read)",
         "us": per_call_us(lambda: expect(gateway.get("/auth/me", headers=me_headers), 200), 1000),
         "ceiling": "GET /healthz through the gateway",
         "ceiling_us": per_call_us(lambda: expect(gateway.get("/healthz"), 200), 2000)},
        {"name": "key check + token verification (per request, direct)", "us": per_call_us(both, 5000),
         "ceiling": "bare jwt.decode RS256", "ceiling_us": per_call_us(
             lambda: jwt.decode(token, public, algorithms=["RS256"], audience="stvos-api"), 5000)},
        {"name": "key check alone (hash + cache)", "us": per_call_us(
            lambda: auth.keys.client_for(tenant["apiKey"]), 20000), "ceiling": None, "ceiling_us": None},
        {"name": "auth key check endpoint (what the gateway asks on a cache miss)",
         "us": per_call_us(lambda: expect(auth_app.get(KEY_CHECK_PATH, headers=key), 204), 2000),
         "ceiling": "auth GET /healthz",
         "ceiling_us": per_call_us(lambda: expect(auth_app.get("/healthz"), 200), 2000)},
        {"name": "POST /auth/login through the gateway",
         "us": per_call_us(lambda: expect(gateway.post("/auth/login", json=user, headers=key), 200), 3, rounds=3),
         "ceiling": "one argon2id verify (19 MiB, t=2, p=1)",
         "ceiling_us": per_call_us(lambda: passwords.verify(digest, user["password"]), 3, rounds=3)},
    ]


def bench_events(var_dir: Path, count: int = 2000) -> list[dict]:
    def side(name: str):
        metadata = new_metadata()
        effects = Table("effects", metadata, Column("id", Integer, primary_key=True), Column("ref", String(32)))
        db = Database(f"sqlite:///{var_dir / name}.db", metadata)
        outbox, inbox = Outbox(metadata), Inbox(metadata)
        db.create_all()
        return db, outbox, inbox, effects

    db, _, _, effects = side("floor")
    started = time.perf_counter()
    for number in range(count):
        with db.unit_of_work() as session:
            session.execute(insert(effects).values(ref=str(number)))
    floor = (time.perf_counter() - started) / count * 1e6
    producer, outbox, _, _ = side("producer")
    consumer_db, _, inbox, consumer_effects = side("consumer")
    transport = InProcessTransport()
    # A real event with a contract: a consumer dead-letters an event no contract describes.
    consumer = Consumer("bench", consumer_db, inbox, {ClientCreated.TYPE: lambda s, e: s.execute(
        insert(consumer_effects).values(ref=e.id))})
    transport.subscribe("bench", consumer.bindings, consumer.handle)
    started = time.perf_counter()
    for number in range(count):
        with producer.unit_of_work() as session:
            outbox.add(session, ClientCreated(client_id=number + 1, name=f"Studio {number}"), client_id=1)
    relay = Relay(producer, outbox, transport)
    while relay.run_once():
        pass
    transport.drain()
    per_event = (time.perf_counter() - started) / count * 1e6
    return [{"name": f"event: outbox write + relay + idempotent consume ({count} events)", "us": per_event,
             "ceiling": "one bare insert transaction", "ceiling_us": floor}]


def bench_relay_rabbitmq(var_dir: Path, count: int = 5000) -> list[dict]:
    """The relay publishing to the machine's RabbitMQ (AMQP_URL): events per second, confirms included."""
    url = os.environ.get("AMQP_URL")
    if not url:
        print("relay to RabbitMQ: skipped (set AMQP_URL)", file=sys.stderr)
        return []
    from stvos_shared.events.rabbitmq import RabbitTransport

    metadata = new_metadata()
    outbox = Outbox(metadata)
    db = Database(f"sqlite:///{var_dir / 'relay.db'}", metadata)
    db.create_all()
    with db.unit_of_work() as session:
        for number in range(count):
            outbox.add(session, ClientCreated(client_id=number + 1, name=f"Studio {number}"), client_id=1)
    exchange = f"stvos.bench.{secrets.token_hex(4)}"
    transport = RabbitTransport(url, exchange=exchange)
    relay = Relay(db, outbox, transport)
    try:
        started = time.perf_counter()
        while relay.run_once():
            pass
        seconds = time.perf_counter() - started
    finally:
        transport.close()
        _delete_bench_exchange(url, exchange, transport.unrouted_queue)
        db.dispose()
    return [{"name": f"relay to RabbitMQ, confirmed ({count} events, batches of {relay.batch_size})",
             "us": seconds / count * 1e6, "events_per_second": round(count / seconds),
             "ceiling": None, "ceiling_us": None}]


def _delete_bench_exchange(url: str, exchange: str, unrouted: str) -> None:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.queue_delete(unrouted)
        channel.exchange_delete(exchange)
        channel.exchange_delete(unrouted)
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make bench: the in-process section, then the load section")
    parser.add_argument("--load-only", action="store_true", help="only the load section (bench/load.py)")
    parser.add_argument("--no-load", action="store_true", help="only the in-process section")
    args, load_args = parser.parse_known_args(argv)
    if not args.load_only:
        in_process()
    if args.no_load:
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import load

    return load.main(load_args)


def in_process() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        table = load_table()  # the limiter still runs on every request, it just never refuses here
        table = table.unlimited()
        platform = EmbeddedPlatform(str(Path(tmp) / "var"), table=table)
        try:
            results = bench_requests(platform) + bench_events(Path(tmp)) + bench_relay_rabbitmq(Path(tmp))
        finally:
            platform.stop()
    print(f"{'measure':<68} {'per call':>11} {'ratio':>7}  ceiling")
    for row in results:
        ratio = f"{row['us'] / row['ceiling_us']:.2f}x" if row["ceiling_us"] else "-"
        ceiling = f"{row['ceiling']} ({row['ceiling_us']:.1f} us)" if row["ceiling"] else ""
        rate = f"{row['events_per_second']} events/s" if "events_per_second" in row else ""
        print(f"{row['name']:<68} {row['us']:>8.1f} us {ratio:>7}  {ceiling}{rate}")
    write_private(Path("var") / "bench.json", json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
