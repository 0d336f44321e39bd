"""The team lead's overview: per caseworker what waits, was returned or approved this month, which
statutory clocks run out, which devices went quiet and how many late edits are open; and the late
edits of the team's clients themselves (SYNC.md rule 9), with values only of the kinds of record a
team lead may see, marked handled with an audit entry.

Built on the organisation of the policy matrix: team A (lead t.mulder; k.dijkstra, m.bakker),
team B (lead r.smit; j.dekker), admin beheer.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from stdnum.nl import bsn as bsn_check

from app.domain.clocks import Clock, ClockKind, ClockState
from app.domain.intake import Intake
from app.domain.local_time import ZONE, local_today
from app.domain.states import IntakeStatus
from app.sync import protocol
from server.crud import assignments
from server.crud.records import upsert_record
from server.crud.team import intake_figures
from server.models import AuditEntry, OrphanedMutation, intakes
from server.models import Device as DeviceRow
from server.policy import Actor, scope_client_ids, team_client_ids
from tests.server.test_policy_matrix import Org, build_organisation, fake_client

KD, MB, JD, TM, RS = "k.dijkstra", "m.bakker", "j.dekker", "t.mulder", "r.smit"
NOTE_TEXT = "Vertrouwelijk: schulden bij drie schuldeisers."


def fake_bsn(seed: int) -> str:
    """A number that passes the 11-check and is nobody's in these tests."""
    number = 200_000_000 + seed * 1_000
    while not bsn_check.is_valid(f"{number:09d}"):
        number += 1
    return f"{number:09d}"


def _client_with_intake(
    session: Session, org: Org, number: int, caseworker: str, **columns: Any
) -> str:
    """A client of `caseworker` with one intake whose stored columns are then set as given."""
    client = fake_client(number, fake_bsn(number), caseworker=caseworker)
    upsert_record(session, client, by="test")
    session.flush()
    assignments.assign(session, client_id=client.id, caseworker=caseworker, by="test")
    intake = Intake(client_id=client.id, caseworker=caseworker)
    upsert_record(session, intake, by="test")
    session.execute(update(intakes).where(intakes.c.id == intake.id).values(**columns))
    org.clients[f"extra{number}"] = client.id
    return client.id


def _due_soon_start(kind: ClockKind, today: date) -> date:
    """A start day whose clock of `kind` is due within DUE_SOON_DAYS today."""
    for back in range(1, 120):
        start = today - timedelta(days=back)
        if Clock.of(kind, start).state(today) is ClockState.DUE_SOON:
            return start
    raise AssertionError("no start day gives a clock that is due soon")


def _last_month(now: datetime) -> datetime:
    local = now.astimezone(ZONE)
    first = local.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return (first - timedelta(days=2)).astimezone(UTC)


def arrange_figures(session: Session, org: Org) -> None:
    """k.dijkstra: the matrix's submitted intake ("own"), one returned with a clock due soon,
    a draft with a clock overdue, one approved this month (its overdue dates no longer count)
    and one approved last month; a device last seen 4 days ago."""
    today = local_today()
    now = datetime.now(UTC)
    _client_with_intake(
        session,
        org,
        11,
        KD,
        status=IntakeStatus.RETURNED.value,
        pw_aanvraag_date=_due_soon_start(ClockKind.PW_BESLISSING, today).isoformat(),
    )
    _client_with_intake(
        session,
        org,
        12,
        KD,
        status=IntakeStatus.DRAFT.value,
        wmo_melding_date=(today - timedelta(days=100)).isoformat(),
    )
    _client_with_intake(
        session,
        org,
        13,
        KD,
        status=IntakeStatus.APPROVED.value,
        reviewed_at=now.isoformat(),
        reviewer=TM,
        pw_aanvraag_date=(today - timedelta(days=200)).isoformat(),
    )
    _client_with_intake(
        session,
        org,
        14,
        KD,
        status=IntakeStatus.APPROVED.value,
        reviewed_at=_last_month(now).isoformat(),
        reviewer=TM,
    )
    session.execute(
        update(DeviceRow)
        .where(DeviceRow.id == org.devices[KD].device_id)
        .values(last_seen=now - timedelta(days=4))
    )


@dataclass
class Orphans:
    note: int  # a late note of k.dijkstra's client: fields named, values hidden
    enrollment: int  # a late enrollment edit of m.bakker's client: values shown
    other_team: int  # j.dekker's client: team B's
    handled: int  # handled before: listed after the open ones, not counted


