"""The booking service's one declarative Base, its metadata, outbox and inbox, and shared column types."""
from __future__ import annotations

from sqlalchemy import CHAR, Numeric
from sqlalchemy.orm import DeclarativeBase
from stvos_shared.db import new_metadata
from stvos_shared.events import Inbox, Outbox

metadata = new_metadata()
outbox = Outbox(metadata)
inbox = Inbox(metadata)
Money = Numeric(10, 2)
Currency = CHAR(3)


class Base(DeclarativeBase):
    metadata = metadata


def one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"
