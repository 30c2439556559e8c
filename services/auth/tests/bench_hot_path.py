"""What the identity service costs per request: `.venv/bin/python services/auth/tests/bench_hot_path.py`.

Prints the API key check and the access token verification (direct calls and through the WSGI app)
and a login (argon2id verification plus the rest). Best of several rounds, so that a busy machine
does not inflate the figures.
"""
from __future__ import annotations

import logging
import statistics
import tempfile
import time
import timeit

from stvos_auth import admin
from stvos_auth.app import create_app
from stvos_auth.bootstrap import build
from stvos_auth.config import Settings


def best_us(fn, number: int = 1000, rounds: int = 9) -> float:
    return min(timeit.timeit(fn, number=number) / number for _ in range(rounds)) * 1e6


def median_ms(fn, times: int = 15) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main() -> None:
    logging.disable(logging.INFO)
    container = build(Settings.embedded(tempfile.mkdtemp()))
    container.db.create_all()
    app = create_app(container=container)
    tenant = admin.create_client(container, name="Bench")
    client, headers = app.test_client(), {"X-Client-Id": str(tenant["clientId"])}
    body = {"email": "bench@example.com", "password": "correct horse battery"}
    token = client.post("/auth/register", json=body, headers=headers).get_json()["data"]["accessToken"]
    key_check = lambda: container.keys.client_for(tenant["apiKey"])  # noqa: E731
    verify = lambda: container.verifier.verify(token, "access")  # noqa: E731
    print(f"key check (direct)              {best_us(key_check):8.1f} us")
    print(f"token verification (direct)     {best_us(verify):8.1f} us")
    print(f"both (direct)                   {best_us(lambda: (key_check(), verify())):8.1f} us")
    check = lambda: client.get("/internal/gateway/check-key", headers={"X-API-Key": tenant["apiKey"]})  # noqa: E731
    print(f"GET check-key through WSGI      {best_us(check, number=300):8.1f} us")
    hashed = container.passwords.hash(body["password"])
    argon2 = median_ms(lambda: container.passwords.verify(hashed, body["password"]))
    print(f"argon2id verify (m=19MiB,t=2)   {argon2:8.1f} ms")
    counter = iter(range(10**6))
    login = lambda: client.post("/auth/login", json=body, headers={**headers, "X-Real-IP": f"10.0.{next(counter)}.1"})  # noqa: E731
    print(f"POST /auth/login (whole)        {median_ms(login):8.1f} ms")


if __name__ == "__main__":
    main()
