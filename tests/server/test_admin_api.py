"""Central office administration end to end: users, teams, assignments, enrollment codes,
devices and the audit log, through the API as the admin "beheer" would use it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from server.crud.records import upsert_record
from server.models import User
from tests.server.conftest import PASSWORD, Device
from tests.server.test_policy_matrix import fake_client

BSN_OWN = "111222333"
BSN_OTHER = "123456782"


@pytest.fixture
def admin(enrolled: Callable[..., Device]) -> Device:
    return enrolled("beheer", "admin")


def assert_error(response: Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code, response.text


def create_user(api: TestClient, admin: Device, username: str, role: str, **extra: Any) -> Response:
    payload = {"username": username, "role": role, "password": PASSWORD, **extra}
    response: Response = api.post("/v1/admin/users", json=payload, headers=admin.headers)
    return response


def create_users(api: TestClient, admin: Device, *accounts: tuple[str, str]) -> None:
    for username, role in accounts:
        response = create_user(api, admin, username, role)
        assert response.status_code == 201, response.text


def add_member(api: TestClient, admin: Device, team: str, username: str) -> Response:
    response: Response = api.post(
        f"/v1/admin/teams/{team}/members", json={"username": username}, headers=admin.headers
    )
    return response


def assign(api: TestClient, admin: Device, client_id: str, caseworker: str) -> Response:
    response: Response = api.post(
        "/v1/admin/assignments",
        json={"client_id": client_id, "caseworker": caseworker},
        headers=admin.headers,
    )
    return response


def history(api: TestClient, admin: Device, client_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/admin/clients/{client_id}/assignments", headers=admin.headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def instant(value: str) -> datetime:
    """A timestamp from the API as an aware datetime (naive ones taken as UTC; see
    test_api_timestamps_carry_their_utc_offset for whether they may be naive)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def store_clients(session: Session) -> tuple[str, str]:
    own = fake_client(1, BSN_OWN, surname="Voorbeeldmans")
    other = fake_client(2, BSN_OTHER, surname="Proefkonijn")
    for client in (own, other):
        upsert_record(session, client, by="test")
    session.commit()
    return own.id, other.id


def audit(api: TestClient, admin: Device, limit: int = 100) -> list[dict[str, Any]]:
    response = api.get(f"/v1/admin/audit?limit={limit}", headers=admin.headers)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


def test_create_users(api: TestClient, admin: Device) -> None:
    created = create_user(api, admin, "k.dijkstra", "caseworker", display_name="K. Dijkstra")
    assert created.status_code == 201, created.text
    assert created.json() == {
        "username": "k.dijkstra",
        "display_name": "K. Dijkstra",
        "role": "caseworker",
        "active": True,
    }
    assert PASSWORD not in created.text
    listed = api.get("/v1/admin/users", headers=admin.headers).json()
    assert [u["username"] for u in listed] == ["beheer", "k.dijkstra"]
    assert all(set(u) == {"username", "display_name", "role", "active"} for u in listed)

    assert_error(create_user(api, admin, "k.dijkstra", "caseworker"), 409, "user_exists")
    weak = api.post(
        "/v1/admin/users",
        json={"username": "m.bakker", "role": "caseworker", "password": "kort"},
        headers=admin.headers,
    )
    assert_error(weak, 422, "weak_password")
    assert "kort" not in weak.text
    for bad in ("K.Dijkstra", "1dijkstra", "k", "k dijkstra", "k/dijkstra", "dijkstra!"):
        assert_error(create_user(api, admin, bad, "caseworker"), 422, "invalid_username")
    assert_error(create_user(api, admin, "k" * 65, "caseworker"), 422, "invalid_request")
    assert_error(create_user(api, admin, "m.bakker", "superuser"), 422, "invalid_request")
    assert_error(
        create_user(api, admin, "m.bakker", "caseworker", is_admin=True), 422, "invalid_request"
    )
    after = api.get("/v1/admin/users", headers=admin.headers).json()
    assert [u["username"] for u in after] == ["beheer", "k.dijkstra"]


