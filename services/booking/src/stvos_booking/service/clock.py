"""The current instant, one object every use case shares (so a test can move time for all of them)."""
from __future__ import annotations

from datetime import datetime

from stvos_shared.db import utcnow


class Clock:
    def now(self) -> datetime:
        return utcnow()