def _orphan(
    session: Session,
    org: Org,
    *,
    sender: str,
    target: str,
    entity: str,
    op: protocol.Op,
    values: dict[str, Any],
    age: timedelta,
    handled: bool = False,
) -> int:
    client_id = org.clients[target]
    entry = protocol.Entry(
        seq=1,
        mutation_id=str(uuid.uuid4()),
        entity=entity,
        record_id=str(uuid.uuid4()),
        client_id=client_id,
        op=op,
        base_version=None if op is protocol.Op.CREATE else 1,
        new_values=values,
    )
    now = datetime.now(UTC)
    row = OrphanedMutation(
        device_id=org.devices[sender].device_id,
        client_id=client_id,
        entry=entry.model_dump(mode="json"),
        created_at=now - age,
        handled_at=now if handled else None,
    )
    session.add(row)
    session.flush()
    return row.id


def arrange_orphans(session: Session, org: Org) -> Orphans:
    made = Orphans(
        note=_orphan(
            session,
            org,
            sender=JD,
            target="own",
            entity="note",
            op=protocol.Op.CREATE,
            values={
                "client_id": org.clients["own"],
                "text": NOTE_TEXT,
                "author": JD,
                "written_at": "2026-03-02T09:00:00+00:00",
            },
            age=timedelta(hours=2),
        ),
        enrollment=_orphan(
            session,
            org,
            sender=KD,
            target="teammate",
            entity="enrollment",
            op=protocol.Op.UPDATE,
            values={"end_date": "2026-01-31", "scheme": "wmo"},
            age=timedelta(hours=1),
        ),
        other_team=_orphan(
            session,
            org,
            sender=KD,
            target="other_team",
            entity="client",
            op=protocol.Op.UPDATE,
            values={"phone": "0595123456"},
            age=timedelta(minutes=20),
        ),
        handled=_orphan(
            session,
            org,
            sender=MB,
            target="own",
            entity="client",
            op=protocol.Op.UPDATE,
            values={"phone": "0595654321"},
            age=timedelta(minutes=10),
            handled=True,
        ),
    )
    session.commit()
    return made


def _members(api: TestClient, org: Org, lead: str = TM) -> dict[str, dict[str, Any]]:
    response = api.get("/v1/team/figures", headers=org.devices[lead].headers)
    assert response.status_code == 200, response.text
    return {m["username"]: m for m in response.json()["members"]}


# ------------------------------------------------------------------------------- figures


