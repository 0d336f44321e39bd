"""Sync under faults, against a real server process: a device sync killed with SIGKILL at random
points of push and pull, the server restarted mid-sync, and the server restored from an older
backup (SYNC.md scenarios 2, 3 and 11).

The device sync that gets killed runs in a child process (`CHILD` below); the test process makes
the edits between runs with the store closed while the child runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, select, text

from app.domain.client import Client
from app.domain.notes import Note
from app.domain.records import BY_ENTITY
from app.domain.schema import field_names
from app.domain.visit import Visit
from app.services import sync as sync_service
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES
from app.storage.vault import MemoryAttemptCounter
from app.sync.client import SyncError
from app.sync.engine import SyncReport
from server.db import make_engine, make_sessionmaker, session_scope
from server.migrations.runner import upgrade
from server.models import RECORD_TABLES, DeviceMutation, DeviceSync
from server.seed import seed_demo
from tests import store_access
from tests.central import POSTGRES_ADMIN, Central, free_port
from tests.e2e.test_sync_e2e import _enroll

PASSPHRASE = "een lange wachtzin voor de test"  # the one tests.e2e.test_sync_e2e._enroll uses
USER = "k.dijkstra"
COMPARED = ("client", "household_member", "enrollment", "visit", "intake", "note")

# The device side of one sync round, in its own process so that it can be killed anywhere.
# It prints READY once the profile is open, a line before and after each request (so the test
# knows whether a kill landed in push or pull), and the outcome as JSON.
CHILD = """
import dataclasses, json, os, sys, threading, time
from pathlib import Path
from app.services import sync as sync_service
from app.storage.profiles import find_profile
from app.storage.vault import MemoryAttemptCounter
from app.sync.client import SyncError
from app.sync.engine import SyncEngine


def run_once():
    profile = find_profile(os.environ["VW_PROFILE"], Path(os.environ["VW_HOME"]))
    store = profile.unlock(
        Path(os.environ["VW_PASSFILE"]).read_text(encoding="utf-8"),
        vault=profile.vault(counter=MemoryAttemptCounter()),
    )
    delay = float(os.environ.get("VW_DELAY", "0"))
    transport = sync_service.transport_for(store)
    plain = transport.request

    said = threading.Lock()

    def say(text):
        # One write per line, whichever thread logs (the next page is fetched on another one
        # while a page is applied): a kill never leaves half a line for the EXIT to run into.
        with said:
            sys.stdout.write(text + "\\n")
            sys.stdout.flush()

    def request(method, path, answer, **kwargs):
        say("send " + path.rsplit("/", 1)[-1])
        time.sleep(delay)
        result = plain(method, path, answer, **kwargs)
        say("got " + path.rsplit("/", 1)[-1])
        time.sleep(delay)
        return result

    transport.request = request
    engine = SyncEngine(
        store,
        transport,
        device_id=str(store.setting(sync_service.DEVICE)),
        page_size=int(os.environ.get("VW_PAGE", "500")),
    )
    print("READY", os.getpid(), flush=True)
    try:
        report = engine.sync()
        outcome = {"ok": dataclasses.asdict(report)}
    except SyncError as error:
        outcome = {"error": error.code, "retryable": error.retryable}
    print("RESULT " + json.dumps(outcome), flush=True)
    store.close()


if os.environ.get("VW_ZYGOTE"):
    # Imports done once; each line on stdin forks one sync, which the test may SIGKILL.
    for _line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run_once()
            except BaseException:
                import traceback
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        # On a line of its own, whatever the child left unfinished.
        print("\\nEXIT", os.waitstatus_to_exitcode(status), flush=True)
else:
    run_once()
