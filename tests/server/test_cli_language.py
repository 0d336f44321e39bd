"""`veldwerk-server` speaks the locale's language (issue #17): help, argparse's own words, what
the commands print and their errors are Dutch under a Dutch locale (or none at all) and English
under any other (server/terminal.py, the desktop's rule in app/domain/languages.py).

Machine-readable output (the enrollment code on its own line, the demo accounts the desktop demo
reads, a report's CSV) stays the same in both languages. The last tests walk every command's
parser and check that no help text, metavar or title was left in one language.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.demo.caseload import generate_caseload
from app.demo.server import _PASSWORD_LINE
from server.cli import build_parser, main
from server.crud.records import upsert_record
from tests.server.conftest import PASSWORD
from tests.server.conftest import Device as EnrolledDevice

DUTCH = "nl_NL.UTF-8"
ENGLISH = "en_US.UTF-8"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG")

Run = Callable[..., tuple[int, str, str]]


def speak(monkeypatch: pytest.MonkeyPatch, locale: str | None, variable: str = "LANG") -> None:
    """The locale as the command reads it: `variable` set (or none at all), the others unset."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    if locale is not None:
        monkeypatch.setenv(variable, locale)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # argparse wraps help to the terminal's width (COLUMNS), and wraps at hyphens too: wide
    # enough that the sentences below stay whole.
    monkeypatch.setenv("COLUMNS", "250")


def flat(text: str) -> str:
    return " ".join(text.split())


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main([*command, "--help"])
    assert ended.value.code == 0
    return flat(capsys.readouterr().out)


