"""The team lead's overview carries the council report's figures for the team (issue #16): the
team's clients as one group, this half year so far beside the last, with the same disclosure
control, and nothing in the answer that names a client."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.domain.client import Enrollment
from app.domain.local_time import local_today
from app.domain.reference import Scheme
from server.council.periods import Period
from server.crud import assignments
from server.crud.records import upsert_record
from server.db import session_scope
from tests.server.conftest import Device
from tests.server.test_policy_matrix import fake_client
from tests.server.test_team_overview import fake_bsn

TEAM = "Team Noord"


def _clients(app: FastAPI, caseworker: str, count: int, *, first: int) -> list[str]:
    """`count` clients of `caseworker`, each in the Participatiewet since a year ago."""
    made = []
    with session_scope(app.state.sessionmaker) as session:
        for number in range(first, first + count):
            client = fake_client(number, fake_bsn(number), caseworker=caseworker)
            upsert_record(session, client, by="test")
            session.flush()
            assignments.assign(session, client_id=client.id, caseworker=caseworker, by="test")
            enrollment = Enrollment(
                client_id=client.id,
                scheme=Scheme.PARTICIPATIEWET,
                start_date=local_today() - timedelta(days=400),
                caseworker=caseworker,
                consent_given=False,
            )
            upsert_record(session, enrollment, by="test")
            made.append(client.id)
    return made


def test_the_team_overview_has_the_teams_figures(
    api: TestClient, app: FastAPI, enrolled: Callable[..., Device]
) -> None:
    lead = enrolled("t.lead", "team_lead", team=TEAM)
    enrolled("k.werker", "caseworker", team=TEAM)
    enrolled("a.ander", "caseworker")  # not in the team
    ours = _clients(app, "k.werker", 12, first=1)
    theirs = _clients(app, "a.ander", 18, first=13)

    response = api.get("/v1/team/figures", headers=lead.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    today = local_today()
    assert body["period"] == Period.containing(today).label
    assert body["previous_period"] == Period.containing(today).previous().label
    assert date.fromisoformat(body["counted_until"]) == today
    tables = {t["name"]: t for t in body["figures"]}
    assert "limitations" not in tables
    assert {"clients_per_scheme", "ladder_steps", "home_visits", "statutory_terms"} <= set(tables)

    clients = tables["clients_per_scheme"]
    records = [dict(zip(clients["columns"], row, strict=True)) for row in clients["rows"]]
    assert {r["area"] for r in records} == {TEAM}
    now = next(
        r for r in records if r["period"] == body["period"] and r["scheme"] == "participatiewet"
    )
    assert now["clients"] == 10  # 12 of the team, rounded to 5; the other 18 are not the team's
    assert now["new_clients"] is None and now["gone_clients"] is None  # none, so withheld
    steps = tables["ladder_steps"]
    steps_now = next(r for r in steps["rows"] if r[0] == body["period"])
    # Twelve clients, none with a step: "unknown" holds them all; every step is withheld.
    assert dict(zip(steps["columns"], steps_now, strict=True))["step_unknown"] == 10
    assert steps["withheld"] > 0 and steps["counts"] == 16

    text = json.dumps(body)
    for client in ours + theirs:
        assert client not in text
    assert "Proefpersoon" not in text and "Proefstraat" not in text


def test_a_caseworker_gets_no_team_figures(
    api: TestClient, enrolled: Callable[..., Device]
) -> None:
    worker = enrolled("k.werker", "caseworker")
    assert api.get("/v1/team/figures", headers=worker.headers).status_code == 403
