"""The sync authorisation matrix (SECURITY.md S8 for POST /v1/sync/push): entity x op x role x
target, as specified in server/sync/push.py and server/policy.py.

A target is the client an entry names, seen from the device that sends it:

- own: a client of k.dijkstra (the caseworker; team A, so also in t.mulder's scope);
- teammate: a client of m.bakker (team A);
- other_team: a client of j.dekker (team B, lead r.smit);
- held: a client this very device held before: assigned to k.dijkstra, remembered in
  `device_held_clients` for the device, then reassigned to m.bakker (still team A);
- missing: an id that names nothing.

Every target client has a submitted intake, so team A's clients are in the team lead's scope.
Every cell gets a client (and its record) of its own, arranged before the pushes, so one cell's
change (a delete, an approval that ends the team lead's scope) cannot move another cell.

Client creates are targeted by BSN (a new client is always its own client): the new client
carries the BSN of the target's client, or for `missing` a BSN nobody has.

Expected per policy: scope first, on the record's stored client; an out-of-scope entry answers
exactly as an unknown id (`not_found`) and stores nothing, except a caseworker's edit of a client
the device held before, which is kept as an orphan; then what only the server writes (an intake's
rounds: `server_written`, for every role); then role (`forbidden`); then the operation. Review
comments are written by caseworkers and team leads alike, and their threads resolved and reopened
by both.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.intake import Intake, IntakeSection
from app.domain.notes import Attachment, Note
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.reference import Scheme
from app.domain.review import IntakeRound, ReviewComment
from app.domain.schema import field_names
from app.domain.values import PersonName
from app.domain.visit import Visit, VisitPurpose
from server.crud import assignments
from server.crud.records import fields_of, insert_records
from server.models import (
    RECORD_TABLES,
    Blob,
    BlobUpload,
    Conflict,
    DeviceHeldClient,
    DeviceMutation,
    OrphanedMutation,
    UniquenessCollision,
)
from tests.server.conftest import Device
from tests.server.sync_entries import jsonable
from tests.server.test_policy_matrix import (
    ACTOR,
    Org,
    build_organisation,
    fake_client,
    submitted_intake,
)

ROLES = ("caseworker", "team_lead", "admin")
TARGETS = ("own", "teammate", "other_team", "held", "missing")
# Who holds each target's client now; `held` was k.dijkstra's first.
HOLDER = {"own": "k.dijkstra", "teammate": "m.bakker", "other_team": "j.dekker", "held": "m.bakker"}
ENTITIES = tuple(RECORD_TABLES)
COMMANDS = {
    "intake": ("submit", "approve", "return"),
    "client_plan": ("sign", "activate", "close"),
    "review_comment": ("resolve", "reopen"),
}
COMMAND_OPS = frozenset(op for ops in COMMANDS.values() for op in ops)
MAX_BATCH = 100  # entries per push request (MAX_PUSH_ENTRIES)
ENTITY_OPS = tuple(
    (entity, op)
    for entity in ENTITIES
    for op in ("create", "update", "delete", *COMMANDS.get(entity, ()))
)


@dataclass(frozen=True)
class Outcome:
    """What a push answers and stores for one cell."""

    status: str  # an answer status, or "http_403" for a request refused outright
    code: str | None = None
    # A refusal of a record in scope: the device's refused values are kept as conflict rows.
    kept: bool = False
    # A new client whose BSN belongs to someone else's client: a uniqueness collision row.
    collision: bool = False
    # The entry is answered and numbered (a device_mutations row); blob_missing is not.
    numbered: bool = True

    @property
    def hidden(self) -> bool:
        """Answered as for an id that names nothing."""
        return self.status == "rejected" and self.code == "not_found"


APPLIED = Outcome("applied")
NOT_FOUND = Outcome("rejected", "not_found")
ORPHANED = Outcome("orphaned", "not_in_scope")
FORBIDDEN = Outcome("rejected", "forbidden", kept=True)
COLLISION = Outcome("rejected", "not_found", collision=True)
BSN_IN_USE = Outcome("rejected", "bsn_in_use")
REFUSED = Outcome("http_403", "forbidden")
SERVER_WRITTEN = Outcome("rejected", "server_written", kept=True)

Column = dict[str, Outcome]


def caseworker(own: Outcome, *, held: Outcome = ORPHANED) -> Column:
    """k.dijkstra: only the own client is in scope; a late edit of a held client is orphaned."""
    return {
        "own": own,
        "teammate": NOT_FOUND,
        "other_team": NOT_FOUND,
        "held": held,
        "missing": NOT_FOUND,
    }


def team_lead(in_scope: Outcome) -> Column:
    """t.mulder: team A's clients with a submitted intake (own, teammate, held) are in scope."""
    return {
        "own": in_scope,
        "teammate": in_scope,
        "other_team": NOT_FOUND,
        "held": in_scope,
        "missing": NOT_FOUND,
    }


