"""Applying central office's client file to the central database (server.seed.import_clients and
`veldwerk-server import-clients`), on SQLite and on PostgreSQL.

A file with problems imports nothing unless told to skip the bad rows; every problem names its
line; re-importing the same file changes nothing; messages never carry a BSN or a name. The files
are built from the demo caseload: fake people with BSNs that pass the 11-check.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.demo.caseload import generate_caseload
from app.domain.client import Client
from server.cli import main
from server.client_import import EXPORT_HEADER
from server.crud import assignments, users
from server.models import Assignment, AuditEntry, clients
from server.seed import ImportReport, import_clients, seed_demo
from tests.server.conftest import PASSWORD

COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}
CASEWORKERS = ("k.dijkstra", "m.bakker")

Row = list[str]


# ----------------------------------------------------------------------------------- helpers


def as_row(client: Client, caseworker: str | None = None) -> Row:
    address = client.address
    return [
        client.bsn.value,
        client.name.initials,
        client.name.first_names,
        client.name.prefix,
        client.name.surname,
        client.date_of_birth.strftime("%d-%m-%Y"),
        address.street,
        str(address.house_number),
        address.house_number_addition,
        address.postcode.value,
        address.village,
        address.municipality,
        client.phone.value if client.phone else "",
        client.email.value if client.email else "",
        client.caseworker if caseworker is None else caseworker,
    ]


def with_value(row: Row, column: str, value: str) -> Row:
    changed = list(row)
    changed[COLUMN[column]] = value
    return changed


def csv_bytes(rows: Iterable[Sequence[str]], header: Sequence[str] = EXPORT_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def without_column(rows: Sequence[Row], column: str) -> tuple[list[str], list[Row]]:
    keep = [i for i, name in enumerate(EXPORT_HEADER) if name != column]
    return [EXPORT_HEADER[i] for i in keep], [[row[i] for i in keep] for row in rows]


def failing_bsn(bsn: str) -> str:
    """The BSN with its last digit changed: the weighted sum moves by 1, so the 11-check fails."""
    return bsn[:-1] + str((int(bsn[-1]) + 1) % 10)


def secrets_of(people: Iterable[Client]) -> set[str]:
    found: set[str] = set()
    for person in people:
        found |= {person.bsn.value, failing_bsn(person.bsn.value), person.name.surname}
        found |= {person.name.first_names, *person.name.first_names.split()}
    return found


def assert_no_secrets(texts: Iterable[str], secrets: Iterable[str]) -> None:
    # Whole words only: a short name inside a random password or a word is no leak.
    text = "\n".join(texts)
    for secret in secrets:
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text), "personal data shown"


def assert_no_personal_data(texts: Iterable[str], people: Iterable[Client]) -> None:
    assert_no_secrets(texts, secrets_of(people))


def make_caseworkers(session: Session, *extra: tuple[str, str]) -> None:
    for username, role in [*((name, "caseworker") for name in CASEWORKERS), *extra]:
        users.create_user(
            session,
            by="test",
            username=username,
            display_name=username,
            role=role,
            password=PASSWORD,
        )
    session.commit()


def count(session: Session, query: Any) -> int:
    # Ends the transaction: on SQLite every transaction takes the write lock (BEGIN IMMEDIATE),
    # and the CLI must be able to write next.
    try:
        return int(session.execute(query).scalar_one())
    finally:
        session.rollback()


def client_count(session: Session) -> int:
    return count(session, select(func.count()).select_from(clients))


def assignment_count(session: Session) -> int:
    return count(session, select(func.count()).select_from(Assignment))


def assign_audit_count(session: Session) -> int:
    return count(
        session, select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "assign")
    )


def table_counts(session: Session) -> tuple[int, int, int]:
    return (
        client_count(session),
        assignment_count(session),
        # What an import audits (the accounts made to arrange the test are audited too).
        count(
            session, select(func.count()).select_from(AuditEntry).where(AuditEntry.entity != "user")
        ),
    )


def stored(session: Session) -> dict[str, tuple[str, int, Any, int | None, str]]:
    """BSN -> (id, version, updated_at, participation_step, caseworker field) of every client."""
    try:
        rows = session.execute(
            select(
                clients.c.bsn,
                clients.c.id,
                clients.c.version,
                clients.c.updated_at,
                clients.c.participation_step,
                clients.c.caseworker,
            )
        ).all()
        return {
            str(r.bsn): (str(r.id), r.version, r.updated_at, r.participation_step, r.caseworker)
            for r in rows
        }
    finally:
        session.rollback()


def current_caseworkers(session: Session) -> dict[str, str | None]:
    try:
        ids = session.execute(select(clients.c.bsn, clients.c.id)).all()
        return {str(r.bsn): assignments.current_caseworker(session, str(r.id)) for r in ids}
    finally:
        session.rollback()


def counts_of(report: ImportReport) -> dict[str, int]:
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "assigned": report.assigned,
        "problems": len(report.problems),
    }


def apply(
    session: Session, data: bytes, *, dry_run: bool = False, skip: bool = False
) -> ImportReport:
    report = import_clients(session, data, dry_run=dry_run, skip_invalid=skip, by="test")
    session.commit()
    return report


def said(report: ImportReport) -> list[str]:
    """Everything a report can print, in both languages."""
    return [
        *report.messages("nl"),
        *report.messages("en"),
        report.summary("nl"),
        report.summary("en"),
    ]


def set_language(monkeypatch: pytest.MonkeyPatch, lang: str | None) -> None:
    """The locale as `veldwerk-server` reads it: only LANG set (or nothing at all)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    if lang is not None:
        monkeypatch.setenv("LANG", lang)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line follows the locale (Dutch without one); these tests read its English.
    # Tests of the Dutch output set the locale themselves.
    set_language(monkeypatch, "en_US.UTF-8")


