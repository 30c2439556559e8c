"""Free ports for a stack on this host (`STVOS_STACK_PORT` and `STVOS_STACK_PORT_OFFSET`), for the bench and the
tests that start one beside whatever else runs: all below Linux's ephemeral range (32768-), since a port the
kernel hands to outgoing connections could be taken again before the server binds it."""
from __future__ import annotations

import secrets
import socket
from collections.abc import Mapping

# Each process serves its metrics on its service's port plus this (the gateway never routes there).
METRICS_PORT_OFFSETS = {"api": 1000, "consumer": 1100, "relay": 1200, "jobs": 1300}
BELOW = 32_000


def free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free port, and the one after it (nginx's stub_status)."""
    for _ in range(200):
        port = 20_000 + secrets.randbelow(BELOW - 20_001)
        if free(port) and free(port + 1):
            return port
    raise RuntimeError("no free port")


def free_offset(services: Mapping[str, int]) -> int:
    """An offset that moves every service port of the table, and the metrics ports beside them, onto free ports."""
    ports = [port + extra for port in services.values() for extra in (0, *METRICS_PORT_OFFSETS.values())]
    for _ in range(50):
        offset = 10_000 + secrets.randbelow(12_000)
        if all(port + offset < BELOW and free(port + offset) for port in ports):
            return offset
    raise RuntimeError("no free range of ports for the stack")