UNSEEN: Column = dict.fromkeys(TARGETS, NOT_FOUND)  # an entity the role does not see
ADMIN: Column = dict.fromkeys(TARGETS, REFUSED)  # the push route refuses an admin outright


def writes(own: Outcome = APPLIED, *, lead_sees: bool) -> dict[str, Column]:
    """A dossier edit: the caseworker's on their own client; a team lead never."""
    return {
        "caseworker": caseworker(own),
        "team_lead": team_lead(FORBIDDEN) if lead_sees else UNSEEN,
        "admin": ADMIN,
    }


REVIEW = {
    "caseworker": caseworker(FORBIDDEN, held=NOT_FOUND),  # a review is no late edit: no orphan
    "team_lead": team_lead(APPLIED),
    "admin": ADMIN,
}

# An intake's rounds are kept by the server when it is submitted and decided: no device writes
# one, whatever its role; a late write is no edit of the dossier to keep as an orphan.
ROUND = {
    "caseworker": caseworker(SERVER_WRITTEN, held=NOT_FOUND),
    "team_lead": team_lead(SERVER_WRITTEN),
    "admin": ADMIN,
}

# Review comments: both sides of the review write them and resolve or reopen their threads; a
# comment is no late edit of the dossier either.
COMMENT = {
    "caseworker": caseworker(APPLIED, held=NOT_FOUND),
    "team_lead": team_lead(APPLIED),
    "admin": ADMIN,
}

MATRIX: dict[tuple[str, str], dict[str, Column]] = {
    ("client", "create"): {
        "caseworker": {
            "own": BSN_IN_USE,
            "teammate": COLLISION,
            "other_team": COLLISION,
            "held": COLLISION,
            "missing": APPLIED,  # a BSN nobody has: the new client becomes k.dijkstra's
        },
        # A new client is in no team lead's scope: the generic refusal, nothing kept.
        "team_lead": UNSEEN,
        "admin": ADMIN,
    },
    ("client", "update"): writes(lead_sees=True),
    ("client", "delete"): writes(lead_sees=True),
    ("household_member", "create"): writes(lead_sees=True),
    ("household_member", "update"): writes(lead_sees=True),
    ("household_member", "delete"): writes(lead_sees=True),
    ("enrollment", "create"): writes(lead_sees=True),
    ("enrollment", "update"): writes(lead_sees=True),
    ("enrollment", "delete"): writes(lead_sees=True),
    ("visit", "create"): writes(lead_sees=False),
    ("visit", "update"): writes(lead_sees=False),
    ("visit", "delete"): writes(lead_sees=False),
    ("intake", "create"): writes(lead_sees=True),
    ("intake", "update"): writes(lead_sees=True),
    ("intake", "delete"): writes(lead_sees=True),
    ("intake", "submit"): writes(lead_sees=True),
    ("intake", "approve"): REVIEW,
    ("intake", "return"): REVIEW,
    ("intake_round", "create"): ROUND,
    ("intake_round", "update"): ROUND,
    ("intake_round", "delete"): ROUND,
    ("review_comment", "create"): COMMENT,
    ("review_comment", "update"): COMMENT,
    ("review_comment", "delete"): COMMENT,
    ("review_comment", "resolve"): COMMENT,
    ("review_comment", "reopen"): COMMENT,
    ("client_plan", "create"): writes(lead_sees=False),
    ("client_plan", "update"): writes(lead_sees=False),
    ("client_plan", "delete"): writes(lead_sees=False),
    ("client_plan", "sign"): writes(lead_sees=False),
    ("client_plan", "activate"): writes(lead_sees=False),
    ("client_plan", "close"): writes(lead_sees=False),
    # An action of a draft plan: the caseworker's to change, like the plan; no team lead's.
    ("plan_action", "create"): writes(lead_sees=False),
    ("plan_action", "update"): writes(lead_sees=False),
    ("plan_action", "delete"): writes(lead_sees=False),
    ("note", "create"): writes(lead_sees=False),
    ("note", "update"): writes(lead_sees=False),
    ("note", "delete"): writes(lead_sees=False),
    ("attachment", "create"): writes(lead_sees=False),
    ("attachment", "update"): writes(lead_sees=False),
    ("attachment", "delete"): writes(lead_sees=False),
}