def refusal_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    """What argparse says about a command line it refuses (exit code 2), usage line first."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        main(list(command))
    assert ended.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.fixture
def cli(database_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--database-url", database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


# ------------------------------------------------------------------------------------ help

HELP: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {
    (): {
        "nl": (
            "gebruik: veldwerk-server [-h] [--database-url URL] OPDRACHT ...",
            "De centrale dienst van Veldwerk draaien en beheren.",
            "nooit de naam of het BSN van een cliënt.",
            "argumenten: OPDRACHT init-db migraties uitvoeren, referentiegegevens laden",
            "enrollment-code eenmalige koppelcode om een apparaat te koppelen",
            "revoke-device een apparaat intrekken; het wist zijn gegevens bij het volgende contact",
            "retention bewaartermijnen en vernietiging",
            "opties: -h, --help deze hulptekst tonen en stoppen",
            "--database-url URL standaard: $VELDWERK_DATABASE_URL of SQLite in de huidige map",
        ),
        "en": (
            "usage: veldwerk-server [-h] [--database-url URL] COMMAND ...",
            "Run and administer the central office service.",
            "it never prints a client's name or BSN.",
            "positional arguments: COMMAND init-db run migrations, load reference data",
            "enrollment-code one-time code to enroll a device",
            "revoke-device revoke a device; it wipes at next contact",
            "retention retention and destruction",
            "options: -h, --help show this help message and exit",
            "--database-url URL default: $VELDWERK_DATABASE_URL or SQLite here",
        ),
    },
    ("create-user",): {
        "nl": (
            "gebruik: veldwerk-server create-user [-h] --role {caseworker,team_lead,admin} "
            "[--display-name NAAM] [--password-file BESTAND] GEBRUIKERSNAAM",
            "GEBRUIKERSNAAM 2-64 kleine letters, cijfers, '.', '_' of '-', beginnend met een "
            "letter",
            "--role {caseworker,team_lead,admin} de rol van de gebruiker",
            "--password-file BESTAND de eerste regel is het wachtwoord (standaard: erom vragen)",
        ),
        "en": (
            "usage: veldwerk-server create-user [-h] --role {caseworker,team_lead,admin} "
            "[--display-name NAME] [--password-file FILE] USERNAME",
            "USERNAME 2-64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
            "--role {caseworker,team_lead,admin} the user's role",
            "--password-file FILE first line is the password (default: prompt)",
        ),
    },
    ("revoke-device",): {
        "nl": ("APPARAAT-ID het id uit de lijst van 'devices'",),
        "en": ("DEVICE_ID the id from the list of 'devices'",),
    },
    ("demo-seed",): {
        "nl": ("--today JJJJ-MM-DD de dag waar de caseload omheen is gebouwd",),
        "en": ("--today YYYY-MM-DD the day the caseload is built around",),
    },
    ("retention", "hold", "add"): {
        "nl": (
            "gebruik: veldwerk-server retention hold add [-h] --client CLIËNT --reason REDEN",
            "--client CLIËNT id of BSN van de cliënt",
            "--reason REDEN waarom",
        ),
        "en": (
            "usage: veldwerk-server retention hold add [-h] --client CLIENT --reason REASON",
            "--client CLIENT the client's id or BSN",
            "--reason REASON why",
        ),
    },
    ("access-report",): {
        "nl": (
            "(--client ID | --bsn BSN) [--from JJJJ-MM-DD] [--to JJJJ-MM-DD]",
            "--out BESTAND het bestand dat wordt geschreven",
        ),
        "en": (
            "(--client ID | --bsn BSN) [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
            "--out FILE the file to write",
        ),
    },
    ("council-report",): {
        "nl": ("--period JJJJ-H1|JJJJ-H2 het halfjaar, bijvoorbeeld 2026-H2",),
        "en": ("--period YYYY-H1|YYYY-H2 the half year, e.g. 2026-H2",),
    },
}


@pytest.mark.parametrize(
    ("locale", "variable", "language"),
    [
        (DUTCH, "LANG", "nl"),
        (DUTCH, "LC_ALL", "nl"),
        (None, "LANG", "nl"),  # no locale at all (cron, a bare server): Dutch, as the desktop
        ("C.UTF-8", "LANG", "nl"),
        (ENGLISH, "LANG", "en"),
        (ENGLISH, "LC_ALL", "en"),
        ("de_DE.UTF-8", "LANG", "en"),  # a language we do not speak: English
    ],
)
@pytest.mark.parametrize("command", list(HELP), ids=lambda c: " ".join(c) or "veldwerk-server")
def test_help_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str | None,
    variable: str,
    language: str,
    command: tuple[str, ...],
) -> None:
    speak(monkeypatch, locale, variable)

    shown = help_of(capsys, *command)

    for expected in HELP[command][language]:
        assert expected in shown
    other = HELP[command]["en" if language == "nl" else "nl"]
    assert not any(line in shown for line in other)


def test_the_installed_entry_point_follows_the_locale(tmp_path: Path) -> None:
    def run(locale: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": "/usr/bin:/bin", "LANG": locale, "COLUMNS": "250"}
        return subprocess.run(
            [sys.executable, "-m", "server.cli", "--help"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )

    dutch, english = run(DUTCH), run(ENGLISH)

    assert dutch.returncode == english.returncode == 0, dutch.stderr + english.stderr
    assert dutch.stdout.startswith("gebruik: veldwerk-server")
    assert "deze hulptekst tonen en stoppen" in dutch.stdout
    assert english.stdout.startswith("usage: veldwerk-server")
    assert "show this help message and exit" in english.stdout


# ---------------------------------------------------------------- argparse's own refusals

REFUSED: list[tuple[list[str], str, str]] = [
    (
        [],
        "veldwerk-server: fout: deze argumenten ontbreken: OPDRACHT",
        "veldwerk-server: error: the following arguments are required: COMMAND",
    ),
    (
        ["create-user", "k.dijkstra", "--role", "baas"],
        "veldwerk-server create-user: fout: argument --role: ongeldige keuze: 'baas' "
        "(kies uit 'caseworker', 'team_lead', 'admin')",
        "veldwerk-server create-user: error: argument --role: invalid choice: 'baas' "
        "(choose from 'caseworker', 'team_lead', 'admin')",
    ),
    (
        ["create-user", "k.dijkstra", "--role"],
        "veldwerk-server create-user: fout: argument --role: hier hoort één waarde bij",
        "veldwerk-server create-user: error: argument --role: expected one argument",
    ),
    (
        ["demo-seed", "--today", "23-11-2026"],
        "veldwerk-server demo-seed: fout: argument --today: geen datum in de vorm JJJJ-MM-DD: "
        "'23-11-2026'",
        "veldwerk-server demo-seed: error: argument --today: invalid fromisoformat value: "
        "'23-11-2026'",
    ),
    (
        ["purge-tombstones", "--days", "veel"],
        "veldwerk-server purge-tombstones: fout: argument --days: geen geheel getal: 'veel'",
        "veldwerk-server purge-tombstones: error: argument --days: invalid int value: 'veel'",
    ),
    (
        ["devices", "--all"],
        "veldwerk-server: fout: onbekende argumenten: --all",
        "veldwerk-server: error: unrecognized arguments: --all",
    ),
    (
        ["access-report", "--client", "a", "--bsn", "b", "--format", "pdf", "--out", "r.pdf"],
        "veldwerk-server access-report: fout: argument --bsn: niet samen met argument --client",
        "veldwerk-server access-report: error: argument --bsn: not allowed with argument --client",
    ),
    (
        ["erasure", "decide", "--request", "1"],
        "veldwerk-server erasure decide: fout: een van de argumenten --carry-out --refuse is nodig",
        "veldwerk-server erasure decide: error: one of the arguments --carry-out --refuse is "
        "required",
    ),
    (
        ["retention", "hold"],
        "veldwerk-server retention hold: fout: deze argumenten ontbreken: OPDRACHT",
        "veldwerk-server retention hold: error: the following arguments are required: COMMAND",
    ),
]


@pytest.mark.parametrize(
    ("command", "dutch", "english"), REFUSED, ids=[" ".join(c[0]) or "none" for c in REFUSED]
)
def test_argparse_refuses_in_the_locales_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    dutch: str,
    english: str,
) -> None:
    speak(monkeypatch, DUTCH)
    said_in_dutch = refusal_of(capsys, *command)
    speak(monkeypatch, ENGLISH)
    said_in_english = refusal_of(capsys, *command)

    assert said_in_dutch.startswith("gebruik: veldwerk-server")
    assert said_in_dutch.endswith(f"\n{dutch}\n")
    assert said_in_english.startswith("usage: veldwerk-server")
    assert said_in_english.endswith(f"\n{english}\n")


# ------------------------------------------------------------------- what commands print

SAID: dict[str, dict[str, str]] = {
    "nl": {
        "init-db": "de database heeft het nieuwste schema; referentiegegevens geladen\n",
        "create-user": "gebruiker t.mulder aangemaakt met rol team_lead\n",
        "create-team": "team Team Noord aangemaakt\n",
        "team twice": "team_exists: Er is al een team met deze naam.\n",
        "add-to-team": "k.dijkstra zit in team Team Noord\n",
        "no such team": "not_found: Dit team bestaat niet.\n",
        "assign": "cliënt {client} toegewezen aan k.dijkstra\n",
        "no such client": "not_found: Deze cliënt bestaat niet.\n",
        "code heading": "koppelcode voor k.dijkstra (24 uur geldig, eenmalig):",
        "no such user": "not_found: Deze gebruiker bestaat niet.\n",
        "no devices": "geen apparaten\n",
        "seen": " laatste contact ",
        "active": "  in gebruik",
        "revoke": "apparaat {device} ingetrokken: het wist zijn gegevens bij het volgende "
        "contact\n",
        "revoked": r"  ingetrokken \d\d-\d\d-\d{4}$",
        "no such device": "not_found: Dit apparaat bestaat niet.\n",
        "epoch": "nieuwe epoch: elk apparaat haalt bij de volgende synchronisatie alles opnieuw "
        "op\n",
        "tombstones too soon": "verwijderde records (tombstones) blijven minstens 180 dagen "
        "bewaard\n",
        "tombstones": "0 verwijderde records (tombstones) ouder dan 180 dagen opgeruimd; de "
        "horizon is nu ",
        "blobs zero": "--days moet minstens 1 zijn\n",
        "blobs": "0 bijlagebestanden verwijderd waar geen record meer naar verwijst, ouder dan "
        "7 dagen\n",
        "tls": "--tls-cert en --tls-key horen bij elkaar\n",
        "holds": "Geen bewaarplicht van kracht.\n",
        "erasures": "Geen verzoeken om vernietiging.\n",
        "erasure of nobody": "unknown_client: Er is geen cliënt met dit id of BSN.\n",
        "access report": "inzageoverzicht geschreven: 2 gebeurtenissen (csv)\n",
        "access refused": "unknown_client: ",
        "council refused": "unknown_municipality: --municipality 'Ezinge': onbekende gemeente; ",
        "demo": r"demogegevens: 12 cliënten, \d+ records",
        "demo twice": "demo_exists: Deze database bevat de demogegevens al.\n",
        "prompts": "Wachtwoord voor k.visser: |Nogmaals: ",
        "mismatch": "password_mismatch: De twee wachtwoorden verschillen.\n",
        "database": "database_error: de database gaf een fout (OperationalError)\n",
    },
    "en": {
        "init-db": "database is at the newest schema; reference data loaded\n",
        "create-user": "created team_lead t.mulder\n",
        "create-team": "created team Team Noord\n",
        "team twice": "team_exists: A team with this name already exists.\n",
        "add-to-team": "k.dijkstra is in team Team Noord\n",
        "no such team": "not_found: No such team, or not yours to see.\n",
        "assign": "client {client} assigned to k.dijkstra\n",
        "no such client": "not_found: No such client, or not yours to see.\n",
        "code heading": "enrollment code for k.dijkstra (valid 24 h, once):",
        "no such user": "not_found: No such user, or not yours to see.\n",
        "no devices": "no devices\n",
        "seen": " last seen ",
        "active": "  active",
        "revoke": "revoked {device}: it wipes its data at its next contact\n",
        "revoked": r"  revoked \d{4}-\d\d-\d\d$",
        "no such device": "not_found: No such device, or not yours to see.\n",
        "epoch": "new epoch: every device downloads everything again at its next sync\n",
        "tombstones too soon": "tombstones are kept at least 180 days\n",
        "tombstones": "removed 0 tombstones older than 180 days; horizon is now ",
        "blobs zero": "--days must be at least 1\n",
        "blobs": "removed 0 attachment files no record names, older than 7 days\n",
        "tls": "--tls-cert and --tls-key go together\n",
        "holds": "No legal hold in force.\n",
        "erasures": "No erasure requests.\n",
        "erasure of nobody": "unknown_client: There is no client with this id or BSN.\n",
        "access report": "access report written: 2 events (csv)\n",
        "access refused": "unknown_client: ",
        "council refused": "unknown_municipality: --municipality 'Ezinge': unknown municipality; ",
        "demo": r"demo data: 12 clients, \d+ records",
        "demo twice": "demo_exists: This database already holds the demo data.\n",
        "prompts": "Password for k.visser: |Again: ",
        "mismatch": "password_mismatch: The two passwords differ.\n",
        "database": "database_error: the database reported an error (OperationalError)\n",
    },
}


@pytest.fixture(params=["nl", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    speak(monkeypatch, DUTCH if request.param == "nl" else ENGLISH)
    yield str(request.param)


def test_the_administration_commands_speak_the_locales_language(
    cli: Run,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    session: Session,
    enrolled: Callable[..., EnrolledDevice],
    tmp_path: Path,
    language: str,
) -> None:
    said = SAID[language]
    password = tmp_path / "password.txt"
    password.write_text(f"{PASSWORD}\n", encoding="utf-8")
    person = generate_caseload(clients=1, seed=7).clients[0]
    upsert_record(session, person, by="test")
    session.commit()

    assert cli("init-db") == (0, said["init-db"], "")
    lead = ("create-user", "t.mulder", "--role", "team_lead", "--password-file", str(password))
    assert cli(*lead) == (0, said["create-user"], "")
    worker = ("create-user", "k.dijkstra", "--role", "caseworker", "--password-file")
    assert cli(*worker, str(password))[0] == 0
    assert cli("create-team", "Team Noord", "--lead", "t.mulder") == (0, said["create-team"], "")
    assert cli("create-team", "Team Noord") == (1, "", said["team twice"])
    assert cli("add-to-team", "Team Noord", "k.dijkstra") == (0, said["add-to-team"], "")
    assert cli("add-to-team", "Team Zuid", "k.dijkstra") == (1, "", said["no such team"])
    # Assigned by BSN, told by id: the output never holds a BSN or a name.
    assigned = said["assign"].format(client=person.id)
    assert cli("assign", person.bsn.value, "k.dijkstra") == (0, assigned, "")
    assert cli("assign", "no-such-client", "k.dijkstra") == (1, "", said["no such client"])

    code, out, err = cli("enrollment-code", "k.dijkstra")
    heading, enrollment_code = out.splitlines()
    assert (code, heading, err) == (0, said["code heading"], "")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", enrollment_code)  # untranslated
    assert cli("enrollment-code", "nobody") == (1, "", said["no such user"])

    assert cli("devices") == (0, said["no devices"], "")
    device = enrolled("j.smit", "caseworker")
    code, out, err = cli("devices")
    (line,) = out.splitlines()
    assert code == 0 and line.startswith(f"{device.device_id}  j.smit ")
    assert said["seen"] in line and line.endswith(said["active"])
    revoke = said["revoke"].format(device=device.device_id)
    assert cli("revoke-device", device.device_id) == (0, revoke, "")
    assert re.search(said["revoked"], cli("devices")[1].rstrip("\n"))
    assert cli("revoke-device", str(uuid.uuid4())) == (1, "", said["no such device"])

    assert cli("rotate-epoch") == (0, said["epoch"], "")
    assert cli("purge-tombstones", "--days", "30") == (2, "", said["tombstones too soon"])
    code, out, err = cli("purge-tombstones")
    assert code == 0 and out.startswith(said["tombstones"]) and err == ""
    assert cli("purge-blobs", "--days", "0") == (2, "", said["blobs zero"])
    assert cli("purge-blobs", "--days", "7") == (0, said["blobs"], "")
    # `serve` puts its --database-url in the environment (for uvicorn's workers): undone after.
    monkeypatch.setenv("VELDWERK_DATABASE_URL", database_url)
    assert cli("serve", "--tls-cert", str(tmp_path / "cert.pem")) == (2, "", said["tls"])

    assert cli("retention", "hold", "list") == (0, said["holds"], "")
    assert cli("erasure", "list") == (0, said["erasures"], "")
    nobody = ("erasure", "request", "--client", "nobody", "--received", "2026-11-01")
    assert cli(*nobody) == (1, "", said["erasure of nobody"])

    # Two events: the assignment above, and the making of this report (audited as an export).
    report = tmp_path / "report.csv"
    access = ("access-report", "--client", person.id, "--format", "csv", "--out", str(report))
    assert cli(*access) == (0, said["access report"], "")
    code, out, err = cli(*access[:2], "no-such-client", *access[3:])
    assert (code, out) == (2, "") and err.startswith(said["access refused"])
    assert err.count("\n") == 1  # one language, not both
    council = ("council-report", "--period", "2026-H2", "--municipality", "Ezinge")
    code, out, err = cli(*council, "--out", str(tmp_path))
    assert (code, out) == (2, "") and err.startswith(said["council refused"])
    assert err.count("\n") == 1


def test_a_report_file_is_the_same_in_both_languages(
    cli: Run, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = generate_caseload(clients=1, seed=7).clients[0]
    upsert_record(session, person, by="test")
    session.commit()
    header = {}
    for locale in (DUTCH, ENGLISH):
        speak(monkeypatch, locale)
        report = tmp_path / f"{locale}.csv"
        access = ("access-report", "--client", person.id, "--format", "csv", "--out", str(report))
        assert cli(*access)[0] == 0
        header[locale] = report.read_text(encoding="utf-8").splitlines()[0]

    assert header[DUTCH] == header[ENGLISH]


def test_demo_seed_keeps_the_account_lines_the_desktop_demo_reads(cli: Run, language: str) -> None:
    code, out, err = cli("demo-seed", "--clients", "12")

    assert code == 0, err
    first, *accounts = out.splitlines()
    assert re.fullmatch(SAID[language]["demo"], first)
    # app/demo/server.py finds the demo's passwords in these lines, whatever the locale.
    found = [_PASSWORD_LINE.match(line) for line in accounts]
    assert len(found) == 4 and all(found)
    assert cli("demo-seed", "--clients", "12") == (1, "", SAID[language]["demo twice"])


def test_password_prompts_and_a_mismatch(
    cli: Run, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    asked: list[str] = []
    answers = iter(["een lang genoeg wachtwoord", "een ander lang wachtwoord"])

    def getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("server.cli.getpass.getpass", getpass)

    said = cli("create-user", "k.visser", "--role", "caseworker")

    assert said == (1, "", SAID[language]["mismatch"])
    assert "|".join(asked) == SAID[language]["prompts"]


CONSOLE_TOTP = {
    "nl": (
        "tweede factor voor b.admin:",
        "  sleutel: ",
        "Zet deze sleutel in een authenticator-app; hij wordt niet nog eens getoond.",
        "not_an_admin: alleen functioneel beheer (rol admin) meldt zich aan in het beheer.\n",
    ),
    "en": (
        "second factor for b.admin:",
        "  key: ",
        "Add this key to an authenticator app; it is not shown again.",
        "not_an_admin: only administrators (role admin) sign in to the console.\n",
    ),
}


def test_console_totp_speaks_the_locales_language(cli: Run, tmp_path: Path, language: str) -> None:
    heading, key, advice, refused = CONSOLE_TOTP[language]
    password = tmp_path / "password.txt"
    password.write_text(f"{PASSWORD}\n", encoding="utf-8")
    for name, role in (("b.admin", "admin"), ("k.dijkstra", "caseworker")):
        made = cli("create-user", name, "--role", role, "--password-file", str(password))
        assert made[0] == 0

    code, out, err = cli("console-totp", "--user", "b.admin")

    lines = out.splitlines()
    assert (code, err, len(lines)) == (0, "", 4)
    assert lines[0] == heading and lines[3] == advice
    # The key and the address for the authenticator app: the same in both languages.
    assert re.fullmatch(re.escape(key) + "[A-Z2-7]{32}", lines[1])
    assert lines[2].startswith("  otpauth://totp/")
    assert cli("console-totp", "--user", "k.dijkstra") == (1, "", refused)


def test_a_database_error_names_no_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    capsys.readouterr()
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'central.db'}"

    assert main(["--database-url", url, "devices"]) == 1

    assert capsys.readouterr() == ("", SAID[language]["database"])


# ---------------------------------------------------------------- no text left in one language

# Texts that are rightly the same in both languages: names, codes and formats (metavars).
SAME_IN_BOTH = {"URL", "ID", "BSN", "TEAM"}

# Commands whose help another module gives and that module has not translated yet: listed so
# that the test says so, rather than failing here or passing in silence.
NOT_YET_TRANSLATED: set[str] = set()

Texts = dict[tuple[str, ...], str]


def parser_texts(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Texts:
    """Every text of a parser and its subcommands' parsers, keyed by where it is."""
    found: Texts = {}
    if parser.description:
        found[(*path, "description")] = parser.description
    for number, group in enumerate(parser._action_groups):
        if group.title:
            found[(*path, f"group {number}")] = group.title
    for action in parser._actions:
        name = action.option_strings[-1] if action.option_strings else action.dest
        if action.help and action.help is not argparse.SUPPRESS:
            found[(*path, name, "help")] = action.help
        if isinstance(action.metavar, str):
            found[(*path, name, "metavar")] = action.metavar
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.help:
                    found[(*path, choice.dest, "help of the command")] = choice.help
            for command, subparser in action.choices.items():
                if command not in NOT_YET_TRANSLATED:
                    found.update(parser_texts(subparser, (*path, command)))
    return found


