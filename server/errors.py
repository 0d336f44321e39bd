"""Every error the API returns is JSON `{"code": ..., "message": ...}` with a stable code.

Messages are English (the API's language; the client maps codes to Dutch) and never contain
personal data or stack traces.
"""

from __future__ import annotations

from typing import Any

from app.domain.errors import VeldwerkError


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    @classmethod
    def from_domain(cls, error: VeldwerkError, status: int = 422) -> ApiError:
        return cls(status, error.code, error.message_en)


def not_found(what: str = "record") -> ApiError:
    return ApiError(404, "not_found", f"No such {what}, or not yours to see.")


def forbidden() -> ApiError:
    return ApiError(403, "forbidden", "Your role does not allow this.")


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)