# The one answer for "outside your scope" and "no such record" (seq and mutation_id left out).
NOT_FOUND_ANSWER: dict[str, Any] = {
    "status": "rejected",
    "code": "not_found",
    "reason": "No such record, or not yours to change.",
    "version": None,
    "server_values": {},
    "conflicts": [],
}

# What an update changes, per entity (the base is what the cell's record holds).
UPDATES: dict[str, dict[str, Any]] = {
    "client": {"phone": "0612345678"},
    "household_member": {"first_names": "Anders"},
    "enrollment": {"end_date": "2031-12-31"},
    "visit": {"notes": "Bijgewerkt verslag"},
    "intake": {"strengths": "Doorzetter"},
    "intake_round": {"decision": "approved"},
    "review_comment": {"text": "Aangevulde opmerking"},
    "client_plan": {"agreements": "Nieuwe afspraak"},
    "plan_action": {"description": "Cv bijwerken en naar twee werkgevers sturen"},
    "note": {"text": "Aangevulde notitie"},
    "attachment": {"name": "scan-nieuw.pdf"},
}
# What an applied command leaves in the stored record.
COMMAND_RESULT: dict[str, dict[str, Any]] = {
    "submit": {"status": "submitted"},
    "approve": {"status": "approved", "reviewer": "t.mulder"},
    "return": {"status": "returned", "reviewer": "t.mulder"},
    "activate": {"status": "active"},
    "close": {"status": "closed"},
    "resolve": {"status": "resolved"},
    "reopen": {"status": "open", "resolved_by": None, "resolved_at": None},
}
BLOB = b"%PDF-1.4 proefscan van een loonstrook\n"
BLOB_SHA = hashlib.sha256(BLOB).hexdigest()
NEVER_UPLOADED_SHA = hashlib.sha256(b"bytes nobody ever sent").hexdigest()


STROKES = (((10.0, 10.0, 0.5, 0), (20.0, 12.0, 0.5, 8)),)


def signature(signer: str) -> dict[str, Any]:
    return Signature(
        signer, SignatureMethod.DIGITAL, datetime(2024, 3, 1, tzinfo=UTC), strokes=STROKES
    ).to_json()


def signed_by_both(plan: ClientPlan, owner: str) -> ClientPlan:
    """The draft (without actions) signed by the client and its caseworker."""
    content = content_hash(plan, ())
    client = Signature.from_json(signature("Testa Proefpersoon"))
    caseworker = Signature.from_json(signature(owner))
    assert client is not None and caseworker is not None
    return plan.sign(SignerRole.CLIENT, client, content=content).sign(
        SignerRole.CASEWORKER, caseworker, content=content
    )


def command_values(op: str) -> dict[str, Any]:
    values: dict[str, dict[str, Any]] = {
        "return": {"command": "return", "comments": {"scores": "Onderbouw de scores."}},
        # The client signs the draft: the server works out what content that signature is of.
        "sign": {"command": "sign", "role": "client", "signature": signature("Testa Proefpersoon")},
    }
    return values.get(op, {"command": op})


def valid_bsns(start: int) -> Iterator[str]:
    """Nine-digit numbers passing the 11-check, none of the organisation's."""
    number = start
    while True:
        number += 1
        digits = f"{number:08d}"
        check = sum(int(d) * (9 - i) for i, d in enumerate(digits)) % 11
        if check < 10:
            yield digits + str(check)


# ------------------------------------------------------------------------------ arranging


@dataclass
class Cell:
    role: str
    entity: str
    op: str
    target: str
    device: Device
    entry: dict[str, Any]
    client_id: str  # the target client ("" for missing)
    record_id: str
    want: Outcome
    case: str = ""  # which rule the cell checks, where it is not the matrix's

    def __str__(self) -> str:
        where = f"{self.role:<10} {self.entity:<16} {self.op:<8} [{self.target}]"
        return f"{self.case}: {where}" if self.case else where


