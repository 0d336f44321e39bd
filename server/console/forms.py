"""Small helpers the console's pages share: a form's text, a redirect's message, page numbers."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from server.console.text import TEXT

# The values a redirect may name in its message (shown escaped, as any text).
NOTICE_VALUES = {"naam": "name", "team": "team", "aantal": "count"}


def notice(request: Request, *prefixes: str) -> tuple[str, dict[str, str]] | None:
    """The message a form's redirect asked for: one of ours only, of this page's `prefixes`."""
    key = request.query_params.get("melding", "")
    if key not in TEXT or not key.startswith(prefixes):
        return None
    query = request.query_params
    return key, {name: query.get(param, "")[:100] for param, name in NOTICE_VALUES.items()}


def text_field(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def page_number(request: Request, limit: int = 10_000) -> int:
    """The `pagina` asked for, from 1; anything else is page 1."""
    raw = request.query_params.get("pagina", "1")
    return min(int(raw), limit) if raw.isdigit() and int(raw) >= 1 else 1


def error_key(error: object, not_found: str = "error.not_found") -> str:
    """The text key of a refusal of server.crud (an ApiError), by its code; "not found" says
    what was not found on each page."""
    code = str(getattr(error, "code", "unknown"))
    return not_found if code == "not_found" else f"error.{code}"