def test_teams_and_members(api: TestClient, admin: Device) -> None:
    create_users(
        api,
        admin,
        ("t.mulder", "team_lead"),
        ("r.smit", "team_lead"),
        ("k.dijkstra", "caseworker"),
        ("m.bakker", "caseworker"),
    )
    teams = "/v1/admin/teams"
    h = admin.headers
    not_a_lead = api.post(teams, json={"name": "Noord", "lead": "k.dijkstra"}, headers=h)
    assert_error(not_a_lead, 422, "not_a_team_lead")
    assert_error(
        api.post(teams, json={"name": "Noord", "lead": "x.niemand"}, headers=h), 404, "not_found"
    )
    made = api.post(teams, json={"name": "Noord", "lead": "t.mulder"}, headers=h)
    assert made.status_code == 201, made.text
    assert made.json() == {"name": "Noord", "lead": "t.mulder", "members": []}
    assert_error(
        api.post(teams, json={"name": "Noord", "lead": "r.smit"}, headers=h), 409, "team_exists"
    )
    assert_error(api.post(teams, json={"name": "   "}, headers=h), 422, "invalid_team_name")
    assert api.post(teams, json={"name": "Oost", "lead": "r.smit"}, headers=h).status_code == 201

    joined = add_member(api, admin, "Noord", "k.dijkstra")
    assert joined.status_code == 201, joined.text
    assert joined.json() == {"name": "Noord", "lead": "t.mulder", "members": ["k.dijkstra"]}
    assert add_member(api, admin, "Noord", "m.bakker").json()["members"] == [
        "k.dijkstra",
        "m.bakker",
    ]
    again = add_member(api, admin, "Noord", "k.dijkstra")  # already a member: nothing changes
    assert again.status_code == 201
    assert again.json()["members"] == ["k.dijkstra", "m.bakker"]
    assert_error(add_member(api, admin, "Oost", "k.dijkstra"), 409, "already_in_team")
    assert_error(add_member(api, admin, "Oost", "t.mulder"), 422, "not_a_caseworker")
    assert_error(add_member(api, admin, "Oost", "beheer"), 422, "not_a_caseworker")
    assert_error(add_member(api, admin, "Zuid", "m.bakker"), 404, "not_found")
    assert_error(add_member(api, admin, "Oost", "x.niemand"), 404, "not_found")

    listed = api.get(teams, headers=h).json()
    assert listed == [
        {"name": "Noord", "lead": "t.mulder", "members": ["k.dijkstra", "m.bakker"]},
        {"name": "Oost", "lead": "r.smit", "members": []},
    ]


def test_a_created_team_can_be_given_members(api: TestClient, admin: Device) -> None:
    """A team name the API accepts must address the team again. A '/' in it cannot appear in the
    path segment {team}: either refuse such names, or let the path take them."""
    create_users(api, admin, ("t.mulder", "team_lead"), ("k.dijkstra", "caseworker"))
    made = api.post(
        "/v1/admin/teams", json={"name": "Noord/Zuid", "lead": "t.mulder"}, headers=admin.headers
    )
    if made.status_code == 422:
        return  # refused up front: fine
    assert made.status_code == 201, made.text
    joined = add_member(api, admin, "Noord%2FZuid", "k.dijkstra")
    assert joined.status_code == 201, (
        f"team 'Noord/Zuid' was created but cannot be addressed: {joined.status_code} {joined.text}"
    )


def test_admin_client_list_holds_no_personal_data(
    api: TestClient, admin: Device, session: Session
) -> None:
    create_users(api, admin, ("k.dijkstra", "caseworker"))
    own, other = store_clients(session)
    assert assign(api, admin, own, "k.dijkstra").status_code == 201
    response = api.get("/v1/admin/clients", headers=admin.headers)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    assert {row["id"]: row for row in listed} == {
        own: {"id": own, "village": "Leens", "caseworker": "k.dijkstra"},
        other: {"id": other, "village": "Leens", "caseworker": None},
    }
    for secret in (BSN_OWN, BSN_OTHER, "Voorbeeldmans", "Proefkonijn", "Proefstraat", "Testa"):
        assert secret not in response.text
    paged = api.get("/v1/admin/clients?limit=1&offset=1", headers=admin.headers).json()
    assert len(paged) == 1
    assert_error(
        api.get("/v1/admin/clients?limit=0", headers=admin.headers), 422, "invalid_request"
    )


