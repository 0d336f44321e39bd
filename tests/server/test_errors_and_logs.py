"""Error answers and logs: every error is JSON {code, message} without tracebacks or input
echoed back; bad input is a 4xx, never a 5xx; logs are JSON lines that name route templates and
ids, never personal data or secrets."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session
from starlette.routing import Route

from server.config import Settings
from server.crud import devices
from server.main import create_app
from tests.server.conftest import PASSWORD, Device
from tests.server.test_policy_matrix import build_organisation

SECRET_PASSWORD = "zeer-geheim-wachtwoord-42"


def assert_json_error(response: Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg", "Error:"):
        assert leak not in response.text, f"{leak!r} in {response.text}"


def quiet_client(app: FastAPI) -> TestClient:
    """A client that shows a 500 as a response instead of re-raising the server's exception."""
    return TestClient(app, raise_server_exceptions=False)


def test_every_kind_of_error_is_json_with_a_code_and_a_message(
    api: TestClient, app: FastAPI, session: Session, database_url: str
) -> None:
    org = build_organisation(session)
    caseworker = org.devices["k.dijkstra"].headers
    admin = org.devices["beheer"].headers
    assert_json_error(api.get("/v1/me"), 401, "missing_token")
    assert_json_error(
        api.get("/v1/me", headers={"Authorization": "Bearer nope"}), 401, "invalid_token"
    )
    assert_json_error(api.get("/v1/admin/users", headers=caseworker), 403, "forbidden")
    assert_json_error(api.get("/v1/clients", headers=admin), 403, "forbidden")
    other = org.clients["other_team"]
    assert_json_error(api.get(f"/v1/clients/{other}", headers=caseworker), 404, "not_found")
    assert_json_error(api.get("/v1/no-such-thing"), 404, "not_found")
    not_allowed = api.get("/v1/enroll")
    assert_json_error(not_allowed, 405, "method_not_allowed")
    assert "POST" in not_allowed.headers.get("allow", "")
    assert_json_error(api.delete("/v1/me", headers=caseworker), 405, "method_not_allowed")
    duplicate = {"username": "k.dijkstra", "role": "caseworker", "password": PASSWORD}
    assert_json_error(
        api.post("/v1/admin/users", json=duplicate, headers=admin), 409, "user_exists"
    )
    intake = org.intakes["own"]
    lead = org.devices["t.mulder"].headers
    review = f"/v1/intakes/{intake}/review"
    assert_json_error(api.post(review, json={"decision": "return"}, headers=lead), 409)
    assert_json_error(
        api.post(review, json={"decision": "later"}, headers=lead), 422, "invalid_request"
    )
    weak = {"username": "n.nieuw", "role": "caseworker", "password": "kort"}
    assert_json_error(api.post("/v1/admin/users", json=weak, headers=admin), 422, "weak_password")

    strict = create_app(
        Settings(database_url=database_url, login_max_failures=1, log_level="ERROR")
    )
    try:
        throttled = TestClient(strict, client=("198.51.100.4", 40000))
        wrong = {"username": "k.dijkstra", "password": "fout", "enrollment_code": "AAAA-BBBB-CCCC"}
        assert_json_error(throttled.post("/v1/enroll", json=wrong), 401, "invalid_credentials")
        too_many = throttled.post("/v1/enroll", json=wrong)
        assert_json_error(too_many, 429, "too_many_attempts")
        assert int(too_many.headers["Retry-After"]) > 0
    finally:
        strict.state.engine.dispose()


@pytest.mark.parametrize(
    "content",
    [
        b'{"username": "k.dijkstra", "password": ',
        b"{'username': 'k.dijkstra'}",
        b'["k.dijkstra", "' + SECRET_PASSWORD.encode() + b'"]',
        b"\xff\xfe\x00garbage",
        b"",
        b"null",
    ],
    ids=["truncated", "single-quotes", "array", "not-utf8", "empty", "null"],
)
def test_malformed_json_is_invalid_request_without_traceback(
    api: TestClient, content: bytes
) -> None:
    response = api.post("/v1/enroll", content=content, headers={"Content-Type": "application/json"})
    assert_json_error(response, 422, "invalid_request")
    assert SECRET_PASSWORD not in response.text


def test_validation_messages_do_not_echo_the_input(api: TestClient) -> None:
    response = api.post(
        "/v1/enroll",
        json={
            "username": "k.dijkstra",
            "password": SECRET_PASSWORD,
            "enrollment_code": "111222333-" * 10,
            "extra": "123456782",
        },
    )
    assert_json_error(response, 422, "invalid_request")
    for echoed in (SECRET_PASSWORD, "111222333", "123456782"):
        assert echoed not in response.text


def _role_for(path: str) -> str:
    if path.startswith("/v1/admin/"):
        return "beheer"
    return "t.mulder"  # may read dossiers and review: gets past every role check


