"""The auth service's tables."""
from __future__ import annotations

from stvos_shared.db import new_metadata
from stvos_shared.events import Inbox, Outbox

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
