"""The booking event consumer as its own process: python -m stvos_booking.entrypoints.consumer"""
from stvos_shared.entrypoints import run_consumer

from ..bootstrap import build
from ..config import Settings

if __name__ == "__main__":
    settings = Settings.from_env()
    run_consumer(build(settings), settings.broker_url, settings.log_level)