def run_cli(
    capsys: pytest.CaptureFixture[str], database_url: str, *args: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--database-url", database_url, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def people() -> tuple[Client, ...]:
    return generate_caseload(clients=40, seed=7, caseworkers=CASEWORKERS).clients


# ------------------------------------------------------------------------------ good files


def test_good_file_imports_every_client_and_assigns_them(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)

    report = apply(session, csv_bytes(as_row(p) for p in people))

    assert counts_of(report) == {
        "rows": 40,
        "created": 40,
        "updated": 0,
        "unchanged": 0,
        "assigned": 40,
        "problems": 0,
    }
    assert report.exit_code == 0 and not report.blocked
    assert report.summary("en") == (
        "imported 40 row(s): 40 new, 0 changed, 0 unchanged, 40 (re)assigned; 0 problem(s)"
    )
    assert client_count(session) == 40
    assert assignment_count(session) == 40
    assert current_caseworkers(session) == {p.bsn.value: p.caseworker for p in people}
    assert {version for _, version, *_ in stored(session).values()} == {1}


def test_cli_imports_a_file(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session)
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_bytes(as_row(p) for p in people))

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert code == 0, err
    assert out == (
        "imported 40 row(s): 40 new, 0 changed, 0 unchanged, 40 (re)assigned; 0 problem(s)\n"
    )
    assert err == ""
    assert client_count(session) == 40
    assert current_caseworkers(session) == {p.bsn.value: p.caseworker for p in people}


def test_dry_run_reports_what_the_import_would_do_and_changes_nothing(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)
    data = csv_bytes(as_row(p) for p in people)
    before = table_counts(session)

    dry = apply(session, data, dry_run=True)

    assert table_counts(session) == before
    assert dry.dry_run and dry.summary("en").startswith("would import 40 row(s): 40 new")
    real = apply(session, data)
    assert client_count(session) == 40
    # The dry run must promise exactly what the import then does, assignments included.
    assert counts_of(dry) == counts_of(real)