def built_in(monkeypatch: pytest.MonkeyPatch, locale: str) -> argparse.ArgumentParser:
    speak(monkeypatch, locale)
    return build_parser()


def test_every_help_text_differs_between_dutch_and_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dutch = parser_texts(built_in(monkeypatch, DUTCH))
    english = parser_texts(built_in(monkeypatch, ENGLISH))

    assert dutch.keys() == english.keys()
    assert len(dutch) > 150  # the walk reached every command
    same = {
        " / ".join(where): text
        for where, text in dutch.items()
        if english[where] == text
        and text not in SAME_IN_BOTH
        and not (len(where) > 1 and where[-2] in NOT_YET_TRANSLATED)
    }
    assert same == {}


def test_every_command_has_help_and_no_english_argparse_words_in_dutch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parser = built_in(monkeypatch, DUTCH)
    english_words = ("usage:", "options:", "positional arguments", "show this help")

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> Iterator[str]:
        shown = parser.format_help()
        for word in english_words:
            assert word not in shown, (path, word)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help, (*path, choice.dest)
                for command, subparser in action.choices.items():
                    if command not in NOT_YET_TRANSLATED:
                        yield from walk(subparser, (*path, command))
            elif not action.help:
                name = action.option_strings[-1] if action.option_strings else action.dest
                yield " ".join((*path, name))

    assert list(walk(parser, ("veldwerk-server",))) == []
