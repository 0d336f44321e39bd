"""Signing in to the console: password (throttled as device enrollment is), then a TOTP code,
then a whole session under a new token. Signing out ends it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from server.api.deps import SessionDep, SettingsDep
from server.console import second_factor, sessions
from server.console.guard import CurrentAdmin, FormRefused, checked_form, limits, same_origin
from server.console.web import (
    LANGUAGE_COOKIE,
    PREFIX,
    cookie_flags,
    new_form_token,
    redirect,
    render,
)
from server.crud import audit
from server.crud.devices import check_login_throttle, count_login_failure
from server.crud.users import find_user
from server.errors import ApiError
from server.security import burn_password_check, same, verify_password

router = APIRouter(prefix=PREFIX, include_in_schema=False)

# The sign-in form has no session yet: its CSRF token is also in a cookie (double submit).
FORM_COOKIE = "veldwerk_beheer_formulier"
MAX_FAILED_CODES = 5
NOTICES = {"sign_in.expired", "sign_in.signed_out"}


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in_page(
    request: Request, *, status: int = 200, error: str | None = None, username: str = ""
) -> Response:
    token = new_form_token()
    notice = request.query_params.get("melding")
    response = render(
        request,
        "sign_in.html",
        status=status,
        form_token=token,
        error=error,
        username=username,
        notice=notice if notice in NOTICES else None,
    )
    response.set_cookie(FORM_COOKIE, token, **cookie_flags(request))
    return response


@router.get("/aanmelden")
def sign_in_form(request: Request) -> Response:
    return _sign_in_page(request)


@router.post("/aanmelden")
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not same(csrf_token, expected) or not same_origin(request):
        raise FormRefused()
    address = _address(request)
    try:
        check_login_throttle(
            session,
            username=username,
            address=address,
            max_failures=settings.login_max_failures,
            window_seconds=settings.login_window_seconds,
            delay_cap_seconds=settings.login_delay_cap_seconds,
        )
    except ApiError:
        session.commit()
        return _sign_in_page(request, status=429, error="sign_in.throttled", username=username)
    user = find_user(session, username)
    if user is None:
        burn_password_check(password)  # the same time whether or not the account exists
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if user is None or not ok or user.role != "admin":
        count_login_failure(session, username=username, address=address)
        return _sign_in_page(request, status=401, error="sign_in.failed", username=username)
    if not second_factor.has_second_factor(session, user):
        return _sign_in_page(
            request, status=403, error="sign_in.no_second_factor", username=username
        )
    token = sessions.begin(session, user)
    session.commit()
    response = redirect("/aanmelden/code")
    response.set_cookie(sessions.COOKIE, token, **cookie_flags(request))
    response.delete_cookie(FORM_COOKIE, path=PREFIX)
    return response


def _half_session(request: Request, session: SessionDep) -> sessions.Found | None:
    found = sessions.find(session, request.cookies.get(sessions.COOKIE), limits(request))
    session.commit()
    if found is None or found.session.second_factor_at is not None:
        return None
    return found


@router.get("/aanmelden/code")
def code_form(request: Request, session: SessionDep) -> Response:
    found = _half_session(request, session)
    if found is None:
        return redirect("/aanmelden", melding="sign_in.expired")
    return render(request, "code.html", csrf=found.session.csrf_token, error=None)


@router.post("/aanmelden/code")
def give_code(
    request: Request,
    session: SessionDep,
    code: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    found = _half_session(request, session)
    if found is None:
        return redirect("/aanmelden", melding="sign_in.expired")
    if not same(csrf_token, found.session.csrf_token) or not same_origin(request):
        raise FormRefused()
    if not second_factor.accept(session, found.user, code):
        found.session.failed_codes += 1
        count_login_failure(session, username=found.user.username, address=_address(request))
        if found.session.failed_codes >= MAX_FAILED_CODES:
            sessions.end(session, found)
            session.commit()
            response = _sign_in_page(request, status=401, error="code.too_many")
            response.delete_cookie(sessions.COOKIE, path=PREFIX)
            return response
        session.commit()
        return render(
            request, "code.html", status=401, csrf=found.session.csrf_token, error="code.failed"
        )
    token = sessions.complete(session, found)
    audit.record(
        session,
        actor=found.user.username,
        action="console_sign_in",
        entity="user",
        record_id=found.user.username,
    )
    session.commit()
    response = redirect("")
    response.set_cookie(sessions.COOKIE, token, **cookie_flags(request))
    return response


@router.post("/afmelden")
async def sign_out(request: Request, session: SessionDep, admin: CurrentAdmin) -> Response:
    await checked_form(request, admin)
    sessions.end(session, admin.found)
    audit.record(
        session,
        actor=admin.username,
        action="console_sign_out",
        entity="user",
        record_id=admin.username,
    )
    session.commit()
    response = redirect("/aanmelden", melding="sign_in.signed_out")
    response.delete_cookie(sessions.COOKIE, path=PREFIX)
    return response


@router.get("/taal/{language}")
def choose_language(request: Request, language: str, terug: str = PREFIX) -> Response:
    # Back only to a page of the console: never a way to send someone elsewhere.
    target = terug if terug.startswith(PREFIX) and "//" not in terug else PREFIX
    response = redirect(target.removeprefix(PREFIX))
    if language in ("nl", "en"):
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, **cookie_flags(request)
        )
    return response
