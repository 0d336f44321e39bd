"""The authorisation matrix (SECURITY.md S8): role x endpoint x target, as specified.

Every operation in the OpenAPI document except the two public ones (/v1/health, /v1/enroll) must
have an entry in MATRIX, so a new endpoint without a decided policy fails here. A target is the
record a call names, seen from the caller:

- own: a client of k.dijkstra (the caseworker; a client of the team lead's team);
- teammate: a client of m.bakker (same team as k.dijkstra, so in the team lead's scope);
- other_team: a client of j.dekker (team B, lead r.smit);
- unassigned: a client nobody holds;
- missing: an id that names no record at all.

Expected per policy.py: scope before role. A record outside someone's scope answers 404 exactly as
an id that names nothing (ids cannot be probed); an act the role never allows answers 403 on a
record in scope, and on calls that name no record. The organisation is built once per
test function straight in the database (users with one precomputed Argon2id hash, devices with
known tokens), because enrollment itself is tested in test_enroll.py.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.domain.client import Client
from app.domain.intake import Intake
from app.domain.values import Address, Bsn, PersonName, Postcode
from server.crud import assignments, users
from server.crud.records import upsert_record
from server.models import Device as DeviceRow
from server.models import User
from server.security import hash_password, new_token, token_hash
from tests.server.conftest import PASSWORD, Device

ROLES = ("caseworker", "team_lead", "admin")
ACTOR = {"caseworker": "k.dijkstra", "team_lead": "t.mulder", "admin": "beheer"}
RECORD_TARGETS = ("own", "teammate", "other_team", "unassigned", "missing")
NO_TARGET = "-"
TEAM_A = "Team Hogeland-Noord"
TEAM_B = "Team Hogeland-Oost"
HOLDER = {"own": "k.dijkstra", "teammate": "m.bakker", "other_team": "j.dekker", "unassigned": ""}
PUBLIC = {("GET", "/v1/health"), ("POST", "/v1/enroll")}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

# (method, path template) -> role -> status on every target, or status per target.
Expectation = int | dict[str, int]
ALL_404 = {"own": 404, "teammate": 404, "other_team": 404, "unassigned": 404, "missing": 404}
MATRIX: dict[tuple[str, str], dict[str, Expectation]] = {
    ("GET", "/v1/me"): {"caseworker": 200, "team_lead": 200, "admin": 200},
    ("GET", "/v1/clients"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    # Scope before role: an admin's scope holds no client, so every record answers as missing.
    ("GET", "/v1/clients/{client_id}"): {
        "caseworker": {**ALL_404, "own": 200},
        "team_lead": {**ALL_404, "own": 200, "teammate": 200},
        "admin": ALL_404,
    },
    ("GET", "/v1/clients/{client_id}/orphaned-changes"): {
        "caseworker": {**ALL_404, "own": 200},
        "team_lead": {**ALL_404, "own": 200, "teammate": 200},
        "admin": ALL_404,
    },
    # The change id in the URL names nothing, so even in scope the answer is 404.
    ("POST", "/v1/clients/{client_id}/orphaned-changes/{change_id}/handled"): {
        "caseworker": ALL_404,
        "team_lead": ALL_404,
        "admin": ALL_404,
    },
    ("GET", "/v1/intakes"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    ("POST", "/v1/intakes/{intake_id}/review"): {
        # Scope first: a caseworker sees their own client's intake and may not review it (403);
        # anything else answers as missing.
        "caseworker": {**ALL_404, "own": 403},
        "team_lead": {**ALL_404, "own": 200, "teammate": 200},
        "admin": ALL_404,
    },
    # A team lead's own team: counts and the acts that gave access, no client data.
    ("GET", "/v1/team/figures"): {"caseworker": 403, "team_lead": 200, "admin": 403},
    ("GET", "/v1/team/access-grants"): {"caseworker": 403, "team_lead": 200, "admin": 403},
    ("GET", "/v1/team/orphaned-changes"): {"caseworker": 403, "team_lead": 200, "admin": 403},
    # An id in no team of the lead's answers as an unknown id.
    ("POST", "/v1/team/orphaned-changes/{change_id}/handled"): {
        "caseworker": 403,
        "team_lead": 404,
        "admin": 403,
    },
    ("GET", "/v1/admin/users"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    ("POST", "/v1/admin/users"): {"caseworker": 403, "team_lead": 403, "admin": 201},
    ("GET", "/v1/admin/teams"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    ("POST", "/v1/admin/teams"): {"caseworker": 403, "team_lead": 403, "admin": 201},
    ("POST", "/v1/admin/teams/{team}/members"): {
        "caseworker": 403,
        "team_lead": 403,
        "admin": 201,
    },
    ("GET", "/v1/admin/clients"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    ("POST", "/v1/admin/assignments"): {"caseworker": 403, "team_lead": 403, "admin": 201},
    ("GET", "/v1/admin/clients/{client_id}/assignments"): {
        "caseworker": 403,
        "team_lead": 403,
        "admin": {
            "own": 200,
            "teammate": 200,
            "other_team": 200,
            "unassigned": 200,
            "missing": 404,
        },
    },
    ("POST", "/v1/admin/enrollment-codes"): {"caseworker": 403, "team_lead": 403, "admin": 201},
    ("GET", "/v1/admin/devices"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    ("POST", "/v1/admin/devices/{device_id}/revoke"): {
        "caseworker": 403,
        "team_lead": 403,
        "admin": 200,
    },
    ("GET", "/v1/admin/audit"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    ("GET", "/v1/admin/collisions"): {"caseworker": 403, "team_lead": 403, "admin": 200},
    # The collision id in the URL names nothing.
    ("POST", "/v1/admin/collisions/{collision_id}/handled"): {
        "caseworker": 403,
        "team_lead": 403,
        "admin": 404,
    },
    # Sync: every device may say hello; an admin's device holds and sends no dossiers.
    ("POST", "/v1/sync/hello"): {"caseworker": 200, "team_lead": 200, "admin": 200},
    ("POST", "/v1/sync/push"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    ("GET", "/v1/sync/pull"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    ("POST", "/v1/sync/pull"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    ("POST", "/v1/sync/audit"): {"caseworker": 200, "team_lead": 200, "admin": 403},
    # Attachment bytes: sent by the devices that write dossiers; read only through an attachment
    # of a client in scope (the digest in the URL is the empty file's, named by no attachment).
    ("GET", "/v1/sync/blobs/{sha256}"): {"caseworker": 200, "team_lead": 403, "admin": 403},
    ("PUT", "/v1/sync/blobs/{sha256}"): {"caseworker": 200, "team_lead": 403, "admin": 403},
    ("GET", "/v1/sync/blobs/{sha256}/data"): {"caseworker": 404, "team_lead": 404, "admin": 403},
}


# ------------------------------------------------------------------------------ arranging data


def fake_client(number: int, bsn: str, *, caseworker: str = "", surname: str = "") -> Client:
    """A made-up client: a test BSN, an obviously invented name, a real village."""
    return Client(
        bsn=Bsn(bsn),
        name=PersonName(surname=surname or f"Proefpersoon{number}", first_names="Testa"),
        date_of_birth=date(1980, 1, 1 + number),
        address=Address(
            street="Proefstraat",
            house_number=number + 1,
            postcode=Postcode("9965 AB"),
            village="Leens",
            municipality="De Marne",
        ),
        caseworker=caseworker,
    )


def submitted_intake(client_id: str, caseworker: str) -> Intake:
    """A complete intake (every life domain scored, the ladder set), submitted for review."""
    intake = Intake(client_id=client_id, caseworker=caseworker)
    for number, domain in enumerate(intake.domains()):
        intake = intake.with_score(domain.key, number % 5 + 1)
    intake = intake.with_participation(current=2, target=4)
    intake = intake.with_text(barriers="Geen vervoer.", strengths="Gemotiveerd.")
    return intake.submit(at=datetime.now(UTC))


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def add_user(session: Session, username: str, role: str) -> User:
    user = User(
        username=username,
        display_name=username,
        role=role,
        password_hash=password_hash(),
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    return user


def add_device(session: Session, user: User) -> Device:
    token = new_token()
    row = DeviceRow(
        id=str(uuid.uuid4()),
        user_id=user.id,
        name=f"laptop of {user.username}",
        token_hash=token_hash(token),
        enrolled_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return Device(user.username, user.role, row.id, token)


@dataclass
class Org:
    devices: dict[str, Device]  # by user name
    clients: dict[str, str]  # target -> client id
    intakes: dict[str, str]  # target -> intake id
    people: dict[str, Client] = field(default_factory=dict)  # target -> client
    spare_device: str = ""  # a device of m.bakker that an admin may revoke

    def by_role(self, role: str) -> Device:
        return self.devices[ACTOR[role]]


# Test BSNs (they pass the 11-check; nobody's real number is used on purpose).
BSNS = {
    "own": "111222333",
    "teammate": "123456782",
    "other_team": "112345670",
    "unassigned": "124691341",
}


def build_organisation(session: Session) -> Org:
    """Team A (lead t.mulder; k.dijkstra, m.bakker), team B (lead r.smit; j.dekker), admin
    beheer; a client per target with a submitted intake. Committed."""
    made = {}
    for username, role in (
        ("beheer", "admin"),
        ("t.mulder", "team_lead"),
        ("k.dijkstra", "caseworker"),
        ("m.bakker", "caseworker"),
        ("r.smit", "team_lead"),
        ("j.dekker", "caseworker"),
    ):
        made[username] = add_user(session, username, role)
    users.create_team(session, by="test", name=TEAM_A, lead="t.mulder")
    users.add_to_team(session, by="test", team=TEAM_A, username="k.dijkstra")
    users.add_to_team(session, by="test", team=TEAM_A, username="m.bakker")
    users.create_team(session, by="test", name=TEAM_B, lead="r.smit")
    users.add_to_team(session, by="test", team=TEAM_B, username="j.dekker")
    devices = {name: add_device(session, user) for name, user in made.items()}
    spare = add_device(session, made["m.bakker"])
    org = Org(devices=devices, clients={}, intakes={}, spare_device=spare.device_id)
    for number, (target, holder) in enumerate(HOLDER.items()):
        client = fake_client(number, BSNS[target], caseworker=holder)
        upsert_record(session, client, by="test")
        session.flush()
        if holder:
            assignments.assign(session, client_id=client.id, caseworker=holder, by="test")
        intake = submitted_intake(client.id, holder or "m.bakker")
        upsert_record(session, intake, by="test")
        org.clients[target] = client.id
        org.intakes[target] = intake.id
        org.people[target] = client
    org.clients["missing"] = str(uuid.uuid4())
    org.intakes["missing"] = str(uuid.uuid4())
    session.commit()
    return org


# ------------------------------------------------------------------------------ calling


def targets_of(template: str) -> tuple[str, ...]:
    return (
        RECORD_TARGETS if "{client_id}" in template or "{intake_id}" in template else (NO_TARGET,)
    )


def body_for(method: str, template: str, org: Org, target: str) -> dict[str, Any] | None:
    unique = uuid.uuid4().hex[:8]
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("POST", "/v1/intakes/{intake_id}/review"): (
            {"decision": "return", "comments": {"scores": "Onderbouw financiën."}}
            if target == "teammate"
            else {"decision": "approve"}
        ),
        ("POST", "/v1/admin/users"): {
            "username": f"n.{unique}",
            "role": "caseworker",
            "password": PASSWORD,
        },
        ("POST", "/v1/admin/teams"): {"name": f"Team {unique}"},
        ("POST", "/v1/admin/teams/{team}/members"): {"username": "m.bakker"},  # already: no-op
        ("POST", "/v1/admin/assignments"): {  # already assigned: a no-op
            "client_id": org.clients["own"],
            "caseworker": "k.dijkstra",
        },
        ("POST", "/v1/admin/enrollment-codes"): {"username": "k.dijkstra"},
        ("POST", "/v1/sync/hello"): {
            "device_id": str(uuid.uuid4()),
            "protocol": 1,
            "schema_version": "0002",
            "app_version": "0.1.0",
            "client_time": datetime.now(UTC).isoformat(),
        },
        ("POST", "/v1/sync/push"): {"entries": []},
        ("POST", "/v1/sync/pull"): {"limit": 10},
        ("POST", "/v1/sync/audit"): {"events": []},
    }
    return bodies.get((method, template))


EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def url_for(template: str, org: Org, target: str) -> str:
    return (
        template.replace("{client_id}", org.clients.get(target, ""))
        .replace("{intake_id}", org.intakes.get(target, ""))
        .replace("{team}", TEAM_A)
        .replace("{device_id}", org.spare_device)
        .replace("{change_id}", "999999")
        .replace("{collision_id}", "999999")
        .replace("{sha256}", EMPTY_SHA256)
    )


def call(
    api: TestClient,
    method: str,
    template: str,
    org: Org,
    target: str,
    headers: dict[str, str] | None,
) -> Response:
    response: Response = api.request(
        method,
        url_for(template, org, target),
        json=body_for(method, template, org, target),
        headers=headers,
    )
    return response


def code_of(response: Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"<not JSON: {response.text[:80]!r}>"
    return str(body.get("code", "")) if isinstance(body, dict) else ""


def operations(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def authenticated_operations(app: FastAPI) -> list[tuple[str, str]]:
    return sorted(operations(app) - PUBLIC)


def expected(method: str, template: str, role: str, target: str) -> int:
    rule = MATRIX[(method, template)][role]
    return rule if isinstance(rule, int) else rule[target]


# ------------------------------------------------------------------------------ tests


def test_every_endpoint_has_a_decided_policy(app: FastAPI) -> None:
    found = operations(app)
    assert found >= PUBLIC, f"public endpoints moved: {sorted(PUBLIC - found)}"
    missing = sorted(found - PUBLIC - set(MATRIX))
    assert not missing, f"endpoints without an entry in the authorisation matrix: {missing}"
    stale = sorted(set(MATRIX) - found)
    assert not stale, f"matrix entries for endpoints that no longer exist: {stale}"
    for key, rules in MATRIX.items():
        assert set(rules) == set(ROLES), f"{key}: every role needs an expectation"
        for role, rule in rules.items():
            if isinstance(rule, dict):
                assert set(rule) == set(targets_of(key[1])), f"{key} {role}: targets incomplete"


def test_authorisation_matrix(api: TestClient, app: FastAPI, session: Session) -> None:
    org = build_organisation(session)
    mismatches = []
    checked = 0
    decided = [op for op in authenticated_operations(app) if op in MATRIX]  # others fail above
    for method, template in decided:
        for role in ROLES:
            for target in targets_of(template):
                want = expected(method, template, role, target)
                response = call(api, method, template, org, target, org.by_role(role).headers)
                checked += 1
                got = response.status_code
                code = code_of(response)
                wrong_code = (got == 403 and code != "forbidden") or (
                    got == 404 and code != "not_found"
                )
                if got != want or wrong_code:
                    mismatches.append(
                        f"{role:<10} {method:<4} {template} [{target}]: "
                        f"expected {want}, got {got} ({code})"
                    )
    assert checked > 80
    assert not mismatches, "authorisation matrix violated:\n" + "\n".join(mismatches)


def _ids(response: Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()}


def test_listings_return_exactly_the_callers_scope(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    c, i = org.clients, org.intakes
    scope = {
        "k.dijkstra": {"own"},
        "m.bakker": {"teammate"},
        "j.dekker": {"other_team"},
        "t.mulder": {"own", "teammate"},
        "r.smit": {"other_team"},
    }
    for username, targets in scope.items():
        headers = org.devices[username].headers
        clients = _ids(api.get("/v1/clients", headers=headers))
        assert clients == {c[t] for t in targets}, f"{username}: /v1/clients"
        all_intakes = _ids(api.get("/v1/intakes", headers=headers))
        assert all_intakes == {i[t] for t in targets}, f"{username}: /v1/intakes"
        submitted = _ids(api.get("/v1/intakes?status=submitted", headers=headers))
        assert submitted == {i[t] for t in targets}, f"{username}: /v1/intakes?status=submitted"
        assert _ids(api.get("/v1/intakes?status=approved", headers=headers)) == set()
    admin = org.devices["beheer"].headers
    for path in ("/v1/clients", "/v1/intakes"):
        refused = api.get(path, headers=admin)
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "forbidden"
    everyone = api.get("/v1/admin/clients", headers=admin).json()
    assert {row["id"]: row["caseworker"] for row in everyone} == {
        c[t]: HOLDER[t] or None for t in HOLDER
    }


def test_reassignment_moves_the_scope(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    assignments.assign(session, client_id=org.clients["own"], caseworker="j.dekker", by="test")
    session.commit()
    dossier = f"/v1/clients/{org.clients['own']}"
    for username, status in (
        ("k.dijkstra", 404),
        ("t.mulder", 404),
        ("j.dekker", 200),
        ("r.smit", 200),
    ):
        response = api.get(dossier, headers=org.devices[username].headers)
        assert response.status_code == status, f"{username} after reassignment: {response.text}"
    review = f"/v1/intakes/{org.intakes['own']}/review"
    old_lead = api.post(
        review, json={"decision": "approve"}, headers=org.devices["t.mulder"].headers
    )
    assert old_lead.status_code == 404
    new_lead = api.post(review, json={"decision": "approve"}, headers=org.devices["r.smit"].headers)
    assert new_lead.status_code == 200, new_lead.text
    assert new_lead.json()["fields"]["reviewer"] == "r.smit"


def test_a_revoked_device_is_refused_on_every_endpoint(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    org = build_organisation(session)
    session.execute(update(DeviceRow).values(revoked_at=datetime.now(UTC)))
    session.commit()
    wrong = []
    for method, template in authenticated_operations(app):
        for role in ROLES:
            target = targets_of(template)[0]
            response = call(api, method, template, org, target, org.by_role(role).headers)
            if response.status_code != 401 or code_of(response) != "device_revoked":
                wrong.append(f"{role} {method} {template}: {response.status_code} {response.text}")
            elif response.headers.get("WWW-Authenticate") != "Bearer":
                wrong.append(f"{role} {method} {template}: no WWW-Authenticate: Bearer")
    assert not wrong, "revoked devices got through:\n" + "\n".join(wrong)


def test_no_or_unknown_token_is_refused_on_every_endpoint(
    api: TestClient, app: FastAPI, session: Session
) -> None:
    org = build_organisation(session)
    cases = {
        "missing_token": None,
        "invalid_token": {"Authorization": f"Bearer {new_token()}"},
    }
    basic = {"Authorization": "Basic ay5kaWprc3RyYTpzZWNyZXQ="}
    wrong = []
    for method, template in authenticated_operations(app):
        target = targets_of(template)[0]
        for code, headers in cases.items():
            response = call(api, method, template, org, target, headers)
            if response.status_code != 401 or code_of(response) != code:
                wrong.append(f"{code}: {method} {template}: {response.status_code} {response.text}")
            elif response.headers.get("WWW-Authenticate") != "Bearer":
                wrong.append(f"{code}: {method} {template}: no WWW-Authenticate: Bearer")
        other_scheme = call(api, method, template, org, target, basic)
        if other_scheme.status_code != 401 or code_of(other_scheme) != "missing_token":
            wrong.append(f"basic auth: {method} {template}: {other_scheme.status_code}")
    assert not wrong, "\n".join(wrong)