def test_dry_run_of_a_changed_file_counts_changes_and_reassignments(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)
    apply(session, csv_bytes(as_row(p) for p in people))
    moved = replace(people[0], address=replace(people[0].address, house_number=999))
    other = CASEWORKERS[1] if people[1].caseworker == CASEWORKERS[0] else CASEWORKERS[0]
    rows = [as_row(moved), as_row(people[1], caseworker=other), *map(as_row, people[2:])]
    data = csv_bytes(rows)
    before = stored(session), table_counts(session)

    dry = apply(session, data, dry_run=True)

    assert (stored(session), table_counts(session)) == before
    real = apply(session, data)
    # The client record carries its caseworker, so the reassigned client is changed too.
    assert counts_of(real) == {
        "rows": 40,
        "created": 0,
        "updated": 2,
        "unchanged": 38,
        "assigned": 1,
        "problems": 0,
    }
    assert counts_of(dry) == counts_of(real)


def test_cli_dry_run_changes_nothing(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session)
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_bytes(as_row(p) for p in people))
    before = table_counts(session)

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path), "--dry-run")

    assert code == 0, err
    assert out.startswith("would import 40 row(s): 40 new, 0 changed, 0 unchanged")
    assert table_counts(session) == before == (0, 0, 0)


# ------------------------------------------------------------------------------- bad files


def bad_file(people: Sequence[Client]) -> tuple[bytes, dict[int, str]]:
    """Eight good rows and one of each problem; returns the file and line -> expected text."""
    good = [as_row(p) for p in people[:8]]  # lines 2-9
    future = (date.today() + timedelta(days=30)).strftime("%d-%m-%Y")
    bad = [
        with_value(as_row(people[8]), "bsn", failing_bsn(people[8].bsn.value)),  # line 10
        with_value(as_row(people[9]), "postcode", "97AB 12"),  # line 11
        with_value(as_row(people[10]), "geboortedatum", future),  # line 12
        with_value(as_row(people[11]), "geboortedatum", "31-02-1980"),  # line 13
        with_value(as_row(people[12]), "bsn", people[0].bsn.value),  # line 14
        as_row(people[13], caseworker="x.onbekend"),  # line 15
        as_row(people[14], caseworker="t.mulder"),  # line 16: a team lead, not a caseworker
    ]
    expected = {
        10: "Line 10, column 'bsn': The BSN fails the 11-check.",
        11: "Line 11, column 'postcode'",
        12: "Line 12, column 'geboortedatum': The date of birth is in the future.",
        13: "Line 13, column 'geboortedatum': This is not a valid date",
        14: "Line 14, column 'bsn': This BSN also appears on line 2.",
        15: "Line 15, column 'klantmanager': This user name is not an active caseworker.",
        16: "Line 16, column 'klantmanager': This user name is not an active caseworker.",
    }
    return csv_bytes([*good, *bad]), expected


def assert_reported(report: ImportReport | str, expected: dict[int, str]) -> None:
    lines = report.messages("en") if isinstance(report, ImportReport) else report.splitlines()
    assert len(lines) == len(expected), lines
    for line, text in expected.items():
        assert [m for m in lines if m.startswith(f"Line {line},") or m.startswith(f"Line {line}:")]
        assert any(m.startswith(text) for m in lines), (line, lines)


def test_file_with_bad_rows_imports_nothing_and_names_every_line(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, expected = bad_file(people)
    before = table_counts(session)

    report = apply(session, data)

    assert report.blocked and report.exit_code == 1
    assert report.created == report.updated == report.assigned == 0
    assert_reported(report, expected)
    assert report.summary("en") == (
        "nothing imported: 7 problem(s) in the file "
        "(fix them, or use --skip-invalid to import the good rows)"
    )
    assert table_counts(session) == before
    assert_no_personal_data(said(report), people)


def test_cli_refuses_a_file_with_bad_rows(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, expected = bad_file(people)
    path = tmp_path / "clients.csv"
    path.write_bytes(data)

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))
    dry_code, dry_out, dry_err = run_cli(
        capsys, database_url, "import-clients", str(path), "--dry-run"
    )

    assert code == 1 and dry_code == 1
    assert out.startswith("nothing imported: 7 problem(s)")
    assert_reported(err, expected)
    assert dry_err == err and dry_out == out
    assert table_counts(session) == (0, 0, 0)
    assert_no_personal_data([out, err], people)


