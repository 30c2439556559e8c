"""Reading another service's answer: the expected status, its one not-found code, else 503."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from stvos_shared.errors import ApiError, ServiceUnavailable, ValidationFailed
from stvos_shared.service_client import ServiceResponse

log = logging.getLogger("stvos.portal.peers")


def payload(response: ServiceResponse, key: str, not_found: type[ApiError], not_found_code: str) -> dict[str, Any]:
    """`data[key]` of a 200; the peer's 404 `not_found_code` as `not_found`, its 422 as ours, anything else 503."""
    error = (response.body or {}).get("error") or {}
    if response.status == 200 and isinstance(response.data.get(key), dict):
        return response.data[key]
    if response.status == 404 and error.get("code") == not_found_code:
        raise not_found()
    if response.status == 422 and error.get("code") == "VALIDATION_FAILED":
        raise ValidationFailed(error.get("message"), details=error.get("details"))
    log.warning("unexpected answer %s %s", response.status, error.get("code"))
    raise ServiceUnavailable("Another service gave an unexpected answer; nothing was changed.")


def instant(value: Any) -> datetime:
    """An ISO-8601 instant with an offset, as peers write them; 503 when it is not one."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ServiceUnavailable("Another service gave an unexpected answer; nothing was changed.") from error
    if moment.tzinfo is None:
        raise ServiceUnavailable("Another service gave an unexpected answer; nothing was changed.")
    return moment