def test_figures_per_caseworker(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    arrange_figures(session, org)
    arrange_orphans(session, org)

    members = _members(api, org)
    kd, mb = members[KD], members[MB]
    assert kd["clients"] == 5
    assert kd["intakes"] == {"draft": 1, "submitted": 1, "returned": 1, "approved": 2}
    assert kd["intakes_waiting"] == 1
    assert kd["intakes_returned"] == 1
    assert kd["approved_this_month"] == 1
    assert kd["clocks_due_soon"] == 1
    assert kd["clocks_overdue"] == 1
    assert kd["devices"] == 1
    assert kd["devices_not_synced_3_days"] == 1
    assert kd["devices_not_synced_14_days"] == 0
    assert kd["orphaned_changes"] == 1  # the note; the handled one is done
    # m.bakker: the matrix's submitted intake, two devices never seen, the enrollment edit.
    assert (mb["intakes_waiting"], mb["intakes_returned"], mb["approved_this_month"]) == (1, 0, 0)
    assert (mb["clocks_due_soon"], mb["clocks_overdue"]) == (0, 0)
    assert (mb["devices_not_synced_3_days"], mb["devices_not_synced_14_days"]) == (2, 2)
    assert mb["orphaned_changes"] == 1
    text = json.dumps(members)
    assert NOTE_TEXT not in text and "Proefpersoon" not in text

    # Team B's lead sees j.dekker only, with the late edit of j.dekker's client.
    other = _members(api, org, RS)
    assert list(other) == [JD]
    assert other[JD]["orphaned_changes"] == 1


def _hello(api: TestClient, org: Org, who: str, **extra: Any) -> None:
    device = org.devices[who]
    body = protocol.Hello(
        device_id=device.device_id,
        protocol=protocol.PROTOCOL_VERSION,
        schema_version="test",
        app_version="9.1.0",
        client_time=datetime.now(UTC),
        **extra,
    )
    response = api.post("/v1/sync/hello", json=body.model_dump(mode="json"), headers=device.headers)
    assert response.status_code == 200, response.text


def test_open_conflicts_are_what_the_devices_last_reported(
    api: TestClient, session: Session
) -> None:
    """A conflict is settled on the device (keeping the server's value sends nothing back), so
    the overview counts what each device said in its last hello, not what the server kept."""
    org = build_organisation(session)
    assert (_members(api, org)[KD]["open_conflicts"], _members(api, org)[MB]["open_conflicts"]) == (
        0,
        0,
    )
    _hello(api, org, KD, open_conflicts=3)
    _hello(api, org, MB, open_conflicts=2)
    assert _members(api, org)[KD]["open_conflicts"] == 3
    # Settled on the laptop: the next hello says so. A hello that says nothing changes nothing.
    _hello(api, org, KD, open_conflicts=0)
    _hello(api, org, MB)
    members = _members(api, org)
    assert (members[KD]["open_conflicts"], members[MB]["open_conflicts"]) == (0, 2)
    stored = session.scalars(
        select(DeviceRow.app_version).where(DeviceRow.id == org.devices[KD].device_id)
    ).one()
    assert stored == "9.1.0"


def test_approvals_count_by_the_month_in_amsterdam() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

    def approved(reviewed_at: str) -> dict[str, Any]:
        return {
            "status": "approved",
            "reviewed_at": reviewed_at,
            "wmo_melding_date": None,
            "wmo_report_given_date": None,
            "wmo_aanvraag_date": None,
            "pw_aanvraag_date": None,
        }

    found = intake_figures(
        [
            approved("2026-02-28T23:30:00+00:00"),  # 1 March, 00:30 in Amsterdam: this month
            approved("2026-02-28T22:30:00+00:00"),  # 28 February, 23:30 there: last month
            approved("2026-03-31T21:30:00+00:00"),  # 31 March, 23:30 (summer time): this month
            approved("2026-03-31T22:30:00+00:00"),  # 1 April, 00:30: next month
            approved("2026-03-05T10:00:00"),  # naive: UTC, as synced times are written
            approved(""),  # approved without a moment: counted by status only
        ],
        now=now,
    )
    assert found["approved_this_month"] == 3
    assert found["intakes"]["approved"] == 6


def test_clocks_of_approved_intakes_do_not_run() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    melding = "2025-12-01"  # six weeks ran out in January
    rows = [
        {
            "status": status,
            "reviewed_at": "2026-03-02T10:00:00+00:00" if status == "approved" else None,
            "wmo_melding_date": melding,
            "wmo_report_given_date": None,
            "wmo_aanvraag_date": None,
            "pw_aanvraag_date": None,
        }
        for status in ("draft", "submitted", "returned", "approved")
    ]
    found = intake_figures(rows, now=now)
    assert found["clocks_overdue"] == 3
    assert found["clocks_due_soon"] == 0


def test_team_client_ids_is_the_team_not_the_dossier_scope(session: Session) -> None:
    org = build_organisation(session)
    arrange_figures(session, org)
    session.commit()

    def actor(username: str) -> Actor:
        device = org.devices[username]
        user_id = session.scalar(select(DeviceRow.user_id).where(DeviceRow.id == device.device_id))
        assert user_id is not None
        return Actor(user_id, username, device.role, device.device_id)

    def clients_of(query: Any) -> set[str]:
        return {str(c) for c in session.scalars(query)}

    extra = {org.clients[f"extra{n}"] for n in (11, 12, 13, 14)}
    team_a = clients_of(team_client_ids(actor(TM)))
    assert team_a == {org.clients["own"], org.clients["teammate"], *extra}
    # The dossier scope stays the clients with an intake waiting for review.
    assert clients_of(scope_client_ids(actor(TM))) == {org.clients["own"], org.clients["teammate"]}
    assert clients_of(team_client_ids(actor(RS))) == {org.clients["other_team"]}
    assert clients_of(team_client_ids(actor(KD))) == set()
    assert clients_of(team_client_ids(actor("beheer"))) == set()


# ---------------------------------------------------------------------------- late edits


def test_orphaned_changes_of_the_team(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    made = arrange_orphans(session, org)

    response = api.get("/v1/team/orphaned-changes", headers=org.devices[TM].headers)
    assert response.status_code == 200, response.text
    rows = response.json()
    # Open ones newest first, then the handled one; team B's is not there.
    assert [r["id"] for r in rows] == [made.enrollment, made.note, made.handled]
    enrollment, note, handled = rows
    assert enrollment["entity"] == "enrollment" and enrollment["op"] == "update"
    assert enrollment["client_id"] == org.clients["teammate"]
    assert enrollment["client_name"] == "T. Proefpersoon1"
    assert enrollment["current_caseworker"] == MB
    assert enrollment["sent_by"] == KD
    assert enrollment["handled_at"] is None
    assert enrollment["values_shown"] is True
    assert enrollment["fields"] == [
        {"name": "scheme", "value": "wmo"},
        {"name": "end_date", "value": "2026-01-31"},
    ]
    # A note is not shown to a team lead through this door: its fields are named, no more.
    assert note["entity"] == "note" and note["sent_by"] == JD
    assert note["client_name"] == "T. Proefpersoon0"
    assert note["current_caseworker"] == KD
    assert note["values_shown"] is False
    assert note["fields"] == [
        {"name": "client_id"},
        {"name": "text"},
        {"name": "author"},
        {"name": "written_at"},
    ]
    assert NOTE_TEXT not in response.text
    assert handled["handled_at"] is not None
    # The listing names clients: audited as a view, with the clients it showed.
    views = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.entity == "orphaned_change"
        )
    ).all()
    assert [(v.actor, v.device_id, v.details) for v in views] == [
        (
            TM,
            org.devices[TM].device_id,
            {"clients": sorted({org.clients[t] for t in ("own", "teammate")})},
        )
    ]
    session.commit()

    other = api.get("/v1/team/orphaned-changes", headers=org.devices[RS].headers)
    assert [r["id"] for r in other.json()] == [made.other_team]
    for who in (KD, "beheer"):
        refused = api.get("/v1/team/orphaned-changes", headers=org.devices[who].headers)
        assert refused.status_code == 403, who
        assert refused.json()["code"] == "forbidden"