def test_missing_required_column_is_a_file_error(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session)
    header, rows = without_column([as_row(p) for p in people[:10]], "postcode")
    data = csv_bytes(rows, header=header)
    path = tmp_path / "clients.csv"
    path.write_bytes(data)

    report = apply(session, data)
    skipped = apply(session, data, skip=True)
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path), "--skip-invalid")

    expected = ["Line 1: required columns are missing: postcode."]
    assert report.blocked and report.messages("en") == expected
    # Skipping bad rows cannot import part of a refused file.
    assert skipped.messages("en") == expected and skipped.imported == 0
    assert code == 1 and err == expected[0] + "\n"
    assert "nothing imported: the file as a whole was refused" in out
    assert table_counts(session) == (0, 0, 0)


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, expected = bad_file(people)

    report = apply(session, data, skip=True)

    assert not report.blocked and report.exit_code == 1
    assert_reported(report, expected)
    assert counts_of(report) == {
        "rows": 8,
        "created": 8,
        "updated": 0,
        "unchanged": 0,
        "assigned": 8,
        "problems": 7,
    }
    # The first of the two rows with the same BSN is good; the second is the problem.
    assert set(stored(session)) == {p.bsn.value for p in people[:8]}
    assert assignment_count(session) == 8
    assert_no_personal_data(said(report), people)


def test_cli_skip_invalid(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, expected = bad_file(people)
    path = tmp_path / "clients.csv"
    path.write_bytes(data)

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path), "--skip-invalid")

    assert code == 1  # there were problems, even though the good rows went in
    assert out == (
        "imported 8 row(s): 8 new, 0 changed, 0 unchanged, 8 (re)assigned; 7 problem(s)\n"
    )
    assert_reported(err, expected)
    assert client_count(session) == 8
    assert_no_personal_data([out, err], people)


# -------------------------------------------------------------------------------- re-import


def test_reimporting_the_same_file_changes_nothing(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_caseworkers(session)
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_bytes(as_row(p) for p in people))
    first = apply(session, path.read_bytes())
    before = stored(session), table_counts(session), assign_audit_count(session)

    again = apply(session, path.read_bytes())
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert first.created == 40
    assert counts_of(again) == {
        "rows": 40,
        "created": 0,
        "updated": 0,
        "unchanged": 40,
        "assigned": 0,
        "problems": 0,
    }
    assert code == 0, err
    assert (
        out == "imported 40 row(s): 0 new, 0 changed, 40 unchanged, 0 (re)assigned; 0 problem(s)\n"
    )
    # Same ids, same versions, same updated_at; no new assignments or audit entries.
    assert (stored(session), table_counts(session), assign_audit_count(session)) == before


def test_changed_address_bumps_only_that_clients_version(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)
    apply(session, csv_bytes(as_row(p) for p in people))
    before = stored(session)
    mover = people[5]
    new_address = replace(mover.address, street="Vlasakker", house_number=77)
    rows = [as_row(replace(p, address=new_address) if p is mover else p) for p in people]

    report = apply(session, csv_bytes(rows))

    after = stored(session)
    assert (report.created, report.updated, report.unchanged, report.assigned) == (0, 1, 39, 0)
    assert after[mover.bsn.value][:2] == (before[mover.bsn.value][0], 2)
    assert {k: v for k, v in after.items() if k != mover.bsn.value} == {
        k: v for k, v in before.items() if k != mover.bsn.value
    }
    try:
        row = session.execute(
            select(clients.c.street, clients.c.house_number).where(clients.c.bsn == mover.bsn.value)
        ).one()
    finally:
        session.rollback()
    assert (row.street, row.house_number) == ("Vlasakker", 77)


def test_new_caseworker_in_the_file_reassigns_with_history(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)
    apply(session, csv_bytes(as_row(p) for p in people[:4]))
    person = people[0]
    other = CASEWORKERS[1] if person.caseworker == CASEWORKERS[0] else CASEWORKERS[0]

    report = apply(
        session, csv_bytes([as_row(person, caseworker=other), *map(as_row, people[1:4])])
    )

    assert report.assigned == 1
    client_id = stored(session)[person.bsn.value][0]
    history = assignments.history(session, client_id)
    session.rollback()
    assert [h["caseworker"] for h in history] == [person.caseworker, other]
    assert history[0]["ended_at"] is not None and history[1]["ended_at"] is None


