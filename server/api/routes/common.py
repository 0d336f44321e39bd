"""Error responses every authenticated route documents (so the OpenAPI document is honest)."""

from __future__ import annotations

from typing import Any

from server.api.schemas import ErrorBody

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "The body could not be read (not UTF-8, or broken gzip)"),
        (401, "No, unknown or revoked device token"),
        (403, "The role does not allow this"),
        (404, "Not found, or not in the caller's scope"),
        (409, "Conflicts with the current state"),
        (422, "Invalid request"),
        (426, "The device's app is too old for this server"),
    )
}
