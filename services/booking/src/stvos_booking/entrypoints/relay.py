"""The booking outbox relay as its own process: python -m stvos_booking.entrypoints.relay"""
from stvos_shared.entrypoints import run_relay

from ..bootstrap import build
from ..config import Settings

if __name__ == "__main__":
    settings = Settings.from_env()
    run_relay(build(settings), settings.broker_url, settings.log_level)