def test_file_without_caseworker_column_leaves_clients_and_assignments_alone(
    session: Session, people: tuple[Client, ...]
) -> None:
    make_caseworkers(session)
    apply(session, csv_bytes(as_row(p) for p in people))
    before = stored(session), current_caseworkers(session), table_counts(session)
    header, rows = without_column([as_row(p) for p in people], "klantmanager")

    report = apply(session, csv_bytes(rows, header=header))

    # The column is optional: a file without it says nothing about who holds a client, so the
    # stored caseworker must not be blanked (and no version bumped for it).
    assert (report.created, report.updated, report.unchanged) == (0, 0, 40)
    assert (stored(session), current_caseworkers(session), table_counts(session)) == before


def test_existing_client_is_matched_by_bsn_and_keeps_its_id(session: Session) -> None:
    seed_demo(session, clients=20, seed=2026)
    session.commit()
    before = stored(session)
    demo = generate_caseload(clients=20, seed=2026).clients
    assert set(before) == {p.bsn.value for p in demo}

    report = apply(session, csv_bytes(as_row(p) for p in demo))

    after = stored(session)
    assert report.created == 0 and report.assigned == 0
    assert client_count(session) == 20
    assert {bsn: row[0] for bsn, row in after.items()} == {
        bsn: row[0] for bsn, row in before.items()
    }


def test_reimport_keeps_what_the_file_does_not_carry(session: Session) -> None:
    # demo-seed stores a participation step (the caseworker's assessment); the file has no such
    # column, so importing the same people must leave the step, and the version, as they are.
    seed_demo(session, clients=20, seed=2026)
    session.commit()
    before = stored(session)
    assert any(row[3] is not None for row in before.values())
    demo = generate_caseload(clients=20, seed=2026).clients

    report = apply(session, csv_bytes(as_row(p) for p in demo))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 20)
    assert stored(session) == before


# ------------------------------------------------------------------------------ big files


def test_ten_thousand_rows_import_and_reimport(
    session: Session,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    people = generate_caseload(clients=10_000, seed=11, caseworkers=CASEWORKERS).clients
    make_caseworkers(session)
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_bytes(as_row(p) for p in people))
    backend = database_url.split(":", 1)[0]

    started = time.perf_counter()
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))
    imported = time.perf_counter() - started
    assert code == 0, err
    assert out == (
        "imported 10000 row(s): 10000 new, 0 changed, 0 unchanged, 10000 (re)assigned; "
        "0 problem(s)\n"
    )
    before = stored(session), table_counts(session)
    assert before[1] == (10_000, 10_000, 10_000)

    started = time.perf_counter()
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))
    reimported = time.perf_counter() - started

    with capsys.disabled():
        print(f"\n[{backend}] 10,000 rows: import {imported:.1f} s, re-import {reimported:.1f} s")
    assert code == 0, err
    assert out == (
        "imported 10000 row(s): 0 new, 0 changed, 10000 unchanged, 0 (re)assigned; 0 problem(s)\n"
    )
    assert (stored(session), table_counts(session)) == before
    assert imported < 120 and reimported < 120


