"""A browser's side of the console for the tests: a TestClient over https that keeps cookies,
reads each form's CSRF token from the page, and signs in with password and TOTP code."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from server.console import second_factor
from server.db import session_scope
from tests.server.conftest import PASSWORD, make_user

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(page: Response) -> str:
    found = _TOKEN.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def browser(app: FastAPI) -> TestClient:
    # https: the console's cookies are Secure, and a client keeps them only for https.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def make_admin(app: FastAPI, username: str = "beheer") -> str:
    """An administrator with a second factor; returns its TOTP secret."""
    make_user(app, username, "admin")
    with session_scope(app.state.sessionmaker) as session:
        secret, _uri = second_factor.set_up(session, username=username, by="test")
    return secret


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * second_factor.STEP_SECONDS)


def give_password(client: TestClient, username: str, password: str = PASSWORD) -> Response:
    page = client.get("/beheer/aanmelden")
    answer: Response = client.post(
        "/beheer/aanmelden",
        data={"username": username, "password": password, "csrf_token": form_token(page)},
    )
    return answer


def give_code(client: TestClient, code: str) -> Response:
    page = client.get("/beheer/aanmelden/code")
    answer: Response = client.post(
        "/beheer/aanmelden/code", data={"code": code, "csrf_token": form_token(page)}
    )
    return answer


def sign_in(client: TestClient, username: str, secret: str, *, steps_ahead: int = 0) -> None:
    assert give_password(client, username).status_code == 303
    answer = give_code(client, code_for(secret, steps_ahead=steps_ahead))
    assert answer.status_code == 303 and answer.headers["location"] == "/beheer", answer.text