def _operations_with_path_parameters(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    found = []
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            if names:
                found.append((method.upper(), path, names))
    return found


def _body_for(path: str) -> dict[str, Any] | None:
    if path.endswith("/review"):
        return {"decision": "approve"}
    if path.endswith("/members"):
        return {"username": "k.dijkstra"}
    return None


def test_very_long_path_ids_are_invalid_requests(app: FastAPI, session: Session) -> None:
    org = build_organisation(session)
    api = quiet_client(app)
    operations = _operations_with_path_parameters(app)
    assert len(operations) >= 5
    wrong = []
    for method, template, names in operations:
        path = template
        for name in names:
            path = path.replace("{" + name + "}", "x" * 5000)
        response = api.request(
            method, path, json=_body_for(template), headers=org.devices[_role_for(template)].headers
        )
        if response.status_code != 422 or response.json().get("code") != "invalid_request":
            wrong.append(f"{method} {template}: {response.status_code} {response.text[:200]}")
    assert not wrong, "long ids not refused as invalid requests:\n" + "\n".join(wrong)


def test_nul_characters_in_ids_and_names_are_refused_not_crashes(
    app: FastAPI, session: Session
) -> None:
    """A NUL cannot be stored in a PostgreSQL text value, and in a name or id it is never
    meant: such input is a 4xx on every backend alike (S11: 0 crashes, 0 5xx)."""
    org = build_organisation(session)
    code = devices.issue_enrollment_code(session, username="m.bakker", by="beheer")
    session.commit()
    api = quiet_client(app)
    lead = org.devices["t.mulder"].headers
    admin = org.devices["beheer"].headers
    nul = "a\x00b"
    enrollment = {"username": "m.bakker", "password": PASSWORD, "enrollment_code": code}
    calls: dict[str, Callable[[], Response]] = {
        "dossier": lambda: api.get("/v1/clients/a%00b", headers=lead),
        "review": lambda: api.post(
            "/v1/intakes/a%00b/review", json={"decision": "approve"}, headers=lead
        ),
        "enroll user name": lambda: api.post(
            "/v1/enroll", json={"username": nul, "password": "x", "enrollment_code": "y"}
        ),
        "user display name": lambda: api.post(
            "/v1/admin/users",
            json={
                "username": "n.nul",
                "display_name": nul,
                "role": "caseworker",
                "password": PASSWORD,
            },
            headers=admin,
        ),
        "team name": lambda: api.post("/v1/admin/teams", json={"name": nul}, headers=admin),
        "team in path": lambda: api.post(
            "/v1/admin/teams/a%00b/members", json={"username": "k.dijkstra"}, headers=admin
        ),
        "assignment client": lambda: api.post(
            "/v1/admin/assignments",
            json={"client_id": nul, "caseworker": "k.dijkstra"},
            headers=admin,
        ),
        "enrollment code user": lambda: api.post(
            "/v1/admin/enrollment-codes", json={"username": nul}, headers=admin
        ),
        "assignment history": lambda: api.get("/v1/admin/clients/a%00b/assignments", headers=admin),
        "revoke": lambda: api.post("/v1/admin/devices/a%00b/revoke", headers=admin),
        "device name": lambda: api.post("/v1/enroll", json={**enrollment, "device_name": nul}),
    }
    wrong = []
    for name, send in calls.items():
        response = send()
        if not 400 <= response.status_code < 500:
            wrong.append(f"{name}: {response.status_code} {response.text[:120]}")
        else:
            assert set(response.json()) == {"code", "message"}, name
    assert not wrong, "NUL in the input was not refused as bad input:\n" + "\n".join(wrong)


def test_a_nul_in_the_query_string_is_refused_before_any_route(api: TestClient) -> None:
    """Query values reach the database too (the console's filters): a NUL there, encoded as a
    URL carries it, is refused like one in the path."""
    for url in ("/v1/health?x=a%00b", "/v1/health?x=%00", "/console/caseload?klantmanager=%00"):
        response = api.get(url, follow_redirects=False)
        assert response.status_code == 422, url
        assert response.json()["code"] == "invalid_request", url
    assert api.get("/v1/health?x=a%2500b").status_code == 200  # a percent sign, then "00"


# ------------------------------------------------------------------------------------ logs


def _log_lines(text: str) -> list[dict[str, Any]]:
    parsed = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            pytest.fail(f"a log line is not JSON: {line[:200]!r}")
        assert isinstance(entry, dict), line
        parsed.append(entry)
    return parsed


def test_logs_are_json_with_route_templates_and_no_personal_data(
    database_url: str,
    app: FastAPI,
    session: Session,
    capfd: pytest.CaptureFixture[str],
) -> None:
    org = build_organisation(session)
    code = devices.issue_enrollment_code(session, username="m.bakker", by="beheer")
    session.commit()
    client = org.people["own"]
    caseworker = org.devices["k.dijkstra"]
    capfd.readouterr()
    # An app of its own with INFO logs, made now, so its handler writes to the captured stderr.
    logging_app = create_app(Settings(database_url=database_url, log_level="INFO"))
    try:
        api = TestClient(logging_app)
        assert api.get(f"/v1/clients/{client.id}", headers=caseworker.headers).status_code == 200
        wrong = {"username": "m.bakker", "password": SECRET_PASSWORD, "enrollment_code": code}
        assert api.post("/v1/enroll", json=wrong).status_code == 401
        bsn_as_id = api.get(f"/v1/clients/{client.bsn.value}", headers=caseworker.headers)
        assert bsn_as_id.status_code == 404
        unmatched = api.get(f"/v1/clients/{client.bsn.value}/{client.name.surname}")
        assert unmatched.status_code == 404
    finally:
        logging_app.state.engine.dispose()
    captured = capfd.readouterr()
    entries = _log_lines(captured.err)
    requests = [e for e in entries if e.get("event") == "request"]
    assert [(e["method"], e["route"], e["status"]) for e in requests] == [
        ("GET", "/v1/clients/{client_id}", 200),
        ("POST", "/v1/enroll", 401),
        ("GET", "/v1/clients/{client_id}", 404),
        ("GET", "unmatched", 404),
    ]
    assert all(e["level"] == "info" and e["at"] and isinstance(e["ms"], float) for e in requests)
    assert requests[0]["device"] == caseworker.device_id
    everything = captured.err + captured.out
    for secret in (
        client.bsn.value,
        client.name.surname,
        SECRET_PASSWORD,
        code,
        code.replace("-", ""),
        caseworker.token,
    ):
        assert secret not in everything, "a log line holds personal data or a secret"


def test_an_unexpected_error_is_logged_by_type_only(
    database_url: str, session: Session, capfd: pytest.CaptureFixture[str]
) -> None:
    """The 500 answer is generic JSON; the log names the route and the exception type, never
    the exception's message (which may quote the data that caused it)."""
    org = build_organisation(session)
    bsn = org.people["own"].bsn.value
    capfd.readouterr()
    broken = create_app(Settings(database_url=database_url, log_level="INFO"))

    @broken.get("/v1/test-only/boom/{client_id}")
    def boom(client_id: str) -> None:
        raise RuntimeError(f"failed on BSN {bsn} of {client_id}")

    try:
        response = quiet_client(broken).get(f"/v1/test-only/boom/{org.clients['own']}")
    finally:
        broken.state.engine.dispose()
    assert_json_error(response, 500, "internal_error")
    assert bsn not in response.text
    captured = capfd.readouterr()
    entries = _log_lines(captured.err)
    [error] = [e for e in entries if e.get("event") == "unhandled_error"]
    assert error["level"] == "error"
    assert error["route"] == "/v1/test-only/boom/{client_id}"
    assert error["error"] == "RuntimeError"
    assert bsn not in captured.err + captured.out


def test_every_route_is_logged_by_its_template(
    database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """Gzip bodies too (devices compress their pushes): GzipRequests hands the router a copy of
    the request scope, which once made every such request log as "unmatched"."""
    capfd.readouterr()
    logging_app = create_app(Settings(database_url=database_url, log_level="INFO"))
    expected = []
    try:
        api = quiet_client(logging_app)
        calls = [
            (method.upper(), path)
            for path, item in logging_app.openapi()["paths"].items()
            for method in item
        ]
        # The plain routes outside the API: /openapi.json and the docs pages.
        calls += [
            ("GET", str(route.path))
            for route in logging_app.routes
            if isinstance(route, Route) and not route.path.startswith("/v1/")
        ]
        assert len(calls) >= 20
        for method, template in calls:
            path = re.sub(r"\{[^}]+\}", "0" * 64, template)
            for compressed in (False, True) if method in ("POST", "PUT", "PATCH") else (False,):
                headers = {"Content-Type": "application/json"}
                body = b"{}"
                if compressed:
                    headers["Content-Encoding"] = "gzip"
                    body = gzip.compress(body)
                response = api.request(method, path, content=body, headers=headers)
                expected.append((method, template, response.status_code))
        # Refused by the body cap before the router ever saw it: still its template.
        too_big = b"{" + b" " * (2 * 1024 * 1024) + b"}"
        response = api.post("/v1/sync/push", content=too_big, headers=headers)
        assert response.status_code == 413
        expected.append(("POST", "/v1/sync/push", 413))
    finally:
        logging_app.state.engine.dispose()
    entries = _log_lines(capfd.readouterr().err)
    logged = [(e["method"], e["route"], e["status"]) for e in entries if e["event"] == "request"]
    assert logged == expected


def test_a_naive_client_time_is_invalid_not_a_crash(
    app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    device = enrolled("k.dijkstra", "caseworker")
    hello = {
        "device_id": device.device_id,
        "protocol": 1,
        "schema_version": "1",
        "app_version": "99.0.0",
        "client_time": "2026-03-01T12:00:00",
    }
    api = quiet_client(app)
    naive = api.post("/v1/sync/hello", json=hello, headers=device.headers)
    assert_json_error(naive, 422, "invalid_request")
    assert "client_time" in naive.json()["message"]
    aware = {**hello, "client_time": datetime.now(UTC).isoformat()}
    assert api.post("/v1/sync/hello", json=aware, headers=device.headers).status_code == 200
