"""The FastAPI application factory."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.api.routes import admin, clients, enroll, health, intakes, me, sync
from server.config import Settings, get_settings
from server.db import make_engine, make_sessionmaker
from server.errors import ApiError
from server.gzip_requests import GzipRequests
from server.logs import configure, log
from server.version import VERSION

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _route_template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure(settings.log_level)
    app = FastAPI(
        title="Veldwerk central office",
        version=VERSION,
        description="Accounts, teams, caseload assignment and device enrollment for Veldwerk.",
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)

    for module in (health, enroll, me, clients, intakes, admin, sync):
        app.include_router(module.router)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(GzipRequests)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # Location and kind only: pydantic's own messages can quote the input back.
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('type', 'invalid')}"
            for e in error.errors()
        ]
        return _error(422, "invalid_request", "Invalid request: " + "; ".join(problems[:10]))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        return _error(error.status_code, code, message, dict(error.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log(
            "unhandled_error",
            logging.ERROR,
            route=_route_template(request),
            error=type(error).__name__,
        )
        return _error(500, "internal_error", "Something went wrong on the server; it was logged.")

    @app.middleware("http")
    async def _refuse_nul(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Path and query reach the database as ids and names; PostgreSQL refuses NUL in text.
        if "\x00" in request.url.path or "\x00" in str(request.query_params):
            return _error(422, "invalid_request", "Invalid request: NUL character in the URL.")
        return await call_next(request)

    @app.middleware("http")
    async def _access_log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        fields: dict[str, Any] = {
            "method": request.method,
            "route": _route_template(request),
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        device = getattr(request.state, "device_id", None)
        if device:
            fields["device"] = device
        log("request", **fields)
        return response

    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn server.main:app_from_environment --factory` (what `serve` runs)."""
    return create_app()
