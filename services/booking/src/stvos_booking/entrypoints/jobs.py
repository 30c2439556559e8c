"""The booking service's scheduled jobs as their own process (completing subscriptions whose programme has run):
python -m stvos_booking.entrypoints.jobs           every JOB_INTERVAL_SECONDS (60) until SIGTERM
python -m stvos_booking.entrypoints.jobs --once    one drain, {"complete-subscriptions": n} on stdout"""
from stvos_shared.entrypoints import run_jobs

from ..bootstrap import build
from ..config import Settings

if __name__ == "__main__":
    settings = Settings.from_env()
    run_jobs(build(settings), settings.log_level)