"""


# --------------------------------------------------------------------------------------------
# A central server that can be stopped, restarted and restored.


@dataclass
class Live:
    database_url: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "server.cli",
                    "--database-url",
                    self.database_url,
                    "serve",
                    "--port",
                    str(self.port),
                ],
                stdout=subprocess.DEVNULL,
                stderr=log,
                env={**os.environ, "VELDWERK_LOG_LEVEL": "WARNING"},
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if requests.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop(kill=True)
        pytest.fail("the server did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def stop(self, *, kill: bool = False) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            if kill:
                self.proc.kill()
            else:
                self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc = None

    def restart(self, *, kill: bool = False) -> None:
        self.stop(kill=kill)
        self.start()


@contextmanager
def _central(kind: str, tmp: Path) -> Iterator[tuple[Live, Central]]:
    admin = None
    name = ""
    if kind == "sqlite":
        database_url = f"sqlite:///{tmp / 'central.db'}"
    else:
        admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"veldwerk_faults_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        database_url = admin.url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        seeded = seed_demo(session, clients=24, seed=5)
    engine.dispose()
    live = Live(database_url, free_port(), tmp / "server.log")
    live.start()
    try:
        yield live, Central(live.url, database_url, {u: p for u, _r, p in seeded.accounts})
    finally:
        live.stop()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Live, Central]]:
    with _central(str(request.param), tmp_path) as pair:
        yield pair


# --------------------------------------------------------------------------------------------
# The device: edits made in the test process, syncs run in a child process.


@dataclass
class Edits:
    """What the device changed, to find on the server afterwards."""

    notes: dict[str, str] = field(default_factory=dict)  # note id -> text
    client_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    visit_notes: dict[str, str] = field(default_factory=dict)
    entries: int = 0


def _open(profile: Profile) -> Store:
    return profile.unlock(PASSPHRASE, vault=profile.vault(counter=MemoryAttemptCounter()))


def _edit(store: Store, rng: random.Random, count: int, edits: Edits, *, tag: str = "") -> None:
    """`count` edits, each exactly one journal entry: new notes, client fields, visit notes."""
    held = sorted(c.id for c in store.caseload())
    assert held, "the device holds no clients"
    for _ in range(count):
        client_id = rng.choice(held)
        kind = rng.choice(("note", "note", "client", "visit"))
        if kind == "visit":
            visits = store.for_client(Visit, client_id)
            if visits:
                visit = rng.choice(visits)
                words = f"bezoeknotitie {tag}{uuid.uuid4().hex[:8]}"
                store.update(dataclasses.replace(visit, notes=words))
                edits.visit_notes[visit.id] = words
                edits.entries += 1
                continue
            kind = "client"
        if kind == "client":
            client = store.get(Client, client_id)
            assert client is not None
            if rng.random() < 0.5:
                step = rng.choice([s for s in range(1, 7) if s != client.participation_step])
                store.update(dataclasses.replace(client, participation_step=step))
                edits.client_fields.setdefault(client_id, {})["participation_step"] = step
            else:
                number = rng.choice([n for n in range(1, 400) if n != client.address.house_number])
                address = dataclasses.replace(client.address, house_number=number)
                store.update(dataclasses.replace(client, address=address))
                edits.client_fields.setdefault(client_id, {})["house_number"] = number
            edits.entries += 1
            continue
        note = Note(
            client_id=client_id,
            text=f"notitie {tag}{uuid.uuid4().hex}",
            author=USER,
            written_at=datetime.now(UTC),
        )
        store.create(note)
        edits.notes[note.id] = note.text
        edits.entries += 1


def _edit_closed(profile: Profile, rng: random.Random, count: int, edits: Edits) -> None:
    store = _open(profile)
    try:
        _edit(store, rng, count, edits)
    finally:
        store.close()


@dataclass
class ChildRun:
    proc: subprocess.Popen[str]
    lines: list[str]

    def outcome(self) -> dict[str, Any] | None:
        for line in self.lines:
            if line.startswith("RESULT "):
                return dict(json.loads(line[len("RESULT ") :]))
        return None


def _child_env(profile: Profile, tmp: Path, *, page: int, delay: float) -> dict[str, str]:
    passfile = tmp / "passphrase"
    passfile.write_text(PASSPHRASE, encoding="utf-8")
    return {
        **os.environ,
        "VW_HOME": str(profile.path.parent.parent),
        "VW_PROFILE": profile.name,
        "VW_PASSFILE": str(passfile),
        "VW_PAGE": str(page),
        "VW_DELAY": str(delay),
    }


class Zygote:
    """One process that imports the app once and forks a child per sync (a fresh interpreter
    per kill would spend most of the test importing)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**env, "VW_ZYGOTE": "1"},
        )

    def _line(self) -> str:
        """The next line that says something (EXIT comes after an empty line)."""
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                pytest.fail("the sync zygote died")
            if line.strip():
                return line.strip()

    def sync(self, rng: random.Random, *, lines: int, pause: float) -> tuple[int, list[str]]:
        """Fork one sync; after `lines` lines of its log and `pause` seconds, SIGKILL it.
        Returns (exit code, its log); -9 when the kill landed."""
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        ready = self._line()
        assert ready.startswith("READY "), ready
        pid = int(ready.split()[1])
        log: list[str] = []
        for _ in range(lines):
            line = self._line()
            if line.startswith("EXIT "):
                return int(line.split()[1]), log
            log.append(line)
        time.sleep(pause)
        # The sync may have ended by itself, and the zygote reaped it: its EXIT line follows.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while not (line := self._line()).startswith("EXIT "):
            log.append(line)
        return int(line.split()[1]), log

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _start_child(profile: Profile, tmp: Path, *, page: int, delay: float) -> ChildRun:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(profile, tmp, page=page, delay=delay),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if not first.startswith("READY"):
        proc.kill()
        _out, err = proc.communicate(timeout=30)
        pytest.fail(f"the child sync did not start: {first!r}\n{err[-3000:]}")
    return ChildRun(proc, [])


