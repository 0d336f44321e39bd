"""`veldwerk-server council-report` (issue #16): the files it writes, what is in them, and what is
never in them.

- the SQLite file: one table per figure with NULL for withheld values, column descriptions, and
  a metadata.json that Datasette reads;
- the PDF: its text (pdftotext) names every figure and how it was protected; every font is
  embedded (pdffonts);
- no file holds any demo client's BSN, name, date of birth or postcode, nor a household
  member's BSN or name;
- the attacker of tests/server/attack.py cannot pin down any withheld count of the report;
- bad input is refused in Dutch and English, and then nothing is written.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.demo.caseload import DEMO_TODAY, generate_caseload
from app.domain.formatting import date_text
from server.cli import main
from server.council.disclosure import protect
from server.council.periods import Period
from server.council.report import collect
from server.council.scope import Scope
from server.council.tables import build
from server.council.texts import FIGURES
from server.db import make_engine, make_sessionmaker, session_scope
from server.seed import seed_demo
from tests.server.attack import components, recovered

CLIENTS = 400
SEED = 2026
FIGURE_TABLES = tuple(name for name in FIGURES)
AS_OF = DEMO_TODAY.isoformat()


@pytest.fixture(scope="module")
def seeded_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the module (seeding is the slow part); tests work on copies."""
    path = tmp_path_factory.mktemp("council") / "seeded.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            seed_demo(session, clients=CLIENTS, seed=SEED)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def seeded(seeded_file: Path, tmp_path: Path) -> str:
    folder = tmp_path / "db"
    folder.mkdir()
    shutil.copyfile(seeded_file, folder / "central.db")
    return f"sqlite:///{folder / 'central.db'}"


def _run(url: str, *args: str) -> int:
    return main(["--database-url", url, "council-report", *args])


