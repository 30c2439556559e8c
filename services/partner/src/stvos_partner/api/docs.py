"""Documenting a view's error responses with the platform's error envelope."""
from __future__ import annotations

from collections.abc import Callable

from stvos_shared.api import Blueprint


def errors(blp: Blueprint, *responses: tuple[int, str]) -> Callable:
    """Document (status, "CODE: when") error responses of a view."""

    def decorator(view: Callable) -> Callable:
        for status, description in responses:
            view = blp.alt_response(status, schema="Error", description=description)(view)
        return view

    return decorator


MALFORMED = (400, "MALFORMED_REQUEST: the body is not a JSON object")
