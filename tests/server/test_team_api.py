"""A team lead's view of the team: figures without personal data, and every administrator's act
that gave someone a way into the team's dossiers, with the administrator's name."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from server.models import Device as DeviceRow
from tests.server.conftest import PASSWORD
from tests.server.test_policy_matrix import BSNS, TEAM_A, build_organisation


def test_figures_count_and_name_no_client(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    # m.bakker's spare device has never been seen: it counts as not synced for 14 days.
    session.execute(
        update(DeviceRow)
        .where(DeviceRow.id == org.devices["k.dijkstra"].device_id)
        .values(last_seen=datetime.now(UTC) - timedelta(days=20))
    )
    session.commit()
    response = api.get("/v1/team/figures", headers=org.devices["t.mulder"].headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["team"] == TEAM_A
    by_name = {m["username"]: m for m in body["members"]}
    assert set(by_name) == {"k.dijkstra", "m.bakker"}
    assert by_name["k.dijkstra"]["clients"] == 1
    assert by_name["k.dijkstra"]["intakes"]["submitted"] == 1
    assert by_name["k.dijkstra"]["devices_not_synced_14_days"] == 1
    assert by_name["m.bakker"]["devices"] == 2
    text = json.dumps(body)
    for target, bsn in BSNS.items():
        assert bsn not in text
        assert org.people[target].name.surname not in text
    # Another team's lead sees their own team only.
    other = api.get("/v1/team/figures", headers=org.devices["r.smit"].headers).json()
    assert [m["username"] for m in other["members"]] == ["j.dekker"]


def test_access_grants_are_listed_for_the_team_lead(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    admin = org.devices["beheer"].headers
    made = api.post(
        "/v1/admin/users",
        json={"username": "n.nieuw", "role": "caseworker", "password": PASSWORD},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    joined = api.post(
        f"/v1/admin/teams/{TEAM_A}/members", json={"username": "n.nieuw"}, headers=admin
    )
    assert joined.status_code == 201, joined.text
    assigned = api.post(
        "/v1/admin/assignments",
        json={"client_id": org.clients["unassigned"], "caseworker": "n.nieuw"},
        headers=admin,
    )
    assert assigned.status_code == 201, assigned.text
    code = api.post("/v1/admin/enrollment-codes", json={"username": "n.nieuw"}, headers=admin)
    assert code.status_code == 201, code.text

    grants = api.get("/v1/team/access-grants", headers=org.devices["t.mulder"].headers)
    assert grants.status_code == 200, grants.text
    seen = [(g["actor"], g["action"], g["username"]) for g in grants.json()]
    for act in (
        ("beheer", "create", "n.nieuw"),
        ("beheer", "add_member", "n.nieuw"),
        ("beheer", "assign", "n.nieuw"),
        ("beheer", "issue_enrollment_code", "n.nieuw"),
    ):
        assert act in seen
    # Team B's lead is not told about team A's new member.
    other = api.get("/v1/team/access-grants", headers=org.devices["r.smit"].headers).json()
    assert all(g["username"] != "n.nieuw" for g in other)
    # Access given is not access taken: the admin still reads no dossier.
    dossier = api.get(f"/v1/clients/{org.clients['unassigned']}", headers=admin)
    assert dossier.status_code == 404
