"""An answer a cache gives to many requests unchanged: the first response encodes it, later ones send those bytes
(`api.Blueprint.response(..., remembered=True)`). Plain Python, so that a service layer may make one."""
from __future__ import annotations

from typing import Any


class Remembered(dict):
    """An answer nobody may change once given; `body` holds its response's bytes once one was encoded."""

    __slots__ = ("body",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body: bytes | None = None
