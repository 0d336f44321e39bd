"""Filling the central database: client imports from central office's CSV, and demo data."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.demo.caseload import HISTORY_DAYS, generate_caseload
from app.domain.client import Client
from app.domain.records import Record
from app.domain.roles import Role
from server.client_import import RowError, parse_clients
from server.crud import assignments, users
from server.crud.records import insert_records, update_record
from server.errors import ApiError
from server.models import clients as client_table
from server.sync.feed import stamp_positions


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    assigned: int = 0
    dry_run: bool = False
    # In the order of the file; each names its line (and column), in Dutch and English.
    problems: list[RowError] = field(default_factory=list)
    blocked: bool = False
    fatal: bool = False
    # Header names that matched no column: a misspelt optional column would go unnoticed.
    ignored_columns: tuple[str, ...] = ()

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def messages(self, language: str = "nl") -> list[str]:
        return [problem.message(language) for problem in self.problems]

    def summary(self, language: str = "nl") -> str:
        return self._dutch() if language.startswith("nl") else self._english()

    def _english(self) -> str:
        if self.fatal:
            return "nothing imported: the file as a whole was refused (see above)"
        if self.blocked:
            return (
                f"nothing imported: {len(self.problems)} problem(s) in the file "
                "(fix them, or use --skip-invalid to import the good rows)"
            )
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.rows} row(s): {self.created} new, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.assigned} (re)assigned; "
            f"{len(self.problems)} problem(s)"
        )

    def _dutch(self) -> str:
        if self.fatal:
            return "niets geïmporteerd: het bestand als geheel is geweigerd (zie hierboven)"
        problems = _count(len(self.problems), "probleem", "problemen")
        if self.blocked:
            fix = "herstel het" if len(self.problems) == 1 else "herstel ze"
            return (
                f"niets geïmporteerd: {problems} in het bestand ({fix}, of gebruik "
                "--skip-invalid om de goede regels te importeren)"
            )
        rows = _count(self.rows, "regel", "regels")
        if self.dry_run:
            verb = "zou worden geïmporteerd" if self.rows == 1 else "zouden worden geïmporteerd"
            done = f"proefdraai, er verandert niets: {rows} {verb}"
        else:
            done = f"{rows} geïmporteerd"
        return (
            f"{done}: {self.created} nieuw, {self.updated} gewijzigd, {self.unchanged} "
            f"ongewijzigd, {self.assigned} (opnieuw) toegewezen; {problems}"
        )


def refresh_statistics(session: Session) -> None:
    """After a bulk load the planner's statistics are stale until autovacuum comes by; with
    empty statistics PostgreSQL chose a nested loop that took seconds for the first pull.

    The rows are stamped with their feed position first, as the commit would: analyzed before
    that, every row looked unstamped, and each later commit looked for its unstamped rows by
    reading whole tables (19 ms for the visits of 10,000 clients) until autovacuum came by."""
    session.flush()
    stamp_positions(session)
    session.execute(text("ANALYZE"))


def _chunks(items: list[str], size: int = 900) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _stored_by_bsn(session: Session, bsns: list[str]) -> dict[str, dict[str, Any]]:
    """Existing clients of these BSNs, deleted ones included (an import revives them)."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(bsns):
        for row in session.execute(select(client_table).where(client_table.c.bsn.in_(chunk))):
            found[str(row.bsn)] = dict(row._mapping)
    return found


def import_clients(
    session: Session, data: bytes, *, dry_run: bool, skip_invalid: bool, by: str
) -> ImportReport:
    """Import clients; a file with problems imports nothing unless `skip_invalid`.

    Existing clients are matched on the BSN and keep their id and what the file does not carry
    (participation step; the caseworker when the file names none). Re-running the same file
    changes nothing: unchanged records keep their version. A dry run does all the work inside a
    savepoint and rolls it back, so its counts are the real ones.
    """
    plan = parse_clients(data)
    report = ImportReport(dry_run=dry_run, ignored_columns=plan.ignored_columns)
    problems = list(plan.errors)
    caseworkers = {
        u.username: u.id
        for u in users.list_users(session)
        if u.role == Role.CASEWORKER and u.active
    }
    good = []
    for row in plan.rows:
        if row.caseworker and row.caseworker not in caseworkers:
            problems.append(
                plan.cell_error(
                    row.line,
                    "caseworker",
                    "unknown_caseworker",
                    "Deze gebruikersnaam is geen actieve klantmanager.",
                    "This user name is not an active caseworker.",
                )
            )
            continue
        good.append(row)
    # Stable: a row's own problems keep the order the parser found them in.
    report.problems = sorted(problems, key=lambda problem: problem.line)
    if plan.fatal or (report.problems and not skip_invalid):
        report.blocked = True
        report.fatal = plan.fatal
        return report
    report.rows = len(good)
    savepoint = session.begin_nested()
    stored = _stored_by_bsn(session, [row.client.bsn.value for row in good])
    to_assign: list[tuple[str, str]] = []
    new: list[Record] = []
    for row in good:
        client: Client = row.client
        before = stored.get(client.bsn.value)
        if before is None:
            new.append(client)
        else:
            client = replace(
                client,
                id=str(before["id"]),
                participation_step=before["participation_step"],
                caseworker=row.caseworker or str(before["caseworker"]),
            )
            _version, changed = update_record(session, client, before, by=by)
            report.updated += changed
            report.unchanged += not changed
        if row.caseworker:
            to_assign.append((client.id, row.caseworker))
    insert_records(session, new, by=by)
    report.created = len(new)
    report.assigned = assignments.assign_many(session, to_assign, by=by)
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    refresh_statistics(session)
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


def seed_demo(
    session: Session,
    *,
    clients: int,
    seed: int,
    today: date | None = None,
    history_days: int = HISTORY_DAYS,
) -> Seeded:
    """The same caseload the desktop demo generates, with users, a team and assignments.
    `today` is the day the caseload is built around (default: the generator's fixed day, so
    that runs compare); a live demo passes the real date. `history_days`: see
    `generate_caseload`."""
    if users.find_user(session, DEMO_TEAM_LEAD) is not None:
        raise ApiError(409, "demo_exists", "This database already holds the demo data.")
    accounts: list[tuple[str, str, str]] = []
    for username, role, name in (
        (DEMO_ADMIN, Role.ADMIN, "Functioneel beheer"),
        (DEMO_TEAM_LEAD, Role.TEAM_LEAD, "T. Mulder"),
        (DEMO_CASEWORKERS[0], Role.CASEWORKER, "K. Dijkstra"),
        (DEMO_CASEWORKERS[1], Role.CASEWORKER, "M. Bakker"),
    ):
        password = secrets.token_urlsafe(12)
        users.create_user(
            session, by="seed", username=username, display_name=name, role=role, password=password
        )
        accounts.append((username, role, password))
    users.create_team(session, by="seed", name=DEMO_TEAM, lead=DEMO_TEAM_LEAD)
    for caseworker in DEMO_CASEWORKERS:
        users.add_to_team(session, by="seed", team=DEMO_TEAM, username=caseworker)
    caseload = generate_caseload(
        clients=clients,
        seed=seed,
        caseworkers=DEMO_CASEWORKERS,
        team_lead=DEMO_TEAM_LEAD,
        today=today,
        history_days=history_days,
    )
    records = list(caseload.all_records())
    insert_records(session, records, by="demo-seed")
    assignments.assign_many(
        session, [(c.id, c.caseworker) for c in caseload.clients], by="demo-seed"
    )
    refresh_statistics(session)
    return Seeded(clients=len(caseload.clients), records=len(records), accounts=accounts)