@dataclass
class Arranger:
    """Makes a fresh target client (with a submitted intake) and record per cell, written in a
    few bulk statements by `finish`."""

    session: Session
    bsns: Iterator[str] = field(default_factory=lambda: valid_bsns(30_000_000))
    number: int = 0
    records: list[Any] = field(default_factory=list)
    first_holders: list[tuple[str, str]] = field(default_factory=list)
    held: list[DeviceHeldClient] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)

    def next(self) -> int:
        self.number += 1
        return self.number

    def client(self, target: str, device: Device) -> tuple[Client, Intake]:
        n = self.next()
        first = "k.dijkstra" if target == "held" else HOLDER[target]
        person = fake_client(n % 27, next(self.bsns), caseworker=first, surname=f"Geheimnaam{n}")
        intake = submitted_intake(person.id, first)
        self.records += [person, intake]
        self.first_holders.append((person.id, first))
        if target == "held":
            # Held by this device while it was k.dijkstra's, then reassigned to m.bakker.
            self.held.append(DeviceHeldClient(device_id=device.device_id, client_id=person.id))
            self.moved.append((person.id, "m.bakker"))
        return person, intake

    def finish(self) -> None:
        insert_records(self.session, self.records, by="test")  # parents first
        assignments.assign_many(self.session, self.first_holders, by="test")
        self.session.add_all(self.held)
        self.session.flush()
        if self.moved:
            assignments.assign_many(self.session, self.moved, by="test")
        self.session.commit()
        self.records, self.first_holders, self.held, self.moved = [], [], [], []

    def record(
        self,
        entity: str,
        op: str,
        client_id: str,
        owner: str,
        *,
        intake_id: str = "",
        with_plan: bool = True,
    ) -> Any:
        """A record of this client as the op needs it (a draft to edit, a plan ready to sign,
        activate or close, a thread to resolve or reopen, an action of a draft plan, ...).
        `intake_id`: the client's intake under review, which rounds and comments belong to.
        An action's draft plan is stored with the cell's records (`with_plan`: the client
        exists)."""
        n = self.next()
        secret = f"{n}-{uuid.uuid4().hex[:10]}"
        if entity == "plan_action":
            plan = ClientPlan(
                client_id=client_id,
                caseworker=owner,
                goals=("Werk vinden",),
                agreements=f"Afspraak {secret}",
            )
            if with_plan:
                self.records.append(plan)
            return PlanAction(
                client_id=client_id,
                plan_id=plan.id,
                description=f"Actie {secret}",
                owner=ActionOwner.CLIENT,
                due_date=date(2030, 2, 1),
            )
        if entity == "intake_round":
            return IntakeRound(
                client_id=client_id,
                intake_id=intake_id,
                number=1,
                submitted_at=datetime(2024, 3, 1, 10, tzinfo=UTC),
                submitted_by=owner,
                content={"barriers": f"Schulden {secret}"},
            )
        if entity == "review_comment":
            # A thread the team lead opened to resolve or reopen; else one by `owner`.
            author = "t.mulder" if op in ("resolve", "reopen") else owner
            comment = ReviewComment(
                client_id=client_id,
                intake_id=intake_id,
                section=IntakeSection.SCORES,
                round=1,
                author=author,
                author_role="team_lead" if author == "t.mulder" else "caseworker",
                text=f"Onderbouw de score {secret}",
                written_at=datetime(2024, 3, 2, 9, tzinfo=UTC),
            )
            if op == "reopen":
                comment = comment.resolved(by="k.dijkstra", at=datetime(2024, 3, 3, tzinfo=UTC))
            return comment
        if entity == "household_member":
            return HouseholdMember(
                client_id=client_id,
                relation=Relation.PARTNER,
                name=PersonName(surname=f"Huisgenoot{secret}", first_names="Geheime"),
                date_of_birth=date(1985, 5, 5),
            )
        if entity == "enrollment":
            return Enrollment(
                client_id=client_id,
                scheme=Scheme.PARTICIPATIEWET,
                start_date=date(2020, 1, 1),
                caseworker=owner,
                consent_given=True,
                consent_date=date(2020, 1, 1),
            )
        if entity == "visit":
            return Visit(
                client_id=client_id,
                planned_at=datetime(2030, 1, 1, 9, tzinfo=UTC),
                purpose=VisitPurpose.VOORTGANG,
                caseworker=owner,
                notes=f"Bezoekverslag {secret}",
            )
        if entity == "intake":
            intake = submitted_intake(client_id, owner)
            return Intake.from_fields(
                intake.id,
                {
                    **intake.to_fields(),
                    "status": "draft",
                    "submitted_at": None,
                    "barriers": f"Schulden {secret}",
                },
            )
        if entity == "client_plan":
            plan = ClientPlan(
                client_id=client_id,
                caseworker=owner,
                goals=("Werk vinden",),
                agreements=f"Afspraak {secret}",
            )
            if op in ("activate", "close"):
                plan = signed_by_both(plan, owner)
            if op == "close":
                plan = plan.activate(at=datetime.now(UTC))
            return plan
        if entity == "note":
            return Note(
                client_id=client_id,
                text=f"Vertrouwelijk {secret}",
                author=owner,
                written_at=datetime(2024, 2, 2, tzinfo=UTC),
            )
        assert entity == "attachment"
        return Attachment(
            client_id=client_id,
            name=f"loonstrook-{secret}.pdf",
            media_type="application/pdf",
            size=len(BLOB),
            sha256=BLOB_SHA,
        )

    def created(
        self, entity: str, client_id: str, intake_id: str, *, exists: bool = True
    ) -> dict[str, Any]:
        """A create as a device sends it, plus what the device may not decide (an approved
        status, a reviewer, signatures, the signed content's hash, another owner or author
        role, a resolved thread): the server must store a draft (an open thread) of its own
        user."""
        record = self.record(
            entity, "create", client_id, "m.bakker", intake_id=intake_id, with_plan=exists
        )
        fields = dict(record.to_fields())
        if entity == "intake_round":
            fields.update(decision="approved", reviewer="t.mulder")
        if entity == "review_comment":
            fields.update(
                author_role="admin",
                status="resolved",
                resolved_by="m.bakker",
                resolved_at="2024-03-01T10:00:00+00:00",
            )
        if entity == "intake":
            fields.update(
                status="approved", reviewer="t.mulder", reviewed_at="2024-03-01T10:00:00+00:00"
            )
        if entity == "client_plan":
            fields.update(
                status="active",
                content_hash="0" * 64,
                client_signature=signature("Testa Proefpersoon"),
                caseworker_signature=signature("k.dijkstra"),
                activated_at="2024-03-01T10:00:00+00:00",
            )
        return jsonable(fields)

    def cell(self, role: str, entity: str, op: str, target: str, device: Device) -> Cell:
        want = MATRIX[(entity, op)][role][target]
        person: Client | None = None
        intake: Intake | None = None
        if target != "missing":
            person, intake = self.client(target, device)
        client_id = person.id if person else str(uuid.uuid4())
        owner = "k.dijkstra" if target == "held" else HOLDER.get(target, "m.bakker")
        intake_id = intake.id if intake else str(uuid.uuid4())
        if entity == "review_comment":
            owner = ACTOR[role]  # one's own comment to edit or delete
        base: dict[str, Any] = {}
        entry_client = client_id
        if entity == "client" and op == "create":
            # Targeted by BSN: a new client with the target client's BSN (missing: a new BSN).
            record_id = str(uuid.uuid4())
            bsn = person.bsn.value if person else next(self.bsns)
            new_values = jsonable(
                fake_client(self.next() % 27, bsn, caseworker="m.bakker").to_fields()
            )
            entry_client = record_id
        elif op == "create":
            record_id = str(uuid.uuid4())
            new_values = self.created(entity, client_id, intake_id, exists=person is not None)
            if entity == "review_comment":
                new_values["thread_id"] = record_id  # a thread of its own
        else:
            stored: dict[str, Any] = {}
            if person is None:
                record_id = str(uuid.uuid4())
            elif entity == "client":
                record_id, stored = person.id, person.to_fields()
            elif entity == "intake" and op in ("approve", "return"):
                assert intake is not None
                record_id = intake.id  # the intake under review
            else:
                record = self.record(entity, op, client_id, owner, intake_id=intake_id)
                self.records.append(record)
                record_id, stored = record.id, record.to_fields()
            if op == "update":
                new_values = dict(UPDATES[entity])
                base = {k: stored.get(k) for k in new_values}
            elif op == "delete":
                new_values = {}
            else:
                new_values = command_values(op)
        entry = {
            "seq": 0,  # numbered when sent
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": record_id,
            "client_id": entry_client,
            "op": "command" if op in COMMAND_OPS else op,
            "base_values": jsonable(base),
            "new_values": new_values,
        }
        return Cell(role, entity, op, target, device, entry, client_id, record_id, want)


