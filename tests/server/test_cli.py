"""`veldwerk-server`: the central office's administration commands, on SQLite and PostgreSQL.

The commands run in-process through `server.cli.main` against the test database; one test runs
the installed console script and `serve` as a real process. Output names users, devices and
counts, never a client's BSN or name.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

import server
from app.demo.caseload import generate_caseload
from app.domain.client import Client
from app.domain.errors import VeldwerkError
from server import terminal
from server.cli import main
from server.crud.records import upsert_record
from server.errors import ApiError
from server.models import (
    Assignment,
    Device,
    Team,
    TeamMember,
    User,
    Village,
    clients,
    visits,
)
from server.security import verify_password
from tests.server.conftest import PASSWORD
from tests.server.conftest import Device as EnrolledDevice
from tests.server.test_import_apply import (
    as_row,
    assert_no_personal_data,
    assert_no_secrets,
    count,
    csv_bytes,
    failing_bsn,
    make_caseworkers,
    set_language,
    with_value,
)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line follows the locale (Dutch without one, as on this machine's C.UTF-8);
    # these tests read its English. Tests of the Dutch set the locale themselves (and
    # tests/server/test_cli_language.py).
    set_language(monkeypatch, "en_US.UTF-8")


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """Run one command against the test database: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--database-url", database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(f"{PASSWORD}\nthe second line is not the password\n", encoding="utf-8")
    return path


def add_user(cli: Run, password_file: Path, username: str, role: str) -> None:
    code, _, err = cli(
        "create-user", username, "--role", role, "--password-file", str(password_file)
    )
    assert code == 0, err


def find_user(session: Session, username: str) -> User | None:
    try:
        return session.scalars(select(User).where(User.username == username)).first()
    finally:
        session.rollback()


def store_clients(session: Session, people: Sequence[Client]) -> None:
    for person in people:
        upsert_record(session, person, by="test")
    session.commit()


def history_rows(session: Session, client_id: str) -> list[tuple[str, bool]]:
    """(caseworker, ended) per assignment of the client, oldest first."""
    try:
        rows = session.execute(
            select(User.username, Assignment.ended_at)
            .join(User, User.id == Assignment.caseworker_id)
            .where(Assignment.client_id == client_id)
            .order_by(Assignment.id)
        ).all()
        return [(str(r.username), r.ended_at is not None) for r in rows]
    finally:
        session.rollback()


# ---------------------------------------------------------------------------------- init-db


def test_init_db_creates_a_fresh_sqlite_database_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fresh" / "central.db"
    path.parent.mkdir()
    url = f"sqlite:///{path}"

    first = main(["--database-url", url, "init-db"])
    out = capsys.readouterr().out
    second = main(["--database-url", url, "init-db"])

    assert first == second == 0
    assert out == "database is at the newest schema; reference data loaded\n"
    engine = create_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"users", "teams", "clients", "assignments", "devices", "audit_log"} <= tables
        assert "alembic_version" in tables
        with Session(engine) as session:
            villages = session.execute(select(func.count()).select_from(Village)).scalar_one()
            assert villages > 0
    finally:
        engine.dispose()
    assert main(["--database-url", url, "init-db"]) == 0
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            again = session.execute(select(func.count()).select_from(Village)).scalar_one()
    finally:
        engine.dispose()
    assert again == villages


def test_init_db_on_a_migrated_database_changes_nothing(
    cli: Run, session: Session, password_file: Path
) -> None:
    villages = count(session, select(func.count()).select_from(Village))
    add_user(cli, password_file, "beheer", "admin")

    code, out, err = cli("init-db")

    assert code == 0, err
    assert out == "database is at the newest schema; reference data loaded\n"
    assert count(session, select(func.count()).select_from(Village)) == villages
    assert find_user(session, "beheer") is not None


# -------------------------------------------------------------------------- users and teams


def test_create_user_uses_the_first_line_of_the_password_file(
    cli: Run, session: Session, password_file: Path
) -> None:
    code, out, err = cli(
        "create-user",
        "k.dijkstra",
        "--role",
        "caseworker",
        "--display-name",
        "K. Dijkstra",
        "--password-file",
        str(password_file),
    )

    assert (code, out, err) == (0, "created caseworker k.dijkstra\n", "")
    user = find_user(session, "k.dijkstra")
    assert user is not None
    assert (user.role, user.display_name, user.active) == ("caseworker", "K. Dijkstra", True)
    assert verify_password(user.password_hash, PASSWORD)
    assert not verify_password(user.password_hash, "the second line is not the password")
    assert PASSWORD not in user.password_hash


