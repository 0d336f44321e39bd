"""Rendering console pages: the language, the templates, and the headers every page gets."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from server.console.text import LANGUAGES, translator

HERE = Path(__file__).parent
LANGUAGE_COOKIE = "veldwerk_taal"
PREFIX = "/beheer"

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# No script, no inline style, nothing from elsewhere, never in a frame; nothing cached (pages
# name people and devices); no address of ours passed on to other sites. "same-origin", not
# "no-referrer": under no-referrer a browser sends `Origin: null` with every form POST, and
# guard.same_origin rightly refuses those.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def language_of(request: Request) -> str:
    """The visitor's choice (a cookie), else English only when the browser prefers it."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("accept-language", "").strip().lower()
    return "en" if accepted.startswith("en") else "nl"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    page = _templates.get_template(template).render(
        t=translator(language),
        lang=language,
        prefix=PREFIX,
        path=request.url.path,
        **{"admin": None, "csrf": "", "notice": None, **context},
    )
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


def redirect(to: str, **query: str) -> RedirectResponse:
    """303 See Other: a form's POST is followed by a GET of the page it leads to (`to`, under
    the console's prefix, with `query`)."""
    target = f"{PREFIX}{to}" + (f"?{urlencode(query)}" if query else "")
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


def cookie_flags(request: Request) -> dict[str, Any]:
    # Secure always: browsers keep Secure cookies for http://localhost too, and a console
    # reached by plain HTTP anywhere else should not work at all.
    return {"httponly": True, "secure": True, "samesite": "strict", "path": PREFIX}


def new_form_token() -> str:
    return secrets.token_urlsafe(32)
