"""The console's door: password and TOTP, sessions, CSRF, and the pages behind them."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.console import sessions
from server.console.text import TEXT
from server.models import AuditEntry, ConsoleSession, Device, User
from tests.server.conftest import PASSWORD, enroll, make_user
from tests.server.console_browser import (
    browser,
    code_for,
    form_token,
    give_code,
    give_password,
    make_admin,
    sign_in,
)

# Every page and form behind the sign-in, by route template, with a path to try it on.
PAGES = {
    "/beheer": "/beheer",
    "/beheer/gebruikers": "/beheer/gebruikers",
    "/beheer/gebruikers/{username}/deactiveren": "/beheer/gebruikers/k.dijkstra/deactiveren",
    "/beheer/apparaten": "/beheer/apparaten",
    "/beheer/apparaten/{device_id}/intrekken": "/beheer/apparaten/x/intrekken",
    "/beheer/caseload": "/beheer/caseload?klantmanager=k.dijkstra",
    "/beheer/audit": "/beheer/audit",
    "/beheer/signalen": "/beheer/signalen",
    "/beheer/import": "/beheer/import",
    "/beheer/import/{import_id}": "/beheer/import/1",
    "/beheer/bewaren": "/beheer/bewaren",
    "/beheer/bewaren/proefdraai": "/beheer/bewaren/proefdraai",
    "/beheer/bewaren/bewaarplicht": "/beheer/bewaren/bewaarplicht",
    "/beheer/bewaren/verzoeken": "/beheer/bewaren/verzoeken",
    "/beheer/bewaren/verzoeken/{request_id}/uitvoeren": "/beheer/bewaren/verzoeken/1/uitvoeren",
    "/beheer/bewaren/verzoeken/{request_id}/weigeren": "/beheer/bewaren/verzoeken/1/weigeren",
    "/beheer/bewaren/verklaringen": "/beheer/bewaren/verklaringen",
    "/beheer/bewaren/verklaringen/{statement_id}/pdf": "/beheer/bewaren/verklaringen/1/pdf",
    "/beheer/raadsinformatie": "/beheer/raadsinformatie",
}
FORMS = {
    "/beheer/gebruikers": "/beheer/gebruikers",
    "/beheer/teams": "/beheer/teams",
    "/beheer/gebruikers/{username}/team": "/beheer/gebruikers/k.dijkstra/team",
    "/beheer/gebruikers/{username}/deactiveren": "/beheer/gebruikers/k.dijkstra/deactiveren",
    "/beheer/gebruikers/{username}/wachtwoord": "/beheer/gebruikers/k.dijkstra/wachtwoord",
    "/beheer/afmelden": "/beheer/afmelden",
    "/beheer/apparaten/{device_id}/intrekken": "/beheer/apparaten/x/intrekken",
    "/beheer/koppelcodes": "/beheer/koppelcodes",
    "/beheer/caseload/zoeken": "/beheer/caseload/zoeken",
    "/beheer/caseload/toewijzen": "/beheer/caseload/toewijzen",
    "/beheer/signalen/dubbel/{collision_id}/afgehandeld": "/beheer/signalen/dubbel/1/afgehandeld",
    "/beheer/import/proef": "/beheer/import/proef",
    "/beheer/import/toepassen": "/beheer/import/toepassen",
    "/beheer/bewaren/vernietigen": "/beheer/bewaren/vernietigen",
    "/beheer/bewaren/bewaarplicht": "/beheer/bewaren/bewaarplicht",
    "/beheer/bewaren/bewaarplicht/{client_id}/opheffen": "/beheer/bewaren/bewaarplicht/x/opheffen",
    "/beheer/bewaren/verzoeken": "/beheer/bewaren/verzoeken",
    "/beheer/bewaren/verzoeken/{request_id}/uitvoeren": "/beheer/bewaren/verzoeken/1/uitvoeren",
    "/beheer/bewaren/verzoeken/{request_id}/weigeren": "/beheer/bewaren/verzoeken/1/weigeren",
    "/beheer/raadsinformatie": "/beheer/raadsinformatie",
}
OPEN_TO_ALL = {
    ("GET", "/beheer/aanmelden"),
    ("POST", "/beheer/aanmelden"),
    ("GET", "/beheer/aanmelden/code"),
    ("POST", "/beheer/aanmelden/code"),
    ("GET", "/beheer/taal/{language}"),
}


def _console_routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for context in iter_route_contexts(app.routes):  # the router's view, prefixes included
        path = context.path or ""
        for method in context.methods or ():
            if path.startswith("/beheer") and method in ("GET", "POST"):
                found.add((method, path))
    assert found, "no console routes seen"
    return found


def test_every_console_route_is_in_this_files_matrix(app: FastAPI) -> None:
    """A new page or form must be added to PAGES or FORMS, and so to the checks below."""
    behind = {("GET", t) for t in PAGES} | {("POST", t) for t in FORMS}
    assert _console_routes(app) == behind | OPEN_TO_ALL


@pytest.mark.parametrize("path", PAGES.values())
def test_no_page_without_a_session(app: FastAPI, path: str) -> None:
    answer = browser(app).get(path)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/beheer/aanmelden?melding=sign_in.expired"


@pytest.mark.parametrize("path", FORMS.values())
def test_no_form_without_a_session(app: FastAPI, path: str) -> None:
    answer = browser(app).post(path, data={"csrf_token": "x", "username": "evil"})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/beheer/aanmelden")


def test_signing_in_takes_password_then_code_and_lands_on_the_overview(
    app: FastAPI, session: Session
) -> None:
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    home = client.get("/beheer")
    assert home.status_code == 200 and "Overzicht" in home.text
    assert session.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "console_sign_in")
    ).all() == ["beheer"]


@pytest.mark.parametrize("path", PAGES.values())
def test_the_code_step_cannot_be_skipped(app: FastAPI, path: str) -> None:
    make_admin(app)
    client = browser(app)
    assert give_password(client, "beheer").status_code == 303
    assert client.get(path).status_code == 303  # half a session opens nothing


def test_a_wrong_or_reused_code_is_refused_and_five_wrong_codes_end_the_attempt(
    app: FastAPI,
) -> None:
    secret = make_admin(app)
    first = browser(app)
    sign_in(first, "beheer", secret)
    # The code just used is used up, in another browser too.
    second = browser(app)
    give_password(second, "beheer")
    assert give_code(second, code_for(secret)).status_code == 401
    for _ in range(3):
        answer = give_code(second, "000000")
        assert answer.status_code == 401 and TEXT["code.failed"][0] in answer.text
    last = give_code(second, "000000")
    assert last.status_code == 401 and TEXT["code.too_many"][0] in last.text
    # The half session is gone: even the right code is too late now.
    assert second.get("/beheer/aanmelden/code").status_code == 303


@pytest.mark.parametrize("role", ["caseworker", "team_lead"])
def test_a_caseworkers_or_team_leads_credentials_are_refused(app: FastAPI, role: str) -> None:
    make_user(app, "iemand", role)
    answer = give_password(browser(app), "iemand")
    assert answer.status_code == 401
    assert TEXT["sign_in.failed"][0] in answer.text
    assert sessions.COOKIE not in answer.cookies


@pytest.mark.parametrize("role", ["caseworker", "team_lead"])
def test_a_session_whose_user_is_no_longer_an_administrator_opens_nothing(
    app: FastAPI, session: Session, role: str
) -> None:
    """The policy is asked on every request, not only at sign-in: an administrator made a
    caseworker or team lead while signed in is sent to the sign-in page by every page and
    form, and nothing is changed."""
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    token = form_token(client.get("/beheer"))
    session.execute(update(User).where(User.username == "beheer").values(role=role))
    session.commit()
    for path in PAGES.values():
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/beheer/aanmelden?melding=sign_in.expired"
    before = session.scalars(select(AuditEntry.id)).all()
    session.commit()
    for path in FORMS.values():
        answer = client.post(path, data={"csrf_token": token, "client": "x", "reason": "r"})
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/beheer/aanmelden")
    assert session.scalars(select(AuditEntry.id)).all() == before


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(app: FastAPI) -> None:
    make_admin(app, "b.admin")
    wrong = give_password(browser(app), "b.admin", "not the password at all")
    unknown = give_password(browser(app), "x.onbekend")
    assert wrong.status_code == unknown.status_code == 401
    # The pages differ only in the name typed (given back in the field) and the form token.
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.text) == strip.sub("", unknown.text)


def test_an_admin_without_a_second_factor_is_told_how_to_get_one(app: FastAPI) -> None:
    make_user(app, "nieuw", "admin")
    answer = give_password(browser(app), "nieuw")
    assert answer.status_code == 403 and "console-totp" in answer.text


def test_failed_passwords_are_throttled(app: FastAPI) -> None:
    """As device enrollment (server.crud.devices): from the third failure for a user name on,
    the next attempt must wait, the right password too."""
    make_admin(app)
    client = browser(app)
    statuses = [give_password(client, "beheer", "wrong password!").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    answer = give_password(client, "beheer")
    assert answer.status_code == 429 and TEXT["sign_in.throttled"][0] in answer.text


def test_the_session_cookie_is_secure_httponly_and_strict(app: FastAPI) -> None:
    make_admin(app)
    answer = give_password(browser(app), "beheer")
    header = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "beheer=" in v
    )
    flags = {part.strip().lower() for part in header.split(";")}
    assert {"secure", "httponly", "samesite=strict", "path=/beheer"} <= flags


def test_a_form_without_its_csrf_token_is_refused(app: FastAPI, session: Session) -> None:
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    data = {
        "username": "nieuweling",
        "display_name": "N",
        "role": "caseworker",
        "password": PASSWORD,
    }
    missing = client.post("/beheer/gebruikers", data=data)
    wrong = client.post("/beheer/gebruikers", data={**data, "csrf_token": "guess"})
    assert missing.status_code == wrong.status_code == 403
    assert TEXT["error.csrf"][0] in missing.text
    token = form_token(client.get("/beheer/gebruikers"))
    elsewhere = client.post(
        "/beheer/gebruikers",
        data={**data, "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    assert session.scalars(select(User).where(User.username == "nieuweling")).first() is None
    session.commit()
    # Another session's token is not this one's.
    other = browser(app)
    sign_in(other, "beheer", secret, steps_ahead=1)
    theirs = form_token(other.get("/beheer/gebruikers"))
    assert client.post("/beheer/gebruikers", data={**data, "csrf_token": theirs}).status_code == 403


def test_the_sign_in_forms_own_token_is_checked_too(app: FastAPI) -> None:
    make_admin(app)
    client = browser(app)
    client.get("/beheer/aanmelden")
    answer = client.post(
        "/beheer/aanmelden", data={"username": "beheer", "password": PASSWORD, "csrf_token": "x"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("column", "age"),
    [("last_seen_at", timedelta(minutes=16)), ("created_at", timedelta(hours=8, minutes=1))],
)
def test_a_session_expires_when_idle_and_after_its_lifetime(
    app: FastAPI, session: Session, column: str, age: timedelta
) -> None:
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    assert client.get("/beheer").status_code == 200
    session.execute(update(ConsoleSession).values({column: datetime.now(UTC) - age}))
    session.commit()
    answer = client.get("/beheer")
    assert answer.status_code == 303 and "sign_in.expired" in answer.headers["location"]
    assert session.scalars(select(ConsoleSession)).all() == []


def test_signing_out_ends_the_session(app: FastAPI) -> None:
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    token = form_token(client.get("/beheer"))
    answer = client.post("/beheer/afmelden", data={"csrf_token": token})
    assert answer.status_code == 303 and "signed_out" in answer.headers["location"]
    assert client.get("/beheer").status_code == 303


def test_users_and_teams_are_managed_with_every_action_audited(
    app: FastAPI, api: TestClient, session: Session
) -> None:
    secret = make_admin(app)
    make_user(app, "t.mulder", "team_lead", team="Noord")
    make_user(app, "k.dijkstra", "caseworker", team="Noord")
    laptop = enroll(api, app, "k.dijkstra")
    client = browser(app)
    sign_in(client, "beheer", secret)

    def post(path: str, **data: str) -> str:
        token = form_token(client.get("/beheer/gebruikers"))
        answer = client.post(path, data={**data, "csrf_token": token})
        assert answer.status_code == 303, answer.text
        page = client.get(answer.headers["location"])
        assert page.status_code == 200
        return str(page.text)

    page = post(
        "/beheer/gebruikers",
        username="j.dekker",
        display_name="J. Dekker",
        role="caseworker",
        password=PASSWORD,
    )
    assert "Gebruiker j.dekker is aangemaakt." in page
    page = post("/beheer/teams", team_name="Zuid", lead="t.mulder")
    assert "Team Zuid is aangemaakt." in page
    page = post("/beheer/gebruikers/k.dijkstra/team", team="Zuid")
    assert "k.dijkstra zit nu in team Zuid." in page
    page = post("/beheer/gebruikers/k.dijkstra/wachtwoord", password="een heel nieuw wachtwoord")
    page = post("/beheer/gebruikers/k.dijkstra/deactiveren")
    assert "k.dijkstra is gedeactiveerd." in page

    user = session.scalars(select(User).where(User.username == "k.dijkstra")).one()
    assert user.active is False
    assert session.get(Device, laptop.device_id).revoked_at is not None  # type: ignore[union-attr]
    audited = session.execute(
        select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity, AuditEntry.record_id)
        .where(AuditEntry.actor == "beheer")
        .order_by(AuditEntry.id)
    ).all()
    assert [(a, e, r) for _who, a, e, r in audited] == [
        ("console_sign_in", "user", "beheer"),
        ("create", "user", "j.dekker"),
        ("create", "team", "Zuid"),
        ("add_member", "team", "Zuid"),
        ("reset_password", "user", "k.dijkstra"),
        ("deactivate", "user", "k.dijkstra"),
        ("revoke", "device", laptop.device_id),
    ]


def test_a_refused_form_says_why_in_dutch_and_keeps_what_was_typed(app: FastAPI) -> None:
    secret = make_admin(app)
    client = browser(app)
    sign_in(client, "beheer", secret)
    token = form_token(client.get("/beheer/gebruikers"))
    answer = client.post(
        "/beheer/gebruikers",
        data={
            "username": "Fout Naam",
            "display_name": "Fout",
            "role": "caseworker",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert answer.status_code == 422
    assert TEXT["error.invalid_username"][0] in html.unescape(answer.text)
    assert 'value="Fout Naam"' in answer.text


def test_pages_are_dutch_first_and_english_on_request(app: FastAPI) -> None:
    client = browser(app)
    assert "Aanmelden" in client.get("/beheer/aanmelden").text
    english = client.get("/beheer/aanmelden", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in" in english.text and 'lang="en"' in english.text
    chosen = client.get("/beheer/taal/en?terug=/beheer/aanmelden")
    assert chosen.status_code == 303 and chosen.headers["location"] == "/beheer/aanmelden"
    assert "Sign in" in client.get("/beheer/aanmelden").text
    # Never a way out of the console.
    away = client.get("/beheer/taal/nl?terug=https://evil.example/")
    assert away.headers["location"] == "/beheer"


def test_every_page_gets_the_security_headers(app: FastAPI) -> None:
    answer = browser(app).get("/beheer/aanmelden")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_every_text_a_template_asks_for_exists_in_both_languages() -> None:
    templates = Path(__file__).parents[2] / "server" / "console" / "templates"
    asked = set()
    for template in templates.glob("*.html"):
        asked |= set(re.findall(r"""\bt\(["']([a-z_.]+[a-z])["']""", template.read_text()))
    assert asked and asked <= set(TEXT), asked - set(TEXT)
    assert all(nl and en for nl, en in TEXT.values())