def test_create_user_refuses_a_weak_password(cli: Run, session: Session, tmp_path: Path) -> None:
    weak = tmp_path / "weak.txt"
    weak.write_text("kort\n", encoding="utf-8")

    code, out, err = cli(
        "create-user", "k.dijkstra", "--role", "caseworker", "--password-file", str(weak)
    )

    assert code == 1 and out == ""
    assert err.startswith("weak_password: ")
    assert "kort" not in err
    assert find_user(session, "k.dijkstra") is None


def test_create_user_refuses_an_existing_name(
    cli: Run, session: Session, password_file: Path
) -> None:
    args = ("create-user", "k.dijkstra", "--role", "caseworker")
    assert cli(*args, "--password-file", str(password_file))[0] == 0

    code, out, err = cli(*args[:2], "--role", "admin", "--password-file", str(password_file))

    assert code == 1 and out == ""
    assert err.startswith("user_exists: ")
    user = find_user(session, "k.dijkstra")
    assert user is not None and user.role == "caseworker"


def test_create_user_with_a_missing_password_file(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language(monkeypatch, "en_US.UTF-8")
    code, out, err = cli(
        "create-user",
        "k.dijkstra",
        "--role",
        "caseworker",
        "--password-file",
        str(tmp_path / "nothing.txt"),
    )

    assert code == 1 and out == ""
    assert err.startswith("cannot read or write a file")


def test_create_team_with_a_lead_and_add_caseworkers(
    cli: Run, session: Session, password_file: Path
) -> None:
    for username, role in [("t.mulder", "team_lead"), ("k.dijkstra", "caseworker")]:
        add_user(cli, password_file, username, role)

    created = cli("create-team", "Team Hogeland-Noord", "--lead", "t.mulder")
    added = cli("add-to-team", "Team Hogeland-Noord", "k.dijkstra")
    again = cli("add-to-team", "Team Hogeland-Noord", "k.dijkstra")

    assert created == (0, "created team Team Hogeland-Noord\n", "")
    assert added == (0, "k.dijkstra is in team Team Hogeland-Noord\n", "")
    assert again == added  # already a member: nothing changes
    try:
        team = session.scalars(select(Team)).one()
        lead = session.get(User, team.lead_id)
        members = session.execute(
            select(User.username).join(TeamMember, TeamMember.user_id == User.id)
        ).scalars()
        assert (team.name, lead.username if lead else None) == ("Team Hogeland-Noord", "t.mulder")
        assert list(members) == ["k.dijkstra"]
    finally:
        session.rollback()


def test_team_commands_refuse_wrong_roles_and_unknown_names(
    cli: Run, session: Session, password_file: Path
) -> None:
    for username, role in [("t.mulder", "team_lead"), ("k.dijkstra", "caseworker")]:
        add_user(cli, password_file, username, role)

    not_a_lead = cli("create-team", "Team Noord", "--lead", "k.dijkstra")
    no_such_lead = cli("create-team", "Team Noord", "--lead", "nobody")
    assert cli("create-team", "Team Noord", "--lead", "t.mulder")[0] == 0
    twice = cli("create-team", "Team Noord")
    lead_as_member = cli("add-to-team", "Team Noord", "t.mulder")
    no_such_team = cli("add-to-team", "Team Zuid", "k.dijkstra")

    assert not_a_lead[0] == 1 and not_a_lead[2].startswith("not_a_team_lead: ")
    assert no_such_lead[0] == 1 and no_such_lead[2].startswith("not_found: ")
    assert twice[0] == 1 and twice[2].startswith("team_exists: ")
    assert lead_as_member[0] == 1 and lead_as_member[2].startswith("not_a_caseworker: ")
    assert no_such_team[0] == 1 and no_such_team[2].startswith("not_found: ")
    assert count(session, select(func.count()).select_from(Team)) == 1


# ---------------------------------------------------------------------------------- assign


def test_assign_by_bsn_then_by_id_keeps_the_history(cli: Run, session: Session) -> None:
    people = generate_caseload(clients=3, seed=5).clients
    make_caseworkers(session)
    store_clients(session, people)
    person = people[0]

    by_bsn = cli("assign", person.bsn.value, "k.dijkstra")
    same = cli("assign", person.id, "k.dijkstra")
    by_id = cli("assign", person.id, "m.bakker")

    assert by_bsn == (0, f"client {person.id} assigned to k.dijkstra\n", "")
    assert same == by_bsn  # already theirs: no new history row
    assert by_id == (0, f"client {person.id} assigned to m.bakker\n", "")
    assert history_rows(session, person.id) == [("k.dijkstra", True), ("m.bakker", False)]
    assert history_rows(session, people[1].id) == []
    assert_no_personal_data([*by_bsn[1:], *by_id[1:]], people)


def test_assign_refuses_unknown_clients_and_non_caseworkers(
    cli: Run, session: Session, password_file: Path
) -> None:
    people = generate_caseload(clients=2, seed=5).clients
    make_caseworkers(session)
    add_user(cli, password_file, "t.mulder", "team_lead")
    store_clients(session, people[:1])
    unknown_bsn = people[1].bsn.value

    unknown = cli("assign", unknown_bsn, "k.dijkstra")
    lead = cli("assign", people[0].id, "t.mulder")
    nobody = cli("assign", people[0].id, "nobody")

    assert unknown[0] == 1 and unknown[2].startswith("not_found: ")
    assert lead[0] == 1 and lead[2].startswith("not_a_caseworker: ")
    assert nobody[0] == 1 and nobody[2].startswith("not_found: ")
    assert count(session, select(func.count()).select_from(Assignment)) == 0
    assert_no_personal_data([*unknown[1:], *lead[1:]], people)


# ------------------------------------------------------------------------- devices and codes


def test_enrollment_code_enrolls_a_device_once(
    cli: Run, api: TestClient, password_file: Path
) -> None:
    add_user(cli, password_file, "k.dijkstra", "caseworker")

    code, out, err = cli("enrollment-code", "k.dijkstra")

    assert code == 0, err
    heading, enrollment_code = out.splitlines()
    assert heading == "enrollment code for k.dijkstra (valid 24 h, once):"
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", enrollment_code)
    body = {
        "username": "k.dijkstra",
        "password": PASSWORD,
        "enrollment_code": enrollment_code,
        "device_name": "laptop K. Dijkstra",
    }
    enrolled = api.post("/v1/enroll", json=body)
    assert enrolled.status_code == 201, enrolled.text
    token = enrolled.json()["token"]
    me = api.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "k.dijkstra"
    reused = api.post("/v1/enroll", json={**body, "device_name": "another laptop"})
    assert reused.status_code == 401
    # A used code answers as every failed enrollment does (no password oracle).
    assert reused.json()["code"] == "invalid_credentials"


def test_enrollment_code_for_an_unknown_user(cli: Run) -> None:
    code, out, err = cli("enrollment-code", "nobody")

    assert code == 1 and out == ""
    assert err.startswith("not_found: ")


def test_devices_lists_and_revoke_device_locks_the_device_out(
    cli: Run, api: TestClient, enrolled: Callable[..., EnrolledDevice], session: Session
) -> None:
    assert cli("devices") == (0, "no devices\n", "")
    device = enrolled("k.dijkstra", "caseworker")
    assert api.get("/v1/me", headers=device.headers).status_code == 200

    code, listing, err = cli("devices")

    assert code == 0, err
    (line,) = listing.splitlines()
    assert line.startswith(f"{device.device_id}  k.dijkstra ")
    assert "laptop of k.dijkstra" in line and line.endswith("active")

    revoked = cli("revoke-device", device.device_id)

    assert revoked == (
        0,
        f"revoked {device.device_id}: it wipes its data at its next contact\n",
        "",
    )
    response = api.get("/v1/me", headers=device.headers)
    assert response.status_code == 401
    assert response.json()["code"] == "device_revoked"
    (line,) = cli("devices")[1].splitlines()
    assert re.search(r"revoked \d{4}-\d{2}-\d{2}$", line)
    try:
        stored = session.get(Device, device.device_id)
        assert stored is not None and stored.revoked_at is not None
    finally:
        session.rollback()
    assert cli("revoke-device", device.device_id)[0] == 0  # revoking twice is harmless


def test_revoke_unknown_device(cli: Run) -> None:
    code, out, err = cli("revoke-device", "00000000-0000-0000-0000-000000000000")

    assert code == 1 and out == ""
    assert err.startswith("not_found: ")


# ------------------------------------------------------------------------------- demo-seed


def test_demo_seed_prints_the_accounts_and_refuses_a_second_run(cli: Run, session: Session) -> None:
    code, out, err = cli("demo-seed", "--clients", "12")

    assert code == 0, err
    lines = out.splitlines()
    assert re.fullmatch(r"demo data: 12 clients, \d+ records", lines[0])
    accounts = [re.fullmatch(r"  (\S+)\s+(\S+)\s+password: (\S+)", line) for line in lines[1:]]
    assert len(accounts) == 4 and all(accounts)
    found = {m[2]: (m[1], m[3]) for m in accounts if m}
    assert {name: role for name, (role, _) in found.items()} == {
        "beheer": "admin",
        "t.mulder": "team_lead",
        "k.dijkstra": "caseworker",
        "m.bakker": "caseworker",
    }
    for username, (_, password) in found.items():
        user = find_user(session, username)
        assert user is not None and verify_password(user.password_hash, password)
    assert count(session, select(func.count()).select_from(clients)) == 12
    assert count(session, select(func.count()).select_from(Assignment)) == 12

    again = cli("demo-seed", "--clients", "12")

    assert again[0] == 1 and again[1] == ""
    assert again[2].startswith("demo_exists: ")
    assert count(session, select(func.count()).select_from(clients)) == 12
    assert count(session, select(func.count()).select_from(User)) == 4


def test_demo_seed_builds_the_caseload_around_the_day_it_is_given(
    cli: Run, session: Session
) -> None:
    # The desktop demo passes the real date, so Vandaag has today's visits (not a fixed day's).
    code, _out, err = cli("demo-seed", "--clients", "12", "--today", "2027-03-01")

    assert code == 0, err
    planned = [
        str(value)[:10]
        for value in session.execute(select(visits.c.planned_at)).scalars()
        if value is not None
    ]
    assert "2027-03-01" in planned
    assert max(planned) >= "2027-03-01"
    assert not any(day.startswith("2026-11-23") for day in planned)


# ------------------------------------------------------------------------------ no leaking


@pytest.mark.parametrize(
    ("lang", "imported", "refused"),
    [
        ("en_US.UTF-8", "imported 20 row(s)", "Line 3, column 'bsn'"),
        ("nl_NL.UTF-8", "20 regels geïmporteerd", "Regel 3, kolom 'bsn'"),
    ],
)
def test_output_never_contains_a_clients_bsn_or_name(
    cli: Run,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    imported: str,
    refused: str,
) -> None:
    set_language(monkeypatch, lang)
    outputs: list[str] = []

    def run(*args: str) -> int:
        code, out, err = cli(*args)
        outputs.extend([out, err])
        return code

    assert run("demo-seed", "--clients", "10") == 0
    people = generate_caseload(clients=30, seed=99).clients
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(as_row(p) for p in people[:20]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            [
                as_row(people[20]),
                with_value(as_row(people[21]), "bsn", failing_bsn(people[21].bsn.value)),
                with_value(as_row(people[22]), "bsn", people[20].bsn.value),
                as_row(people[23], caseworker="x.onbekend"),
            ]
        )
    )
    assert run("import-clients", str(good), "--dry-run") == 0
    assert run("import-clients", str(good)) == 0
    assert run("import-clients", str(good)) == 0
    assert run("import-clients", str(bad)) == 1
    assert run("import-clients", str(bad), "--skip-invalid") == 1
    assert run("assign", people[0].bsn.value, "m.bakker") == 0
    assert run("assign", people[25].bsn.value, "m.bakker") == 1  # not in the database
    assert run("devices") == 0

    try:
        stored = session.execute(select(clients.c.bsn, clients.c.surname)).all()
    finally:
        session.rollback()
    assert len(stored) == 10 + 20 + 1
    secrets = {str(r.bsn) for r in stored} | {str(r.surname) for r in stored}
    text = "\n".join(outputs)
    assert imported in text and refused in text
    assert_no_secrets(outputs, secrets)
    assert_no_personal_data(outputs, people)


