"""Putting the console into the FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from server.console import (
    audit_page,
    caseload,
    council_page,
    devices,
    findings,
    import_page,
    pages,
    retention_page,
    sign_in,
)
from server.console.guard import FormRefused, NeedsSignIn
from server.console.web import HERE, PREFIX, redirect, render


def mount_console(app: FastAPI) -> None:
    app.include_router(sign_in.router)
    for module in (
        pages,
        devices,
        caseload,
        import_page,
        findings,
        audit_page,
        retention_page,
        council_page,
    ):
        app.include_router(module.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.exception_handler(NeedsSignIn)
    async def _sign_in_first(_request: Request, _error: NeedsSignIn) -> Response:
        return redirect("/aanmelden", melding="sign_in.expired")

    @app.exception_handler(FormRefused)
    async def _form_refused(request: Request, _error: FormRefused) -> Response:
        return render(request, "refused.html", status=403, error="error.csrf")