# ------------------------------------------------------------------------------ checking


def rows_of(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The stored rows, by (entity, id), in one query per entity."""
    found: dict[tuple[str, str], Any] = {}
    by_entity: dict[str, list[str]] = {}
    for entity, record_id in keys:
        by_entity.setdefault(entity, []).append(record_id)
    for entity, ids in by_entity.items():
        table = RECORD_TABLES[entity]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in session.execute(select(table).where(table.c.id.in_(chunk))):
                found[(entity, str(row.id))] = dict(row._mapping)
    return found


def counts(session: Session) -> dict[str, int]:
    return {
        name: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in (
            ("conflicts", Conflict),
            ("orphaned_mutations", OrphanedMutation),
            ("uniqueness_collisions", UniquenessCollision),
            ("device_mutations", DeviceMutation),
        )
    }


def stored_per_entry(session: Session) -> dict[str, Counter[str]]:
    """What was stored, per entry (mutation id; a collision by the new client's id)."""
    return {
        "conflicts": Counter(session.scalars(select(Conflict.mutation_id))),
        "orphaned_mutations": Counter(
            str(entry["mutation_id"]) for entry in session.scalars(select(OrphanedMutation.entry))
        ),
        "uniqueness_collisions": Counter(session.scalars(select(UniquenessCollision.record_id))),
        "device_mutations": Counter(session.scalars(select(DeviceMutation.mutation_id))),
    }


def strings_in(value: Any) -> Iterator[str]:
    """Every text a stored value would show as in JSON (nested values too)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, datetime | date):
        yield value.isoformat()
    elif isinstance(value, str):
        yield value
    elif isinstance(value, int) and not isinstance(value, bool) and value > 999:
        yield str(value)


def secrets_of(*rows: dict[str, Any] | None) -> set[str]:
    """The stored values of these rows that would give them away in an answer."""
    found: set[str] = set()
    for row in rows:
        if row is not None:
            found |= {text for text in strings_in(fields_of(row)) if len(text) >= 5}
    return found


def stripped(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in ("seq", "mutation_id")}


@dataclass
class Sent:
    http: int
    answer: dict[str, Any]  # the entry's answer, or the error body of a refused request
    text: str  # what the device saw of it


@dataclass
class Pusher:
    """Sends entries as each device's next, up to 100 a request; an entry the server did not
    get to (the batch stopped at blob_missing) goes in the next request."""

    api: TestClient
    seqs: dict[str, int] = field(default_factory=dict)

    def send(self, device: Device, entries: list[dict[str, Any]]) -> dict[str, Sent]:
        results: dict[str, Sent] = {}
        pending = list(entries)
        while pending:
            last = self.seqs.get(device.device_id, 0)
            batch = [{**e, "seq": last + 1 + i} for i, e in enumerate(pending[:MAX_BATCH])]
            response = self.api.post(
                "/v1/sync/push", json={"entries": batch}, headers=device.headers
            )
            if response.status_code != 200:
                for e in batch:
                    results[e["mutation_id"]] = Sent(
                        response.status_code, response.json(), response.text
                    )
                pending = pending[len(batch) :]
                continue
            body = response.json()
            answers = body["answers"]
            assert answers, response.text
            for e, answer in zip(batch, answers, strict=False):
                assert answer["mutation_id"] == e["mutation_id"], response.text
                results[e["mutation_id"]] = Sent(200, answer, json.dumps(answer))
            self.seqs[device.device_id] = int(body["last_applied_seq"])
            pending = pending[len(answers) :]
        return results


def applied_effect(cell: Cell, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What is wrong with the stored record after an applied entry ("" if nothing)."""
    user = ACTOR[cell.role]
    if after is None:
        return "record not stored"
    if cell.op == "create":
        problems = []
        if before is not None or after["version"] != 1 or after["deleted"]:
            problems.append(f"not a fresh version 1 (version {after['version']})")
        owner = {"client": "caseworker", "note": "author", "review_comment": "author"}.get(
            cell.entity, "caseworker"
        )
        if owner in after and after[owner] != user:
            problems.append(f"owner {owner}={after[owner]!r}, not {user}")
        if cell.entity == "review_comment" and (
            after["author_role"] != cell.role
            or after["status"] != "open"
            or after["resolved_by"] is not None
            or after["thread_id"] != cell.record_id
        ):
            problems.append(
                f"comment stored as {after['author_role']}/{after['status']}/"
                f"{after['resolved_by']}/thread {after['thread_id']}"
            )
        if cell.entity == "intake" and (after["status"] != "draft" or after["reviewer"]):
            problems.append(f"intake stored as {after['status']}/{after['reviewer']}")
        if cell.entity == "client_plan" and (
            after["status"] != "draft"
            or after["client_signature"] is not None
            or after["caseworker_signature"] is not None
            or after["content_hash"] is not None
        ):
            problems.append(f"plan stored as {after['status']}, signed")
        return "; ".join(problems)
    assert before is not None
    if after["version"] != before["version"] + 1:
        return f"version {before['version']} -> {after['version']}"
    if cell.op == "delete":
        return "" if after["deleted"] else "not deleted"
    if cell.op == "update":
        wrong = {k: after[k] for k, v in UPDATES[cell.entity].items() if str(after[k]) != str(v)}
        return f"not written: {wrong}" if wrong else ""
    if cell.op == "sign":
        # Signed by the client, of the content the server holds (the plan, no actions).
        stored = ClientPlan.from_fields(cell.record_id, fields_of(before))
        content = content_hash(stored, ())
        signed = after["client_signature"]
        if not signed or signed["content_hash"] != content or after["content_hash"] != content:
            return f"not signed of {content}: {after['content_hash']}, {signed}"
        return "" if after["caseworker_signature"] is None else "signed by the caseworker too"
    result = dict(COMMAND_RESULT[cell.op])
    if cell.op == "resolve":
        result["resolved_by"] = user  # who resolved comes from the server, not the device
    wrong = {k: after[k] for k, v in result.items() if after[k] != v}
    return f"command left {wrong}" if wrong else ""


def run_cells(session: Session, pusher: Pusher, cells: list[Cell]) -> list[str]:
    """Send every cell's entry; every way an answer or the stored state breaks the rules."""
    keys = {(c.entity, c.record_id) for c in cells} | {("client", c.client_id) for c in cells}
    before = rows_of(session, keys)
    counted = counts(session)
    session.commit()  # SQLite: hold no lock while the app writes
    results: dict[str, Sent] = {}
    by_device: dict[str, list[Cell]] = {}
    for cell in cells:
        by_device.setdefault(cell.device.device_id, []).append(cell)
    for group in by_device.values():
        results.update(pusher.send(group[0].device, [c.entry for c in group]))
    after = rows_of(session, keys)
    delta = {k: v - counted[k] for k, v in counts(session).items()}
    stored = stored_per_entry(session)
    session.commit()

    problems: list[str] = []
    expected_total = dict.fromkeys(delta, 0)
    for cell in cells:
        expected, found = judge(cell, results[cell.entry["mutation_id"]], before, after, stored)
        for name, number in expected.items():
            expected_total[name] += number
        problems += [f"{cell}: {p}" for p in found]
    if delta != expected_total:
        problems.append(f"rows stored in total {delta}, expected {expected_total}")
    return problems


def judge(
    cell: Cell,
    sent: Sent,
    before: dict[tuple[str, str], Any],
    after: dict[tuple[str, str], Any],
    stored: dict[str, Counter[str]],
) -> tuple[dict[str, int], list[str]]:
    """The rows the cell should have stored, and every way it broke the rules."""
    want, answer = cell.want, sent.answer
    key = (cell.entity, cell.record_id)
    problems = []
    if want.status == "http_403":
        got = (sent.http, answer.get("code"))
        if got != (403, "forbidden"):
            problems.append(f"expected HTTP 403 forbidden, got {got}: {sent.text[:200]}")
    elif sent.http != 200:
        problems.append(f"HTTP {sent.http}: {sent.text[:200]}")
    elif (answer["status"], answer.get("code")) != (want.status, want.code):
        problems.append(
            f"expected {want.status}/{want.code}, got {answer['status']}/{answer.get('code')}"
            f" (reason {answer.get('reason')!r}, server_values keys "
            f"{sorted(answer.get('server_values') or {})})"
        )
    if sent.http == 200 and want.hidden and stripped(answer) != NOT_FOUND_ANSWER:
        problems.append(f"differs from the unknown-id answer: {stripped(answer)}")

    kept = 0
    if want.kept:
        kept = sum(1 for k in cell.entry["new_values"] if k in field_names(cell.entity))
    expected = {
        "conflicts": kept,
        "orphaned_mutations": 1 if want.status == "orphaned" else 0,
        "uniqueness_collisions": 1 if want.collision else 0,
        "device_mutations": 1 if want.numbered and want.status != "http_403" else 0,
    }
    mutation_id = cell.entry["mutation_id"]
    got_rows = {
        name: stored[name][cell.record_id if name == "uniqueness_collisions" else mutation_id]
        for name in expected
    }
    if got_rows != expected:
        problems.append(f"stored rows {got_rows}, expected {expected}")

    if want.status == "applied":
        wrong = applied_effect(cell, before.get(key), after.get(key))
        if wrong:
            problems.append(f"stored record: {wrong}")
    elif before.get(key) != after.get(key):
        problems.append("the stored record changed although the entry was not applied")

    if want.hidden or want.status in ("orphaned", "http_403"):
        secrets = secrets_of(before.get(key), before.get(("client", cell.client_id)))
        leaked = sorted(s for s in secrets if s in sent.text)
        if leaked:
            problems.append(f"stored values in the answer: {leaked}")
    return expected, problems


def prepare(session: Session) -> Org:
    org = build_organisation(session)
    # k.dijkstra's device uploaded the bytes its attachment creates name (proof of possession).
    now = datetime.now(UTC)
    session.add(Blob(sha256=BLOB_SHA, size=len(BLOB), data=BLOB, stored_at=now))
    session.add(BlobUpload(device_id=org.devices["k.dijkstra"].device_id, sha256=BLOB_SHA, at=now))
    session.commit()
    return org


def matrix_cells(arranger: Arranger, role: str, device: Device) -> list[Cell]:
    cells = [
        arranger.cell(role, entity, op, target, device)
        for entity, op in ENTITY_OPS
        for target in TARGETS
    ]
    arranger.finish()
    return cells


def run_role(api: TestClient, session: Session, role: str) -> None:
    org = prepare(session)
    cells = matrix_cells(Arranger(session), role, org.by_role(role))
    assert len(cells) == len(ENTITY_OPS) * len(TARGETS) == 205
    problems = run_cells(session, Pusher(api), cells)
    assert not problems, f"{role}: sync push matrix violated:\n" + "\n".join(problems)


# ------------------------------------------------------------------------------ tests


def test_every_cell_has_a_decided_outcome() -> None:
    assert set(MATRIX) == set(ENTITY_OPS), "every entity and op needs a row"
    for key, columns in MATRIX.items():
        assert set(columns) == set(ROLES), f"{key}: every role needs a column"
        for role, column in columns.items():
            assert set(column) == set(TARGETS), f"{key} {role}: targets incomplete"
    # Scope first: no out-of-scope target is ever answered with anything but the generic refusal
    # or, for a caseworker's device that held the client, an orphan.
    for key, columns in MATRIX.items():
        for role in ("caseworker", "team_lead"):
            for target in ("other_team", "missing"):
                want = columns[role][target]
                if key == ("client", "create") and target == "missing" and role == "caseworker":
                    continue  # a BSN nobody has: a new client of one's own
                assert want.hidden, f"{key} {role} {target}"


def test_caseworker_push_matrix(api: TestClient, session: Session) -> None:
    run_role(api, session, "caseworker")


def test_team_lead_push_matrix(api: TestClient, session: Session) -> None:
    run_role(api, session, "team_lead")


def test_admin_push_is_refused(api: TestClient, session: Session) -> None:
    org = prepare(session)
    device = org.by_role("admin")
    cells = matrix_cells(Arranger(session), "admin", device)
    problems = run_cells(session, Pusher(api), cells)
    assert not problems, "admin: sync push matrix violated:\n" + "\n".join(problems)


# Checks that come after scope: in scope they refuse with their own code (the refused values are
# kept as conflicts where they name fields); outside scope the entry answers as an unknown id,
# and for a client this device held before it is kept as an orphan.
SHAPE_CASES: dict[str, tuple[str, str, dict[str, Any], Outcome]] = {
    "status by field edit": (
        "intake",
        "update",
        {"status": "approved"},
        Outcome("rejected", "command_field", kept=True),
    ),
    "reviewer by field edit": (
        "intake",
        "update",
        {"reviewer": "k.dijkstra"},
        Outcome("rejected", "command_field", kept=True),
    ),
    "signature by field edit": (
        "client_plan",
        "update",
        {"client_signature": signature("Testa Proefpersoon")},
        Outcome("rejected", "command_field", kept=True),
    ),
    "content hash by field edit": (
        "client_plan",
        "update",
        {"content_hash": "0" * 64},
        Outcome("rejected", "command_field", kept=True),
    ),
    "moving a note to another client": (
        "note",
        "update",
        {"client_id": "MOVE"},  # replaced by another client of k.dijkstra
        Outcome("rejected", "immutable_field", kept=True),
    ),
    "unknown key": (
        "visit",
        "update",
        {"colour": "rood"},
        Outcome("rejected", "unknown_field", kept=True),
    ),
    "note text too long": (
        "note",
        "update",
        {"text": "x" * 20_001},
        Outcome("rejected", "too_long", kept=True),
    ),
    "attachment naming bytes never uploaded": (
        "attachment",
        "create",
        {"sha256": NEVER_UPLOADED_SHA},
        Outcome("rejected", "blob_missing", numbered=False),
    ),
}


def test_shape_rules_come_after_scope(api: TestClient, session: Session) -> None:
    org = prepare(session)
    device = org.by_role("caseworker")
    arranger = Arranger(session)
    cells: list[Cell] = []
    for name, (entity, op, values, in_scope) in SHAPE_CASES.items():
        for target in TARGETS:
            cell = arranger.cell("caseworker", entity, op, target, device)
            if values.get("client_id") == "MOVE":
                values = {"client_id": org.clients["own"]}
            cell.entry["new_values"] = {**cell.entry["new_values"], **jsonable(values)}
            cell.want = caseworker(in_scope)[target]
            cell.case = name
            cells.append(cell)
    arranger.finish()
    problems = run_cells(session, Pusher(api), cells)
    assert not problems, "shape rules:\n" + "\n".join(problems)