def test_deleted_client_in_the_file_is_revived_not_duplicated(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Records are deleted softly (deleted = true) and the BSN stays unique; upsert_record revives a
    # deleted record, so the import must find the deleted client by its BSN and revive it.
    make_caseworkers(session)
    path = tmp_path / "clients.csv"
    path.write_bytes(csv_bytes(as_row(p) for p in people[:5]))
    apply(session, path.read_bytes())
    gone = people[0].bsn.value
    client_id, version, *_ = stored(session)[gone]
    session.execute(update(clients).where(clients.c.bsn == gone).values(deleted=True))
    session.commit()

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert code == 0, err
    assert out.startswith("imported 5 row(s): 0 new, 1 changed, 4 unchanged")
    assert stored(session)[gone][:2] == (client_id, version + 1)
    assert client_count(session) == 5
    assert_no_personal_data([out, err], people)


# -------------------------------------------------------------------------------- language


DUTCH_BAD_FILE = {
    10: "Regel 10, kolom 'bsn': Het BSN voldoet niet aan de elfproef.",
    11: "Regel 11, kolom 'postcode': ",
    12: "Regel 12, kolom 'geboortedatum': De geboortedatum ligt in de toekomst.",
    13: "Regel 13, kolom 'geboortedatum': Dit is geen geldige datum",
    14: "Regel 14, kolom 'bsn': Dit BSN staat ook op regel 2.",
    15: "Regel 15, kolom 'klantmanager': Deze gebruikersnaam is geen actieve klantmanager.",
    16: "Regel 16, kolom 'klantmanager': Deze gebruikersnaam is geen actieve klantmanager.",
}


@pytest.mark.parametrize("lang", ["nl_NL.UTF-8", None])
def test_cli_reports_a_bad_file_in_dutch_by_the_locale(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str | None,
) -> None:
    set_language(monkeypatch, lang)
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, _english = bad_file(people)
    path = tmp_path / "clienten.csv"
    path.write_bytes(data)

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert code == 1
    assert out == (
        "niets geïmporteerd: 7 problemen in het bestand (herstel ze, of gebruik --skip-invalid "
        "om de goede regels te importeren)\n"
    )
    lines = err.splitlines()
    assert len(lines) == len(DUTCH_BAD_FILE)
    for line, expected in zip(lines, DUTCH_BAD_FILE.values(), strict=True):
        assert line.startswith(expected), (line, expected)
    # One language, not both.
    assert "Line " not in err and "column" not in err
    assert table_counts(session) == (0, 0, 0)
    assert_no_personal_data([out, err], people)


def test_cli_reports_in_english_by_the_locale(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The module's fixture set LANG=en_US.UTF-8.
    make_caseworkers(session, ("t.mulder", "team_lead"))
    data, expected = bad_file(people)
    path = tmp_path / "clients.csv"
    path.write_bytes(data)

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert code == 1 and out.startswith("nothing imported: 7 problem(s)")
    assert_reported(err, expected)
    assert "Regel" not in err and "kolom" not in err


def test_dutch_summaries(session: Session, people: tuple[Client, ...]) -> None:
    make_caseworkers(session)
    data = csv_bytes(as_row(p) for p in people)

    dry = apply(session, data, dry_run=True)
    real = apply(session, data)
    one = apply(session, csv_bytes([with_value(as_row(people[0]), "huisnummer", "0")]))

    assert dry.summary("nl") == (
        "proefdraai, er verandert niets: 40 regels zouden worden geïmporteerd: 40 nieuw, "
        "0 gewijzigd, 0 ongewijzigd, 40 (opnieuw) toegewezen; 0 problemen"
    )
    assert real.summary("nl") == (
        "40 regels geïmporteerd: 40 nieuw, 0 gewijzigd, 0 ongewijzigd, 40 (opnieuw) "
        "toegewezen; 0 problemen"
    )
    assert one.summary("nl") == (
        "niets geïmporteerd: 1 probleem in het bestand (herstel het, of gebruik --skip-invalid "
        "om de goede regels te importeren)"
    )
    assert one.messages("nl") == [
        "Regel 2, kolom 'huisnummer': Het huisnummer moet tussen 1 en 99999 liggen."
    ]


def test_cli_names_columns_it_ignored(
    session: Session,
    people: tuple[Client, ...],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A misspelt optional column (here the e-mail) would otherwise be dropped without a word.
    set_language(monkeypatch, "nl_NL.UTF-8")
    make_caseworkers(session)
    header = tuple("emial" if name == "email" else name for name in EXPORT_HEADER)
    path = tmp_path / "clienten.csv"
    path.write_bytes(csv_bytes((as_row(p) for p in people[:3]), header=header))

    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert code == 0
    assert err == "let op, genegeerde kolommen: 'emial'\n"
    assert out.startswith("3 regels geïmporteerd: 3 nieuw")