def _finish(run: ChildRun, timeout: float = 120) -> None:
    out, err = run.proc.communicate(timeout=timeout)
    run.lines.extend(out.splitlines())
    if run.proc.returncode not in (0, -signal.SIGKILL):
        pytest.fail(f"the child sync crashed ({run.proc.returncode}):\n{err[-3000:]}")


def _child_sync(profile: Profile, tmp: Path) -> dict[str, Any]:
    run = _start_child(profile, tmp, page=500, delay=0)
    _finish(run)
    outcome = run.outcome()
    assert outcome is not None, run.lines
    return outcome


# --------------------------------------------------------------------------------------------
# What the server holds.


def _server_rows(database_url: str, username: str) -> dict[str, dict[str, Any]]:
    """(entity -> id -> (version, normalised fields)) of the non-deleted rows in this
    caseworker's scope on the server."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            clients = RECORD_TABLES["client"]
            scope = {
                str(r.id)
                for r in conn.execute(
                    select(clients.c.id).where(
                        clients.c.caseworker == username, clients.c.deleted.is_(False)
                    )
                )
            }
            found: dict[str, dict[str, Any]] = {}
            for entity in COMPARED:
                table = RECORD_TABLES[entity]
                key = table.c.id if entity == "client" else table.c.client_id
                rows = conn.execute(select(table).where(table.c.deleted.is_(False))).all()
                found[entity] = {
                    str(r.id): _normalised(entity, r._mapping)
                    for r in rows
                    if str(r._mapping[key.name]) in scope
                }
            return found
    finally:
        engine.dispose()


def _device_rows(store: Store) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with store_access.connect(store) as conn:
        for entity in COMPARED:
            table = ENTITY_TABLES[entity]
            rows = conn.execute(select(table).where(table.c.deleted.is_(False))).all()
            found[entity] = {str(r.id): _normalised(entity, r._mapping) for r in rows}
    return found


def _normalised(entity: str, row: Any) -> tuple[int, dict[str, Any]]:
    fields = {k: row[k] for k in field_names(entity)}
    record = BY_ENTITY[entity].from_fields(str(row["id"]), dict(fields))
    return int(row["version"]), record.to_fields()


def _mutations(
    database_url: str, device_id: str
) -> tuple[int, list[tuple[int, str, dict[str, Any]]]]:
    """(device_sync.last_seq, [(seq, mutation_id, answer)]) of one device on the server."""
    engine = make_engine(database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            state = session.get(DeviceSync, device_id)
            rows = session.scalars(
                select(DeviceMutation)
                .where(DeviceMutation.device_id == device_id)
                .order_by(DeviceMutation.seq)
            ).all()
            return (
                state.last_seq if state is not None else 0,
                [(int(m.seq), m.mutation_id, dict(m.answer)) for m in rows],
            )
    finally:
        engine.dispose()


def _assert_on_server(central: Central, store: Store, edits: Edits) -> None:
    """Journal empty, each edit on the server exactly once, no gaps, device == server."""
    assert store.pending_count() == 0
    device_id = str(store.setting(sync_service.DEVICE))
    last_seq, mutations = _mutations(central.database_url, device_id)
    seqs = [seq for seq, _m, _a in mutations]
    assert seqs == list(range(1, edits.entries + 1)), seqs
    assert last_seq == edits.entries
    assert len({m for _s, m, _a in mutations}) == len(mutations), "a mutation applied twice"
    refused = [a for _s, _m, a in mutations if a["status"] not in ("applied", "merged")]
    assert not refused, refused

    server = _server_rows(central.database_url, USER)
    device = _device_rows(store)
    for note_id, words in edits.notes.items():
        assert note_id in server["note"], f"note {note_id} missing on the server"
        assert server["note"][note_id][1]["text"] == words
    engine = make_engine(central.database_url)
    try:
        with engine.connect() as conn:
            notes = RECORD_TABLES["note"]
            texts = [r.text for r in conn.execute(select(notes.c.text))]
    finally:
        engine.dispose()
    for words in edits.notes.values():
        assert texts.count(words) == 1, f"note {words!r} is on the server {texts.count(words)}x"
    for client_id, values in edits.client_fields.items():
        fields = server["client"][client_id][1]
        for name, value in values.items():
            assert fields[name] == value, (client_id, name, fields[name], value)
    for visit_id, words in edits.visit_notes.items():
        assert server["visit"][visit_id][1]["notes"] == words
    for entity in COMPARED:
        assert device[entity] == server[entity], f"{entity}: device and server differ"


# --------------------------------------------------------------------------------------------
# (a) SIGKILL at random points of push and pull.

KILLS = 50


def test_sync_killed_anywhere_loses_and_doubles_nothing(
    live: tuple[Live, Central], tmp_path: Path
) -> None:
    _server, central = live
    device = _enroll(central, tmp_path / "home", USER, f"k-{uuid.uuid4().hex[:6]}")
    profile = device.profile
    device.sync()  # the caseload arrives; no entries yet
    device.store.close()

    rng = random.Random(20250611)
    edits = Edits()
    _edit_closed(profile, rng, 30, edits)
    # "page": a page being fetched or applied; with edits to send it comes in the push's answer
    # (protocol 4), and a kill after that answer arrived lands in applying it.
    kills = {"push": 0, "page": 0, "hello": 0}
    completed = 0
    zygote = Zygote(_child_env(profile, tmp_path, page=2, delay=0.005))
    try:
        while sum(kills.values()) < KILLS:
            # A random line of the child's request log, then a random moment after it.
            code, log = zygote.sync(rng, lines=rng.randint(0, 7), pause=rng.uniform(0, 0.012))
            if code == 0:
                assert any(line.startswith('RESULT {"ok"') for line in log), log
                completed += 1
            else:
                assert code == -signal.SIGKILL, log
                said = [line.split()[:2] for line in log if line.startswith(("send ", "got "))]
                verb, path = said[-1] if said else ("send", "hello")
                if path == "pull" or (verb, path) == ("got", "push"):
                    kills["page"] += 1
                else:
                    kills["push" if path == "push" else "hello"] += 1
            _edit_closed(profile, rng, rng.randint(1, 4), edits)
    finally:
        zygote.close()

    print(f"kills {kills}, completed syncs {completed}")
    assert kills["push"] >= 5 and kills["page"] >= 5, kills
    outcome = _child_sync(profile, tmp_path)
    assert "ok" in outcome, outcome
    store = _open(profile)
    try:
        _assert_on_server(central, store, edits)
    finally:
        store.close()


# --------------------------------------------------------------------------------------------
# (c) The server restarted in the middle of a sync.


def test_server_restarted_mid_sync(live: tuple[Live, Central], tmp_path: Path) -> None:
    server, central = live
    device = _enroll(central, tmp_path / "home", USER, f"k-{uuid.uuid4().hex[:6]}")
    profile = device.profile
    device.sync()
    device.store.close()
    rng = random.Random(7)
    edits = Edits()
    outcomes = []
    for round_ in range(4):
        _edit_closed(profile, rng, 12, edits)
        run = _start_child(profile, tmp_path, page=2, delay=0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        server.restart(kill=round_ % 2 == 1)
        _finish(run)
        outcome = run.outcome()
        assert run.proc.returncode == 0 and outcome is not None, run.lines
        assert "ok" in outcome or outcome.get("retryable") is True, outcome
        outcomes.append(outcome)
    final = _child_sync(profile, tmp_path)
    assert "ok" in final, (final, outcomes)
    store = _open(profile)
    try:
        _assert_on_server(central, store, edits)
    finally:
        store.close()


# --------------------------------------------------------------------------------------------
# (d) The server restored from an older backup.


def _backup(database_url: str, to: Path) -> None:
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(to)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _sync_or_error(device_store: Store, profile: Profile) -> SyncReport | SyncError:
    try:
        return sync_service.sync_profile(profile, device_store)
    except SyncError as error:
        return error


@pytest.mark.parametrize("checked", ["pushed_after_backup", "only_pulled_after_backup"])
def test_server_restored_from_an_older_backup(tmp_path: Path, checked: str) -> None:
    """A pushed entries after the backup (acknowledged, then lost with the restore); B only
    pulled the newer state after the backup. Both have entries waiting at the restore."""
    with _central("sqlite", tmp_path) as (server, central):
        home = tmp_path / "home"
        a = _enroll(central, home, USER, f"a-{uuid.uuid4().hex[:6]}")
        b = _enroll(central, home, USER, f"b-{uuid.uuid4().hex[:6]}")
        try:
            rng = random.Random(11)
            a.sync()
            b.sync()
            _edit(a.store, rng, 4, Edits(), tag="a1-")
            a.sync()
            _edit(b.store, rng, 2, Edits(), tag="b1-")
            b.sync()
            a.sync()
            b.sync()

            backup = tmp_path / "backup.db"
            _backup(central.database_url, backup)

            # Acknowledged after the backup: lost with the restore, inherently.
            _edit(a.store, rng, 3, Edits(), tag="a2-")
            a.sync()
            b.sync()
            # Still in the journals at the time of the restore: these must reach the server.
            pending_a, pending_b = Edits(), Edits()
            _edit(a.store, rng, 3, pending_a, tag="a3-")
            _edit(b.store, rng, 3, pending_b, tag="b3-")
            waiting = {
                "a": [e.mutation_id for e in a.store.journal_entries()],
                "b": [e.mutation_id for e in b.store.journal_entries()],
            }
            next_seq = {
                "a": a.store.journal_entries()[0].seq,
                "b": b.store.journal_entries()[0].seq,
            }

            server.stop()
            db_file = Path(central.database_url.removeprefix("sqlite:///"))
            for suffix in ("-wal", "-shm"):
                Path(str(db_file) + suffix).unlink(missing_ok=True)
            shutil.copyfile(backup, db_file)
            server.start()
            restored = {
                name: _mutations(central.database_url, str(d.store.setting(sync_service.DEVICE)))[0]
                for name, d in (("a", a), ("b", b))
            }

            # B (which holds the newer state) first, then A; a second round to converge.
            first = {
                "b": _sync_or_error(b.store, b.profile),
                "a": _sync_or_error(a.store, a.profile),
            }
            second = {
                "b": _sync_or_error(b.store, b.profile),
                "a": _sync_or_error(a.store, a.profile),
            }
            third = {
                "a": _sync_or_error(a.store, a.profile),
                "b": _sync_or_error(b.store, b.profile),
            }
            story = (
                f"server last_seq after restore {restored}, device next seq {next_seq}; "
                f"first round {_describe(first)}; second {_describe(second)}; "
                f"third {_describe(third)}"
            )
            names = ("a",) if checked == "pushed_after_backup" else ("b",)
            for name in names:
                assert isinstance(first[name], SyncReport), story
                assert first[name].reset, story  # type: ignore[union-attr]
                assert isinstance(second[name], SyncReport), story
                assert isinstance(third[name], SyncReport), story

            for name, device, pending in (("a", a, pending_a), ("b", b, pending_b)):
                if name not in names:
                    continue
                assert device.store.pending_count() == 0, story
                device_id = str(device.store.setting(sync_service.DEVICE))
                _last, mutations = _mutations(central.database_url, device_id)
                on_server = {m for _s, m, _a in mutations}
                missing = [m for m in waiting[name] if m not in on_server]
                assert not missing, f"{name}: entries never reached the server: {missing}"
                server_rows = _server_rows(central.database_url, USER)
                for note_id in pending.notes:
                    assert note_id in server_rows["note"], (name, note_id)
                device_rows = _device_rows(device.store)
                for entity in COMPARED:
                    mine, theirs = device_rows[entity], server_rows[entity]
                    assert mine == theirs, (
                        f"{name}: {entity} differs from the server after the restore: "
                        f"only on the device {sorted(set(mine) - set(theirs))}, "
                        f"only on the server {sorted(set(theirs) - set(mine))}"
                    )
        finally:
            a.store.close()
            b.store.close()


def _describe(results: dict[str, SyncReport | SyncError]) -> str:
    parts = []
    for name, result in results.items():
        if isinstance(result, SyncError):
            parts.append(f"{name}: SyncError({result.code}, retryable={result.retryable})")
        else:
            parts.append(
                f"{name}: sent={result.sent} reset={result.reset} received={result.received}"
            )
    return ", ".join(parts)
