"""Where the demo is seeded and how a seeding call is made: through a gateway, retried until events land."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stvos_shared.container import ServiceContainer

# (method, path, json body, headers) -> (status, parsed JSON body or None, raw text)
Send = Callable[[str, str, dict | None, dict], tuple[int, Any, str]]


class DemoSeedError(RuntimeError):
    """A seeding call through the gateway did not answer as expected."""


@dataclass
class DemoTarget:
    """Where the demo is seeded: operator functions on `containers`, public calls through a gateway.

    `settle` delivers pending events (in-process); over a real broker events arrive on their own, so a
    call that depends on one is retried for up to `patience` seconds instead.
    """

    containers: dict[str, ServiceContainer]
    send: Send
    settle: Callable[[], Any] = lambda: None
    patience: float = 0.0


def call(target: DemoTarget, method: str, path: str, body: dict, headers: dict, expect: int) -> dict[str, Any]:
    deadline = time.monotonic() + target.patience
    while True:
        target.settle()
        status, payload, text = target.send(method, path, body, headers)
        if status == expect:
            return payload["data"]
        if time.monotonic() >= deadline:
            raise DemoSeedError(f"{method} {path} answered {status}: {text}")
        time.sleep(0.25)
