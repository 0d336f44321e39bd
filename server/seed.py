"""Filling the central database: client imports from central office's CSV, and demo data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from app.domain.client import Client
from app.domain.demo_data import generate_caseload
from server.client_import import parse_clients
from server.crud import assignments, users
from server.crud.records import client_id_by_bsn, upsert_record
from server.errors import ApiError


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    assigned: int = 0
    dry_run: bool = False
    error_lines: list[str] = field(default_factory=list)
    blocked: bool = False

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def exit_code(self) -> int:
        return 1 if self.error_lines else 0

    def summary(self) -> str:
        if self.blocked:
            return (
                f"nothing imported: {len(self.error_lines)} problem(s) in the file "
                "(fix them, or use --skip-invalid to import the good rows)"
            )
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.rows} row(s): {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.assigned} (re)assigned; "
            f"{len(self.error_lines)} problem(s)"
        )


def _known_caseworkers(session: Session) -> set[str]:
    return {u.username for u in users.list_users(session) if u.role == "caseworker" and u.active}


def import_clients(
    session: Session, data: bytes, *, dry_run: bool, skip_invalid: bool, by: str
) -> ImportReport:
    """Import clients; a file with problems imports nothing unless `skip_invalid`.

    Re-running the same file changes nothing: ids come from the BSN, and unchanged records keep
    their version."""
    plan = parse_clients(data)
    report = ImportReport(dry_run=dry_run)
    report.error_lines = [f"{e.message_en}" for e in plan.errors]
    caseworkers = _known_caseworkers(session)
    good = []
    for row in plan.rows:
        if row.caseworker and row.caseworker not in caseworkers:
            report.error_lines.append(
                f"Line {row.line}: caseworker column names no active caseworker."
            )
            continue
        good.append(row)
    if report.error_lines and not skip_invalid:
        report.blocked = True
        return report
    report.rows = len(good)
    for row in good:
        client: Client = row.client
        existing = client_id_by_bsn(session, client.bsn.value)
        if existing is not None and existing != client.id:
            client = replace(client, id=existing)
        if dry_run:
            report.created += existing is None
            report.unchanged += existing is not None
            continue
        version, changed = upsert_record(session, client, by=by)
        if not changed:
            report.unchanged += 1
        elif version == 1:
            report.created += 1
        else:
            report.updated += 1
        if row.caseworker:
            before = assignments.current_caseworker(session, client.id)
            if before != row.caseworker:
                assignments.assign(session, client_id=client.id, caseworker=row.caseworker, by=by)
                report.assigned += 1
    if dry_run:
        session.rollback()
    return report


DEMO_CASEWORKERS = ("k.dijkstra", "m.bakker")
DEMO_TEAM_LEAD = "t.mulder"
DEMO_ADMIN = "beheer"
DEMO_TEAM = "Team Hogeland-Noord"


@dataclass(frozen=True)
class Seeded:
    clients: int
    records: int
    accounts: list[tuple[str, str, str]]


def seed_demo(session: Session, *, clients: int, seed: int) -> Seeded:
    """The same caseload the desktop demo generates, with users, a team and assignments."""
    if users.find_user(session, DEMO_TEAM_LEAD) is not None:
        raise ApiError(409, "demo_exists", "This database already holds the demo data.")
    accounts = []
    for username, role, name in (
        (DEMO_ADMIN, "admin", "Functioneel beheer"),
        (DEMO_TEAM_LEAD, "team_lead", "T. Mulder"),
        (DEMO_CASEWORKERS[0], "caseworker", "K. Dijkstra"),
        (DEMO_CASEWORKERS[1], "caseworker", "M. Bakker"),
    ):
        password = secrets.token_urlsafe(12)
        users.create_user(
            session, username=username, display_name=name, role=role, password=password
        )
        accounts.append((username, role, password))
    users.create_team(session, name=DEMO_TEAM, lead=DEMO_TEAM_LEAD)
    for caseworker in DEMO_CASEWORKERS:
        users.add_to_team(session, team=DEMO_TEAM, username=caseworker)
    caseload = generate_caseload(
        clients=clients, seed=seed, caseworkers=DEMO_CASEWORKERS, team_lead=DEMO_TEAM_LEAD
    )
    count = 0
    for record in caseload.all_records():
        upsert_record(session, record, by="demo-seed")
        count += 1
    session.flush()
    for client in caseload.clients:
        assignments.assign(
            session, client_id=client.id, caseworker=client.caseworker, by="demo-seed"
        )
    return Seeded(clients=len(caseload.clients), records=count, accounts=accounts)