# ------------------------------------------------------------------------- as a real process


def _command() -> list[str]:
    script = Path(sys.executable).parent / "veldwerk-server"
    return [str(script)] if script.exists() else [sys.executable, "-m", "server.cli"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_console_script_initialises_and_serves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    init = subprocess.run(
        [*_command(), "--database-url", url, "init-db"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    assert "newest schema" in init.stdout
    assert (tmp_path / "central.db").exists()

    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [*_command(), "--database-url", url, "serve", "--port", str(port)],
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            status = None
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    response = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                except requests.ConnectionError:
                    time.sleep(0.1)
                    continue
                status = response.status_code
                if status == 200:
                    assert response.json()["status"] == "ok"
                    break
                time.sleep(0.1)
            assert status == 200, log.read_text(errors="replace")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    output = log.read_text(errors="replace")
    # uvicorn shuts down gracefully and then re-raises the SIGTERM it caught, so the process
    # ends "by SIGTERM" after a clean shutdown (what systemd counts as a clean stop).
    assert server.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output and '"level": "error"' not in output


def test_rotate_epoch_makes_old_cursors_reset(cli: Run, session: Session) -> None:
    from server.sync.feed import server_state

    before = server_state(session).epoch
    session.rollback()
    code, out, _err = cli("rotate-epoch")
    assert code == 0 and "new epoch" in out
    session.expire_all()
    assert server_state(session).epoch != before


# ------------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("lang", "weak", "missing"),
    [
        (
            "nl_NL.UTF-8",
            "weak_password: Een wachtwoord heeft minstens 12 tekens.\n",
            "kan een bestand niet lezen of schrijven: ",
        ),
        (
            "en_US.UTF-8",
            "weak_password: A password has at least 12 characters.\n",
            "cannot read or write a file: ",
        ),
        # No locale at all (a bare server, a cron job): Dutch, as the desktop.
        (None, "weak_password: Een wachtwoord heeft minstens 12 tekens.\n", "kan een bestand"),
        ("C.UTF-8", "weak_password: Een wachtwoord heeft minstens 12 tekens.\n", "kan een bestand"),
    ],
)
def test_errors_are_printed_in_the_locales_language_only(
    cli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str | None,
    weak: str,
    missing: str,
) -> None:
    set_language(monkeypatch, lang)
    short = tmp_path / "weak.txt"
    short.write_text("kort\n", encoding="utf-8")

    weak_code, _, weak_err = cli(
        "create-user", "k.dijkstra", "--role", "caseworker", "--password-file", str(short)
    )
    missing_code, _, missing_err = cli(
        "create-user", "k.dijkstra", "--role", "caseworker", "--password-file", str(tmp_path / "x")
    )

    assert (weak_code, weak_err) == (1, weak)
    assert missing_code == 1 and missing_err.startswith(missing)


def test_lc_all_goes_before_lang(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_language(monkeypatch, "nl_NL.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    short = tmp_path / "weak.txt"
    short.write_text("kort\n", encoding="utf-8")

    _, _, err = cli(
        "create-user", "k.dijkstra", "--role", "caseworker", "--password-file", str(short)
    )

    assert err == "weak_password: A password has at least 12 characters.\n"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl_NL.UTF-8", "controleren en melden, niets veranderen"),
        (None, "controleren en melden, niets veranderen"),
        ("en_US.UTF-8", "check and report, change nothing"),
    ],
)
def test_import_help_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str | None,
    expected: str,
) -> None:
    set_language(monkeypatch, lang)

    with pytest.raises(SystemExit):
        main(["import-clients", "--help"])

    assert expected in " ".join(capsys.readouterr().out.split())


def test_error_text_of_a_domain_error_and_of_an_api_code_without_dutch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    domain = VeldwerkError("some_rule", "De regel.", "The rule.")
    unknown = ApiError(409, "something_new", "Only English here.")

    set_language(monkeypatch, "nl_NL.UTF-8")
    assert terminal.error_text(domain) == "some_rule: De regel."
    # Better the English than nothing: the code says what it is either way.
    assert terminal.error_text(unknown) == "something_new: Only English here."
    set_language(monkeypatch, "en_US.UTF-8")
    assert terminal.error_text(domain) == "some_rule: The rule."


def test_every_dutch_api_message_belongs_to_a_code_the_server_raises() -> None:
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in Path(server.__file__).parent.rglob("*.py")
    )
    for code in terminal._API_DUTCH:
        assert f'"{code}"' in source.replace(f'"{code}": ', ""), code