def test_assign_and_reassign(api: TestClient, admin: Device, session: Session) -> None:
    create_users(
        api,
        admin,
        ("k.dijkstra", "caseworker"),
        ("m.bakker", "caseworker"),
        ("t.mulder", "team_lead"),
    )
    client, _ = store_clients(session)
    first = assign(api, admin, client, "k.dijkstra")
    assert first.status_code == 201, first.text
    assert first.json()["caseworker"] == "k.dijkstra"
    assert first.json()["assigned_by"] == "beheer"
    assert first.json()["ended_at"] is None
    assert [h["caseworker"] for h in history(api, admin, client)] == ["k.dijkstra"]

    second = assign(api, admin, client, "m.bakker")
    assert second.status_code == 201, second.text
    both = history(api, admin, client)
    assert [h["caseworker"] for h in both] == ["k.dijkstra", "m.bakker"]
    assert both[0]["ended_at"] is not None
    assert both[1]["ended_at"] is None
    assert instant(both[0]["ended_at"]) <= instant(both[1]["assigned_at"])
    assigns_before = [e for e in audit(api, admin) if e["action"] == "assign"]
    assert len(assigns_before) == 2

    same = assign(api, admin, client, "m.bakker")  # already theirs: a no-op
    assert same.status_code == 201
    assert same.json()["assigned_at"] == both[1]["assigned_at"]
    assert history(api, admin, client) == both
    assert len([e for e in audit(api, admin) if e["action"] == "assign"]) == 2

    assert_error(assign(api, admin, client, "t.mulder"), 422, "not_a_caseworker")
    assert_error(assign(api, admin, client, "beheer"), 422, "not_a_caseworker")
    assert_error(assign(api, admin, client, "x.niemand"), 404, "not_found")
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(assign(api, admin, missing, "k.dijkstra"), 404, "not_found")
    assert_error(
        api.get(f"/v1/admin/clients/{missing}/assignments", headers=admin.headers), 404, "not_found"
    )
    session.execute(update(User).where(User.username == "k.dijkstra").values(active=False))
    session.commit()
    assert_error(assign(api, admin, client, "k.dijkstra"), 422, "not_a_caseworker")
    assert history(api, admin, client) == both


