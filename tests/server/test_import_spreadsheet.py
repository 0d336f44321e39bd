"""Issue #17: the import takes what spreadsheets contain.

Central office tried a 2,000-row export from a spreadsheet (semicolons, Dutch headers,
dd-mm-jjjj, Windows-1252) and 18% of the valid rows were refused for the way the house-number
addition was written. Here such an export is made with a fixed seed from the demo caseload (fake
people, BSNs that pass the 11-check), its additions written the ways people write them, and
every row must go in with the addition in its stored form (app/domain/house_numbers.py). A file
with real errors is reported by line, column and a Dutch message, and imports nothing unless
told to skip the bad rows.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.caseload import DEMO_TODAY, generate_caseload
from app.domain.client import Client
from app.domain.values import PersonName
from server.client_import import EXPORT_HEADER, parse_clients
from server.models import clients
from server.seed import import_clients
from tests.server.test_import_apply import (
    CASEWORKERS,
    assert_no_personal_data,
    make_caseworkers,
    run_cli,
    set_language,
    table_counts,
)

ROWS = 2000
SEED = 17

# As a Dutch Excel writes its header row: the export's columns, capitalised.
_EXCEL_NAMES = {"bsn": "BSN", "email": "E-mail"}
HEADER = tuple(_EXCEL_NAMES.get(name, name.capitalize()) for name in EXPORT_HEADER)
ADDITION = HEADER.index("Toevoeging")

# (number column, addition column, stored addition); "{n}" is the house number. The spellings
# central office's file had, and the ones the issue lists.
SPELLINGS: tuple[tuple[str, str, str], ...] = (
    ("{n}", "", ""),
    ("{n} ", "", ""),  # trailing spaces after the number
    ("{n}a", "", "A"),
    ("{n}A", "", "A"),
    ("{n} A", "", "A"),
    ("{n}-a", "", "A"),
    ("{n}-1", "", "1"),
    ("{n} -1", "", "1"),
    ("{n}/1", "", "1"),
    ("{n} bis", "", "BIS"),
    ("{n} hs", "", "HS"),
    ("{n}-II", "", "II"),
    ("{n} 1 hg", "", "1HG"),
    ("{n}a-1", "", "A-1"),
    ("{n} a 2", "", "A-2"),
    ("{n}", "a", "A"),
    ("{n}", "A", "A"),
    ("{n}", "-a", "A"),
    ("{n}", "hs", "HS"),
    ("{n}", "HS", "HS"),
    ("{n}", " 2 ", "2"),
    ("{n}", "1 hg", "1HG"),
    ("{n}  ", "b", "B"),
    ("{n}", "a-1", "A-1"),
    ("{n}a", "a", "A"),  # glued and in the column, the same: accepted
    ("{n}-1", "1", "1"),
)

# Fake first names with the accents a Windows-1252 file must carry (é, ë, ï, ö).
ACCENTED = ("Loïs", "Anaïs", "Björn", "Jörgen", "Zoë", "Noël", "Renée", "Chloé")


def _date(client: Client) -> str:
    return client.date_of_birth.strftime("%d-%m-%Y")


@dataclasses.dataclass(frozen=True)
class Export:
    """The spreadsheet's rows and, per BSN, the client the import must store."""

    rows: list[list[str]]
    expected: dict[str, Client]
    spellings: Counter[tuple[str, str, str]]