@pytest.fixture(scope="module")
def report_folder(seeded_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert (
        _run(f"sqlite:///{seeded_file}", "--period", "2026-H2", "--as-of", AS_OF, "--out", str(out))
        == 0
    )
    return out


@pytest.fixture
def written(report_folder: Path, tmp_path: Path) -> Path:
    """The report's folder, to read or to add to."""
    out = tmp_path / "out"
    shutil.copytree(report_folder, out)
    return out


# ---------------------------------------------------------------------------- the files


def test_three_files_and_nothing_else(written: Path) -> None:
    names = sorted(p.name for p in written.iterdir())
    assert names == ["metadata.json", "raadsinformatie-2026-H2.db", "raadsinformatie-2026-H2.pdf"]


def test_the_sqlite_file_has_a_table_per_figure_with_described_columns(written: Path) -> None:
    db = sqlite3.connect(written / "raadsinformatie-2026-H2.db")
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {*FIGURE_TABLES, "columns", "report"}
        described = {(t, c) for t, c in db.execute("SELECT table_name, column_name FROM columns")}
        for table in FIGURE_TABLES:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            assert columns and all((table, c) in described for c in columns), table
        # Withheld is NULL; a published count is a multiple of 5 and at least 10.
        counts = db.execute(
            "SELECT clients, new_clients, gone_clients FROM clients_per_scheme"
        ).fetchall()
        values = [v for row in counts for v in row]
        assert None in values
        assert all(v % 5 == 0 and v >= 10 for v in values if v is not None)
        facts = dict(db.execute("SELECT key, value FROM report"))
        assert facts["period"] == "2026-H2" and facts["previous_period"] == "2026-H1"
        assert facts["counted_until"] == AS_OF and facts["threshold"] == "10"
        rows = db.execute(
            "SELECT period, area FROM ladder_steps ORDER BY period DESC, rowid"
        ).fetchall()
        assert rows[:5] == [
            ("2026-H2", "Bedum"),
            ("2026-H2", "De Marne"),
            ("2026-H2", "Winsum"),
            ("2026-H2", "Eemsmond"),
            ("2026-H2", "Het Hogeland"),
        ]
    finally:
        db.close()


def test_metadata_json_opens_the_file_in_datasette(written: Path) -> None:
    meta = json.loads((written / "metadata.json").read_text(encoding="utf-8"))
    database = meta["databases"]["raadsinformatie-2026-H2"]
    assert database["title"] == "Raadsinformatie Het Hogeland 2026-H2"
    db = sqlite3.connect(written / "raadsinformatie-2026-H2.db")
    try:
        for table in FIGURE_TABLES:
            about = database["tables"][table]
            assert about["title"] and about["description"]
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            assert set(about["columns"]) == set(columns)
            assert all(about["columns"][c] for c in columns)
    finally:
        db.close()


def test_a_second_report_in_the_folder_is_added_to_its_metadata(seeded: str, written: Path) -> None:
    assert _run(seeded, "--period", "2026-H1", "--as-of", AS_OF, "--out", str(written)) == 0
    assert (
        _run(
            seeded,
            "--period",
            "2026-H2",
            "--municipality",
            "De Marne",
            "--as-of",
            AS_OF,
            "--out",
            str(written),
        )
        == 0
    )
    meta = json.loads((written / "metadata.json").read_text(encoding="utf-8"))
    assert set(meta["databases"]) == {
        "raadsinformatie-2026-H2",
        "raadsinformatie-2026-H1",
        "raadsinformatie-2026-H2-de-marne",
    }
    db = sqlite3.connect(written / "raadsinformatie-2026-H2-de-marne.db")
    try:
        areas = {r[0] for r in db.execute("SELECT DISTINCT area FROM clients_per_scheme")}
        assert areas == {"De Marne"}
    finally:
        db.close()


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_says_what_each_figure_shows_and_how_it_was_protected(written: Path) -> None:
    text = " ".join(_pdf_text(written / "raadsinformatie-2026-H2.pdf").split())
    assert "Raadsinformatie Het Hogeland 2026-H2" in text
    assert "2026-H2: 1 juli t/m 31 december 2026" in text
    assert f"Geteld tot en met {date_text(DEMO_TODAY)}" in text
    for name, figure in FIGURES.items():
        assert figure.title[0] in text, name
        assert " ".join(figure.about[0].split())[:60] in text, name
    assert "Zo is de privacy beschermd" in text
    assert "Aantallen kleiner dan 10 zijn weggelaten (x)" in text
    assert text.count("zijn er") + text.count("Geen van de") >= 9  # a note under every table
    assert "Pagina 1 van" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_every_font_of_the_pdf_is_embedded(written: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(written / "raadsinformatie-2026-H2.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert "DejaVuSans" in line, line
        assert line.split()[-5] == "yes", line  # the "emb" column


# ------------------------------------------------------------------------ no personal data


def _personal_strings() -> Iterator[tuple[str, str]]:
    """What identifies a person of the demo: (what, text) to look for."""
    caseload = generate_caseload(clients=CLIENTS, seed=SEED)
    for client in caseload.clients:
        name = client.name
        yield "bsn", client.bsn.value
        yield "name", name.display()
        yield "name", name.formal()
        yield "name", f"{name.first_names} {name.prefix} {name.surname}".replace("  ", " ")
        born = client.date_of_birth
        yield "birth date", born.isoformat()
        yield "birth date", date_text(born)
        yield "birth date", born.strftime("%d%m%Y")
        postcode = client.address.postcode.value
        yield "postcode", postcode
        yield "postcode", postcode.replace(" ", "")
    for member in caseload.household_members:
        if member.bsn is not None:
            yield "bsn", member.bsn.value
        yield "name", member.name.display()


def _texts(path: Path) -> list[str]:
    """Everything a file could show: its bytes, and for a PDF its text and unpacked streams,
    for SQLite every value of every table."""
    data = path.read_bytes()
    found = [data.decode("latin-1"), data.decode("utf-8", errors="ignore")]
    if path.suffix == ".pdf":
        found.append(_pdf_text(path))
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                found.append(zlib.decompress(stream).decode("latin-1"))
            except zlib.error:
                continue
    if path.suffix == ".db":
        db = sqlite3.connect(path)
        try:
            found.append("\n".join(db.iterdump()))
        finally:
            db.close()
    return found


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_no_output_file_holds_a_bsn_name_birth_date_or_postcode(seeded: str, written: Path) -> None:
    assert (
        _run(
            seeded,
            "--period",
            "2026-H2",
            "--municipality",
            "Winsum",
            "--as-of",
            AS_OF,
            "--out",
            str(written),
        )
        == 0
    )
    texts = [text for path in sorted(written.iterdir()) for text in _texts(path)]
    assert len(texts) >= 10
    strings = list(_personal_strings())
    assert len(strings) > 9 * CLIENTS
    hits = [(what, needle) for what, needle in strings if any(needle in t for t in texts)]
    assert hits == []


# --------------------------------------------------------------------------- the attack


def test_no_withheld_count_of_the_report_can_be_recovered(seeded: str) -> None:
    """Every equation a reader can know (totals of areas, of steps, of months and kinds, the
    link between the periods and between tables), every published count within its rounding:
    no withheld count of the demo report is pinned to one value."""
    engine = make_engine(seeded)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            data = collect(
                session,
                Scope.council(),
                Period(2026, 2),
                as_of=DEMO_TODAY,
                now=datetime(2026, 11, 23, tzinfo=UTC),
            )
    finally:
        engine.dispose()
    grid, _drafts = build(data)
    protection = protect(grid.values, grid.equations)
    withheld = protection.suppressed
    assert len(withheld) > 300  # a small demo: much is withheld, and worth attacking
    for group in components(grid.equations):
        assert recovered(group, protection.published) == {}


# -------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--period", "2026-H3"), "invalid_period"),
        (("--period", "2026H2"), "invalid_period"),
        (("--period", "1999-H1"), "invalid_period"),
        (("--period", "2026-H2", "--municipality", "Ezinge"), "unknown_municipality"),
        (("--period", "2026-H2", "--municipality", "Groningen"), "unknown_municipality"),
        (("--period", "2027-H1"), "future_period"),
        (("--period", "2026-H2", "--as-of", "23-11-2026"), "invalid_date"),
    ],
)
def test_bad_input_is_refused_in_dutch_or_english_and_nothing_is_written(
    seeded: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    code: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    as_of = () if "--as-of" in args else ("--as-of", AS_OF)
    # One language, the locale's (server/terminal.py), as every command of veldwerk-server.
    for locale, nothing in (("nl_NL.UTF-8", "niets geschreven"), ("en_US.UTF-8", "Nothing was")):
        monkeypatch.setenv("LC_ALL", locale)
        assert _run(seeded, *args, *as_of, "--out", str(out)) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith(f"{code}: ") and nothing in err[0]
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_refused(
    seeded: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for locale, expected in (
        ("nl_NL.UTF-8", "de map bestaat niet"),
        ("en_US.UTF-8", "the folder does not exist"),
    ):
        monkeypatch.setenv("LC_ALL", locale)
        assert _run(seeded, "--period", "2026-H2", "--out", str(tmp_path / "nowhere")) == 2
        assert expected in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_a_report_counted_up_to_today_by_default(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.cli_council.local_today", lambda: date(2026, 12, 31))
    assert _run(seeded, "--period", "2026-H2", "--out", str(tmp_path)) == 0
    db = sqlite3.connect(tmp_path / "raadsinformatie-2026-H2.db")
    try:
        facts = dict(db.execute("SELECT key, value FROM report"))
    finally:
        db.close()
    assert facts["counted_until"] == "2026-12-31"
