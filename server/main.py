"""The FastAPI application factory."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from server.api.routes import admin, clients, enroll, health, intakes, me, sync, team
from server.body_limit import ASGIApp, BodyCaps, BodyLimit, Message, Receive, Scope, Send
from server.config import Settings, get_settings
from server.console.mount import mount_console
from server.db import lost_to_concurrent, make_engine, make_sessionmaker
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


# Seconds a request that lost to a concurrent one waits before it is sent again.
BUSY_RETRY_AFTER_S = 1


def _error(
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body = {"code": code, "message": message, **(extra or {})}
    return JSONResponse(body, status_code=status, headers=headers)


# A list shared by reference with every copy of the scope made further in (GzipRequests passes
# the router a copy): RecordRoute puts the route the router chose there for the log line.
_ROUTED = "veldwerk.routed"


def _routed_template(scope: Scope) -> str | None:
    route = scope.get("route") or next(iter(scope.get(_ROUTED, ())), None)
    path = getattr(route, "path", None)
    return None if path is None else str(path)


class RecordRoute:
    """Innermost: reports the route the router chose to the middlewares outside it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            box = scope.get(_ROUTED)
            if scope.get("route") is not None and isinstance(box, list):
                box.append(scope["route"])


class AccessLog:
    """One log line per request, by route template, status and time; never the raw path."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self._templates: list[tuple[re.Pattern[str], str, set[str]]] | None = None

    def _unrouted_template(self, scope: Scope) -> str:
        """The template of a request refused before routing (body cap, NUL in the URL), or of a
        plain Starlette route (the docs), which does not put itself in the scope."""
        if self._templates is None:
            # The router's own (cached) view of its routes, prefixes included; the docs pages too.
            self._templates = [
                (compile_path(context.path)[0], context.path, set(context.methods or ()))
                for context in iter_route_contexts(self.fastapi_app.routes)
                if context.path
            ]
        path_only = None
        for regex, template, methods in self._templates:
            if regex.match(scope["path"]):
                if scope["method"] in methods:
                    return template
                path_only = path_only or template
        return path_only or "unmatched"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        scope[_ROUTED] = []
        # Also shared with the copies further in: request.state.device_id is set in there.
        state = scope.setdefault("state", {})
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            fields: dict[str, Any] = {
                "method": scope["method"],
                "route": _routed_template(scope) or self._unrouted_template(scope),
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            device = state.get("device_id") if isinstance(state, dict) else None
            if device:
                fields["device"] = device
            log("request", **fields)


class RefuseNul:
    """Path and query reach the database as ids and names, and PostgreSQL refuses NUL in text:
    a URL with one is bad input (422), never a server error.

    Plain ASGI: as a `BaseHTTPMiddleware` it cost every request a task group and two memory
    streams; and it looked for NUL in the query string re-encoded, where it is always `%00`,
    so it never found one there."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = bytes(scope.get("query_string", b""))
            if "\x00" in scope["path"] or b"\x00" in query or b"%00" in query:
                response = _error(
                    422, "invalid_request", "Invalid request: NUL character in the URL."
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


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

    for module in (health, enroll, me, clients, intakes, team, admin, sync):
        app.include_router(module.router)
    mount_console(app)
    caps = BodyCaps(
        json_bytes=settings.max_json_body_bytes, blob_chunk_bytes=settings.max_blob_chunk_bytes
    )
    app.add_middleware(RecordRoute)
    # Level 1: a device on a slow link asks for xz, so gzip answers links faster than 4 MB/s
    # (app.sync.client), where time spent compressing costs more than bytes. A 5,000-record
    # page of 8.7 MB: level 1 in 0.05 s to 1.75 MB, level 5 in 0.11 s to 1.23 MB, 9 slower still.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    app.add_middleware(GzipRequests, caps=caps)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.code, error.message, error.headers, error.extra)

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
            route=_routed_template(request.scope) or "unmatched",
            error=type(error).__name__,
        )
        return _error(500, "internal_error", "Something went wrong on the server; it was logged.")

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, error: Exception) -> JSONResponse:
        if not lost_to_concurrent(error):
            raise error  # to `_unexpected`, as any other error
        # Nothing is wrong and nothing was written (the transaction was rolled back): a device
        # sends the request again after Retry-After, as after any 503.
        log(
            "lost_to_concurrent",
            logging.WARNING,
            route=_routed_template(request.scope) or "unmatched",
            error=type(getattr(error, "orig", error)).__name__,
        )
        return _error(
            503,
            "busy",
            "The server was busy with a request that touched the same data; try again.",
            {"Retry-After": str(BUSY_RETRY_AFTER_S)},
        )

    app.add_middleware(RefuseNul)

    # Added last, so outermost: the body cap holds before the gzip reader, authentication or
    # any route reads a byte; the access log outside it also records the requests it refuses.
    app.add_middleware(BodyLimit, caps=caps)
    app.add_middleware(AccessLog, fastapi_app=app)
    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn server.main:app_from_environment --factory` (what `serve` runs)."""
    # In every worker process: a warning is a JSON log line too, not raw text on stderr.
    logging.captureWarnings(True)
    return create_app()