@pytest.fixture(scope="module")
def export() -> Export:
    rng = random.Random(SEED)
    people = generate_caseload(clients=ROWS, seed=SEED, caseworkers=CASEWORKERS).clients
    rows: list[list[str]] = []
    expected: dict[str, Client] = {}
    spellings: Counter[tuple[str, str, str]] = Counter()
    for index, person in enumerate(people):
        if index % 25 == 0:
            name = person.name
            person = dataclasses.replace(
                person,
                name=PersonName(
                    surname=name.surname,
                    first_names=ACCENTED[(index // 25) % len(ACCENTED)],
                    prefix=name.prefix,
                ),
            )
        spelling = rng.choice(SPELLINGS)
        spellings[spelling] += 1
        number_text, addition_text, stored = spelling
        address = person.address
        client = dataclasses.replace(
            person, address=dataclasses.replace(address, house_number_addition=stored)
        )
        expected[client.bsn.value] = client
        rows.append(
            [
                client.bsn.value,
                client.name.initials,
                client.name.first_names,
                client.name.prefix,
                client.name.surname,
                _date(client),
                address.street,
                number_text.format(n=address.house_number),
                addition_text,
                address.postcode.value,
                address.village,
                address.municipality,
                client.phone.value if client.phone else "",
                client.email.value if client.email else "",
                client.caseworker,
            ]
        )
    return Export(rows=rows, expected=expected, spellings=spellings)


def spreadsheet(rows: Sequence[Sequence[str]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows])
    if encoding == "utf-8-bom":
        return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
    return out.getvalue().encode(encoding)


def comparable(client: Client) -> dict[str, Any]:
    # The file carries no participation step; ids are new.
    return {**client.to_fields(), "participation_step": None}


def test_the_export_is_what_the_issue_describes(export: Export) -> None:
    data = spreadsheet(export.rows, "cp1252")
    text = data.decode("cp1252")

    assert len(export.rows) == ROWS
    assert text.startswith("BSN;Voorletters;Voornamen;")
    assert all(letter in text for letter in "éëïö")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1252, not UTF-8 that happens to fit
    assert set(export.spellings) == set(SPELLINGS)  # every spelling, several times
    assert min(export.spellings.values()) > 20
    with_addition = sum(1 for c in export.expected.values() if c.address.house_number_addition)
    assert with_addition > ROWS * 0.18  # at least as many as the rows refused before


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-bom"])
def test_every_row_is_accepted_in_its_normalised_form(export: Export, encoding: str) -> None:
    plan = parse_clients(spreadsheet(export.rows, encoding), today=DEMO_TODAY)

    assert plan.ok, [error.message_nl for error in plan.errors[:5]]
    assert not plan.ignored_columns
    assert len(plan.rows) == ROWS
    got = {row.client.bsn.value: comparable(row.client) for row in plan.rows}
    assert got == {bsn: comparable(client) for bsn, client in export.expected.items()}


def stored_clients(session: Session) -> dict[str, dict[str, Any]]:
    try:
        rows = session.execute(
            select(
                clients.c.bsn,
                clients.c.first_names,
                clients.c.surname,
                clients.c.house_number,
                clients.c.house_number_addition,
                clients.c.date_of_birth,
            )
        ).all()
    finally:
        session.rollback()
    return {
        str(r.bsn): {
            "first_names": r.first_names,
            "surname": r.surname,
            "house_number": r.house_number,
            "house_number_addition": r.house_number_addition or "",
            "date_of_birth": str(r.date_of_birth)[:10],
        }
        for r in rows
    }


def expected_stored(clients_by_bsn: dict[str, Client]) -> dict[str, dict[str, Any]]:
    return {
        bsn: {
            "first_names": client.name.first_names,
            "surname": client.name.surname,
            "house_number": client.address.house_number,
            "house_number_addition": client.address.house_number_addition,
            "date_of_birth": client.date_of_birth.isoformat(),
        }
        for bsn, client in clients_by_bsn.items()
    }


def test_dry_run_accepts_every_row_and_the_import_stores_them_normalised(
    session: Session,
    export: Export,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_language(monkeypatch, "nl_NL.UTF-8")
    make_caseworkers(session)
    path = tmp_path / "clienten.csv"
    path.write_bytes(spreadsheet(export.rows, "cp1252"))

    dry = run_cli(capsys, database_url, "import-clients", str(path), "--dry-run")
    assert table_counts(session) == (0, 0, 0)
    real = run_cli(capsys, database_url, "import-clients", str(path))

    assert dry == (
        0,
        f"proefdraai, er verandert niets: {ROWS} regels zouden worden geïmporteerd: {ROWS} "
        f"nieuw, 0 gewijzigd, 0 ongewijzigd, {ROWS} (opnieuw) toegewezen; 0 problemen\n",
        "",
    )
    assert real == (
        0,
        f"{ROWS} regels geïmporteerd: {ROWS} nieuw, 0 gewijzigd, 0 ongewijzigd, {ROWS} "
        "(opnieuw) toegewezen; 0 problemen\n",
        "",
    )
    assert stored_clients(session) == expected_stored(export.expected)
    # The same people from a UTF-8 file are the same clients: nothing changes.
    path.write_bytes(spreadsheet(export.rows, "utf-8-bom"))
    again = run_cli(capsys, database_url, "import-clients", str(path))
    assert again[1].startswith(f"{ROWS} regels geïmporteerd: 0 nieuw, 0 gewijzigd, {ROWS} ongew")


# Each bad row: (row index, column, value, expected Dutch message after "kolom '...': ").
BROKEN: tuple[tuple[int, str, str, str], ...] = (
    (3, "Huisnummer", "{n} 1 hoog", "De huisnummertoevoeging is hoogstens 4 letters of cijfers"),
    (10, "Huisnummer", "0", "Het huisnummer moet tussen 1 en 99999 liggen."),
    (11, "Huisnummer", "100000", "Het huisnummer moet tussen 1 en 99999 liggen."),
    (20, "Huisnummer", "", "Deze kolom is verplicht maar leeg."),
    (21, "Huisnummer", "nr {n}", "Het huisnummer moet met een getal beginnen (12, 12a of 12-1)."),
    (30, "Huisnummer", "{n}.5", "Een huisletter of toevoeging bestaat uit letters (A-Z)"),
    (31, "Toevoeging", "a.1", "Een huisletter of toevoeging bestaat uit letters (A-Z)"),
    (40, "Toevoeging", "bisbis", "De huisnummertoevoeging is hoogstens 4 letters of cijfers"),
    (50, "Huisnummer", "{n}a", "Het huisnummer heeft een huisletter of toevoeging die "),
    (60, "Geboortedatum", "31-02-1980", "Dit is geen geldige datum"),
)


def broken_file(export: Export) -> tuple[bytes, dict[int, str], set[str]]:
    """The export with ten bad rows; returns the file, line -> expected message, bad BSNs."""
    rows = [list(row) for row in export.rows]
    expected: dict[int, str] = {}
    bad: set[str] = set()
    for index, column, value, message in BROKEN:
        row = rows[index]
        number = export.expected[row[0]].address.house_number
        row[HEADER.index(column)] = value.format(n=number)
        if index == 50:
            row[ADDITION] = "b"  # glued "a" and column "b" disagree
        elif column == "Huisnummer":
            row[ADDITION] = ""
        line = index + 2  # the header is line 1
        expected[line] = f"Regel {line}, kolom '{column}': {message}"
        bad.add(row[0])
    return spreadsheet(rows, "cp1252"), expected, bad


def test_file_with_errors_names_line_column_and_reason_and_imports_nothing(
    session: Session,
    export: Export,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_language(monkeypatch, None)  # no locale: Dutch
    make_caseworkers(session)
    data, expected, bad = broken_file(export)
    path = tmp_path / "clienten.csv"
    path.write_bytes(data)

    report = import_clients(session, data, dry_run=True, skip_invalid=False, by="test")
    session.commit()
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path))

    assert report.blocked and len(report.problems) == len(BROKEN)
    assert code == 1
    assert out == (
        f"niets geïmporteerd: {len(BROKEN)} problemen in het bestand (herstel ze, of gebruik "
        "--skip-invalid om de goede regels te importeren)\n"
    )
    lines = err.splitlines()
    assert len(lines) == len(expected), lines
    for line, message in zip(lines, expected.values(), strict=True):
        assert line.startswith(message), (line, message)
    assert table_counts(session) == (0, 0, 0)
    people = list(export.expected.values())
    assert_no_personal_data([out, err], people)

    # Only the explicit choice imports the good rows, and only those.
    code, out, err = run_cli(capsys, database_url, "import-clients", str(path), "--skip-invalid")

    good = ROWS - len(BROKEN)
    assert code == 1
    assert out.startswith(f"{good} regels geïmporteerd: {good} nieuw")
    assert len(err.splitlines()) == len(BROKEN)
    stored = stored_clients(session)
    assert set(stored) == set(export.expected) - bad
    assert stored == {
        bsn: row for bsn, row in expected_stored(export.expected).items() if bsn not in bad
    }