def test_enrollment_codes(api: TestClient, admin: Device, session: Session) -> None:
    create_users(api, admin, ("k.dijkstra", "caseworker"))
    response = api.post(
        "/v1/admin/enrollment-codes", json={"username": "k.dijkstra"}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["username"] == "k.dijkstra"
    assert issued["valid_hours"] == 24
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", issued["code"])
    enrolled = api.post(
        "/v1/enroll",
        json={"username": "k.dijkstra", "password": PASSWORD, "enrollment_code": issued["code"]},
    )
    assert enrolled.status_code == 201, enrolled.text
    unknown = api.post(
        "/v1/admin/enrollment-codes", json={"username": "x.niemand"}, headers=admin.headers
    )
    assert_error(unknown, 404, "not_found")
    session.execute(update(User).where(User.username == "k.dijkstra").values(active=False))
    session.commit()
    inactive = api.post(
        "/v1/admin/enrollment-codes", json={"username": "k.dijkstra"}, headers=admin.headers
    )
    assert_error(inactive, 422, "user_inactive")


def test_devices_and_revocation(
    api: TestClient, admin: Device, enrolled: Callable[..., Device]
) -> None:
    laptop = enrolled("k.dijkstra", "caseworker")
    listed = api.get("/v1/admin/devices", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    by_id = {d["id"]: d for d in listed.json()}
    assert set(by_id) == {admin.device_id, laptop.device_id}
    mine = by_id[laptop.device_id]
    assert mine["username"] == "k.dijkstra"
    assert mine["name"] == "laptop of k.dijkstra"
    assert mine["revoked_at"] is None
    assert laptop.token not in listed.text

    revoked = api.post(f"/v1/admin/devices/{laptop.device_id}/revoke", headers=admin.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert_error(api.get("/v1/me", headers=laptop.headers), 401, "device_revoked")
    again = api.post(f"/v1/admin/devices/{laptop.device_id}/revoke", headers=admin.headers)
    assert again.status_code == 200
    assert instant(again.json()["revoked_at"]) == instant(revoked.json()["revoked_at"])
    revocations = [e for e in audit(api, admin) if e["action"] == "revoke"]
    assert [(e["record_id"], e["actor"]) for e in revocations] == [(laptop.device_id, "beheer")]
    assert_error(
        api.post("/v1/admin/devices/no-such-device/revoke", headers=admin.headers), 404, "not_found"
    )
    assert api.get("/v1/me", headers=admin.headers).status_code == 200
    relisted = {d["id"]: d for d in api.get("/v1/admin/devices", headers=admin.headers).json()}
    assert instant(relisted[laptop.device_id]["revoked_at"]) == instant(
        revoked.json()["revoked_at"]
    )


def test_audit_log_names_actions_and_ids_but_no_personal_data(
    api: TestClient, admin: Device, session: Session, enrolled: Callable[..., Device]
) -> None:
    create_users(api, admin, ("t.mulder", "team_lead"))
    laptop = enrolled("k.dijkstra", "caseworker")
    client, _ = store_clients(session)
    h = admin.headers
    team = api.post("/v1/admin/teams", json={"name": "Noord", "lead": "t.mulder"}, headers=h)
    assert team.status_code == 201, team.text
    assert add_member(api, admin, "Noord", "k.dijkstra").status_code == 201
    assert assign(api, admin, client, "k.dijkstra").status_code == 201
    assert api.get(f"/v1/clients/{client}", headers=laptop.headers).status_code == 200
    code = api.post("/v1/admin/enrollment-codes", json={"username": "t.mulder"}, headers=h)
    assert code.status_code == 201
    revoke = api.post(f"/v1/admin/devices/{laptop.device_id}/revoke", headers=h)
    assert revoke.status_code == 200

    entries = audit(api, admin)
    assert all(
        set(e) == {"at", "actor", "device_id", "action", "entity", "record_id"} for e in entries
    )
    moments = [e["at"] for e in entries]
    assert moments == sorted(moments, reverse=True), "newest first"
    done = {(e["actor"], e["action"], e["entity"], e["record_id"]) for e in entries}
    for expected in (
        ("beheer", "create", "user", "t.mulder"),
        ("beheer", "create", "team", "Noord"),
        ("beheer", "add_member", "team", "Noord"),
        ("beheer", "assign", "client", client),
        ("beheer", "issue_enrollment_code", "user", "t.mulder"),
        ("beheer", "revoke", "device", laptop.device_id),
        ("k.dijkstra", "enroll", "device", laptop.device_id),
        ("k.dijkstra", "view", "client", client),
    ):
        assert expected in done, f"not in the audit log: {expected}"
    view = next(e for e in entries if e["action"] == "view")
    assert view["device_id"] == laptop.device_id
    assert len(audit(api, admin, limit=2)) == 2

    listed = api.get("/v1/admin/audit?limit=1000", headers=h).text
    stored = [str(tuple(row)) for row in session.execute(text("SELECT * FROM audit_log"))]
    session.commit()
    for secret in (BSN_OWN, BSN_OTHER, "Voorbeeldmans", code.json()["code"], laptop.token):
        assert secret not in listed
        assert not any(secret in row for row in stored)


def test_api_timestamps_carry_their_utc_offset(
    api: TestClient, admin: Device, session: Session, enrolled: Callable[..., Device]
) -> None:
    """The server stores UTC; a timestamp without an offset is ambiguous for a client in
    Europe/Amsterdam. Every backend must answer the same, aware, form."""
    laptop = enrolled("k.dijkstra", "caseworker")
    client, _ = store_clients(session)
    assert assign(api, admin, client, "k.dijkstra").status_code == 201
    h = admin.headers
    assert api.post(f"/v1/admin/devices/{laptop.device_id}/revoke", headers=h).status_code == 200
    found = []
    for device in api.get("/v1/admin/devices", headers=h).json():
        found += [device["enrolled_at"], device["last_seen"], device["revoked_at"]]
    for row in history(api, admin, client):
        found.append(row["assigned_at"])
    found += [entry["at"] for entry in audit(api, admin)]
    naive = [value for value in found if value and datetime.fromisoformat(value).tzinfo is None]
    assert not naive, f"{len(naive)} of {len(found)} timestamps without an offset, e.g. {naive[0]}"