def test_marking_handled_stays_inside_the_team(api: TestClient, session: Session) -> None:
    org = build_organisation(session)
    made = arrange_orphans(session, org)
    lead = org.devices[TM].headers

    def handled(change_id: int, headers: dict[str, str] = lead) -> Any:
        return api.post(f"/v1/team/orphaned-changes/{change_id}/handled", headers=headers)

    other_team, unknown = handled(made.other_team), handled(999_999)
    assert other_team.status_code == unknown.status_code == 404
    assert other_team.json() == unknown.json()
    assert other_team.json()["code"] == "not_found"
    caseworker = handled(made.note, org.devices[KD].headers)
    assert caseworker.status_code == 403

    done = handled(made.note)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["id"] == made.note and body["handled_at"] is not None
    assert NOTE_TEXT not in done.text
    again = handled(made.note)
    assert again.status_code == 200
    assert again.json()["handled_at"] == body["handled_at"]

    audited = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "orphaned_change_handled")
    ).all()
    assert [(a.actor, a.device_id, a.entity) for a in audited] == [
        (TM, org.devices[TM].device_id, "note")
    ]
    session.commit()
    listed = api.get("/v1/team/orphaned-changes", headers=lead).json()
    assert [r["id"] for r in listed] == [made.enrollment, made.handled, made.note]
    assert _members(api, org)[KD]["orphaned_changes"] == 0
    # Team B's lead may handle team B's edit.
    assert handled(made.other_team, org.devices[RS].headers).status_code == 200


def test_a_clients_late_edits_read_through_the_dossier_are_audited_as_a_view(
    api: TestClient, session: Session
) -> None:
    """They hold the dossier's values, so reading them is a view of that client's dossier
    (and appears in the client's access report); a listing that shows nothing is no view."""
    org = build_organisation(session)
    arrange_orphans(session, org)
    client_id = org.clients["teammate"]
    response = api.get(f"/v1/clients/{client_id}/orphaned-changes", headers=org.devices[TM].headers)
    assert response.status_code == 200, response.text
    assert response.json()
    session.expire_all()
    views = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.entity == "orphaned_change"
        )
    ).all()
    assert [(v.actor, v.device_id, v.details) for v in views] == [
        (TM, org.devices[TM].device_id, {"clients": [client_id]})
    ]
    session.commit()

    nothing_late = org.clients["other_team"]
    session.execute(delete(OrphanedMutation).where(OrphanedMutation.client_id == nothing_late))
    session.commit()
    empty = api.get(f"/v1/clients/{nothing_late}/orphaned-changes", headers=org.devices[JD].headers)
    assert empty.status_code == 200 and empty.json() == []
    session.expire_all()
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "orphaned_change")
        )
        == 1
    )
