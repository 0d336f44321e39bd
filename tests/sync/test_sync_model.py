"""SYNC.md scenario 18: a randomised model test of sync from a fixed seed.

Three devices (two of caseworker k.dijkstra, one of m.bakker) talk to an in-process central
server (FastAPI over SQLite, reached through `fastapi.testclient.TestClient`, no network). Devices
edit client fields and create and delete notes offline, central office reassigns clients, devices
sync, and devices crash part-way through a sync (before a request is sent, or after the server
handled it but before its answer is read). At the end every device syncs twice in turn, and:

* every device holds exactly what the server holds for its user (clients and all their records);
* every journal is empty;
* nothing a device wrote was silently lost: each value either became current on the server or is
  kept as a conflict (on the device or on the server) or as an orphaned mutation.

The model does not predict winners; it only tracks what each device wrote.
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.client import Client
from app.domain.notes import Note
from app.domain.records import BY_ENTITY
from app.domain.values import PhoneNumber
from app.services import sync as sync_service
from app.storage.profiles import Profile, find_profile
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES, NOT_FIELDS
from app.storage.tables import conflicts as local_conflicts
from app.storage.tables import journal as local_journal
from app.storage.vault import KdfParams, MemoryAttemptCounter
from app.sync.client import ClientTooOld, DeviceRevoked, M, ResetRequired, SyncError, Transport
from server.config import Settings
from server.crud import assignments, devices
from server.db import make_engine, make_sessionmaker, session_scope
from server.main import create_app
from server.migrations.runner import upgrade
from server.models import (
    RECORD_BOOKKEEPING,
    RECORD_TABLES,
    Assignment,
    Conflict,
    DeviceMutation,
    OrphanedMutation,
    User,
)
from server.seed import seed_demo
from tests import store_access

FAST = KdfParams(1024, 1, 1)
PASSPHRASE = "een lange wachtzin voor de modeltest"
SERVER_URL = "http://127.0.0.1:8765"
USERS = ("k.dijkstra", "k.dijkstra", "m.bakker")
EDITABLE = ("participation_step", "phone", "street")


class InjectedCrash(SyncError):
    """The network (or the laptop) went away in the middle of a sync."""

    def __init__(self) -> None:
        super().__init__("server_unreachable", "Weg.", "Gone.")


class TestClientTransport(Transport):
    """`Transport.request` over a `TestClient`: the same protocol types and errors, no network.

    `crash_after` requests later the next request fails; with `lose_answer` the server still
    handles it and only its answer is lost (a crash after the server committed)."""

    __test__ = False  # not a test class, whatever its name says

    def __init__(self, api: TestClient, token: str) -> None:
        super().__init__(SERVER_URL, token=token, attempts=1)
        self._api = api
        self._headers = {"Authorization": f"Bearer {token}"}
        self.crash_after: int | None = None
        self.lose_answer = False
        self.requests = 0

    def request(
        self,
        method: str,
        path: str,
        answer: type[M],
        *,
        body: BaseModel | None = None,
        params: Mapping[str, Any] | None = None,
        attempts: int | None = None,
        timeout: tuple[float, float] | None = None,
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> M:
        if self.crash_after is not None and self.requests >= self.crash_after:
            self.crash_after = None
            if not self.lose_answer:
                raise InjectedCrash()
            self._send(method, path, body, params, headers)
            raise InjectedCrash()
        self.requests += 1
        status, payload = self._send(method, path, body, params, headers)
        code = str(payload.get("code", "")) if isinstance(payload, dict) else ""
        if status == 401 and code == "device_revoked":
            raise DeviceRevoked()
        if status == 409 and code == "reset_required":
            raise ResetRequired()
        if status == 426:
            raise ClientTooOld(str(payload.get("message", "")) if isinstance(payload, dict) else "")
        if status >= 400:
            raise SyncError(code or f"http_{status}", f"http {status}", f"{status}: {payload}")
        try:
            return answer.model_validate(payload)
        except ValidationError:
            raise SyncError("invalid_answer", "ongeldig", f"invalid answer: {payload}") from None

    def _send(
        self,
        method: str,
        path: str,
        body: BaseModel | None,
        params: Mapping[str, Any] | None,
        extra: Mapping[str, str] | None = None,
    ) -> tuple[int, Any]:
        headers = {**self._headers, **(extra or {})}
        content = None
        if body is not None:
            content = body.model_dump_json().encode("utf-8")
            headers["Content-Type"] = "application/json"
        response = self._api.request(
            method, path, content=content, params=dict(params or {}), headers=headers
        )
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None


@dataclass(frozen=True)
class Enrolled:
    username: str
    device_id: str
    token: str


def _profile_name(index: int) -> str:
    return f"device-{index}"


@cache
def _template() -> tuple[Path, list[Enrolled]]:
    """A migrated, seeded central database with three enrolled devices that synced once, made
    once and copied for every example (enrolling hashes passwords: too slow to repeat)."""
    root = Path(tempfile.mkdtemp(prefix="veldwerk-model-"))
    atexit.register(shutil.rmtree, root, True)
    database = root / "central.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        seeded = seed_demo(session, clients=6, seed=18)
    engine.dispose()
    passwords = {u: p for u, _role, p in seeded.accounts}
    app = create_app(Settings(database_url=f"sqlite:///{database}", log_level="WARNING"))
    enrolled: list[Enrolled] = []
    with TestClient(app) as api:
        for index, username in enumerate(USERS):
            with session_scope(app.state.sessionmaker) as session:
                code = devices.issue_enrollment_code(session, username=username, by="test")
            response = api.post(
                "/v1/enroll",
                json={
                    "username": username,
                    "password": passwords[username],
                    "enrollment_code": code,
                    "device_name": f"device {index}",
                },
            )
            assert response.status_code == 201, response.text
            body = response.json()
            profile, store = Profile.create(
                _profile_name(index),
                passphrase=PASSPHRASE,
                username=username,
                role="caseworker",
                server_url=SERVER_URL,
                params=FAST,
                home=root / "home",
            )
            with store.transaction() as tx:
                tx.set_setting(sync_service.TOKEN, body["token"])
                tx.set_setting(sync_service.DEVICE, body["device_id"])
                tx.set_setting(sync_service.SERVER, SERVER_URL)
            sync_service.sync_profile(
                profile, store, transport=TestClientTransport(api, body["token"])
            )
            store.close()
            enrolled.append(Enrolled(username, body["device_id"], body["token"]))
    app.state.engine.dispose()
    return root, enrolled


@dataclass
class Device:
    index: int
    username: str
    device_id: str
    profile: Profile
    store: Store
    transport: TestClientTransport


@dataclass
class Write:
    """One thing a device did that must not be silently lost."""

    device: int
    kind: str  # "field" | "create" | "delete"
    entity: str
    record_id: str
    client_id: str
    mutation_id: str
    field: str = ""
    value: Any = None
    outcome: str = ""  # empty while the server has not handled it
    notes: list[str] = dc_field(default_factory=list)


P = ParamSpec("P")


def guarded(
    fn: Callable[Concatenate[SyncModel, P], None],
) -> Callable[Concatenate[SyncModel, P], None]:
    """Marks the machine broken while a step runs, so that after a failed step the teardown
    only cleans up instead of hiding the failure behind a convergence error."""

    def step(self: SyncModel, /, *args: P.args, **kwargs: P.kwargs) -> None:
        self.broken = True
        fn(self, *args, **kwargs)
        self.broken = False

    step.__name__ = fn.__name__
    return step


def _normalise(entity: str, record_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return dict(BY_ENTITY[entity].from_fields(record_id, dict(fields)).to_fields())


class SyncModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        template, enrolled = _template()
        self.home = Path(tempfile.mkdtemp(prefix="veldwerk-model-run-")) / "run"
        shutil.copytree(template, self.home)
        self.app: FastAPI = create_app(
            Settings(database_url=f"sqlite:///{self.home / 'central.db'}", log_level="WARNING")
        )
        self.api = TestClient(self.app)
        self.api.__enter__()  # one event-loop thread for all requests (much faster)
        self.devices: list[Device] = []
        self.writes: list[Write] = []
        self.counter = 0
        self.broken = False
        for index, known in enumerate(enrolled):
            profile = find_profile(_profile_name(index), home=self.home / "home")
            store = profile.unlock(PASSPHRASE, vault=profile.vault(counter=MemoryAttemptCounter()))
            transport = TestClientTransport(self.api, known.token)
            self.devices.append(
                Device(index, known.username, known.device_id, profile, store, transport)
            )

    # -- helpers ---------------------------------------------------------------------------

    @contextmanager
    def server(self) -> Iterator[Session]:
        with session_scope(self.app.state.sessionmaker) as session:
            yield session

    def _sync(self, device: Device) -> None:
        device.transport.requests = 0
        try:
            sync_service.sync_profile(device.profile, device.store, transport=device.transport)
        finally:
            self._observe(device)

    def _held(self, device: Device) -> list[str]:
        table = ENTITY_TABLES["client"]
        with store_access.connect(device.store) as conn:
            rows = conn.execute(
                select(table.c.id).where(table.c.deleted.is_(False)).order_by(table.c.id)
            )
            return [str(r.id) for r in rows]

    def _last_mutation(self, device: Device) -> str:
        entries = device.store.journal_entries()
        assert entries, "a local write left no journal entry"
        return entries[-1].mutation_id

    def _kept(self, write: Write) -> list[str]:
        """Where a value the server did not make current is kept."""
        device = self.devices[write.device]
        found: list[str] = []
        with self.server() as session:
            for c in session.scalars(
                select(Conflict).where(Conflict.mutation_id == write.mutation_id)
            ):
                if write.kind != "field" or (
                    c.field == write.field and c.device_value == write.value
                ):
                    found.append(f"server conflict {c.field}")
            for o in session.scalars(
                select(OrphanedMutation).where(OrphanedMutation.device_id == device.device_id)
            ):
                entry = o.entry
                if entry.get("mutation_id") == write.mutation_id:
                    found.append("orphaned mutation")
        with store_access.connect(device.store) as conn:
            for row in conn.execute(
                select(local_conflicts).where(local_conflicts.c.mutation_id == write.mutation_id)
            ):
                if write.kind != "field" or (row.field == write.field and row.mine == write.value):
                    found.append(f"device conflict {row.field} ({row.kind})")
        return found

    def _server_record(self, session: Session, entity: str, record_id: str) -> Any:
        table = RECORD_TABLES[entity]
        return session.execute(select(table).where(table.c.id == record_id)).first()

    def _observe(self, device: Device) -> None:
        """After each (possibly crashed) sync of a device: judge every write of that device the
        server has handled. Nothing else changes the server between two such observations."""
        with self.server() as session:
            handled = {
                m.mutation_id: m.answer
                for m in session.scalars(
                    select(DeviceMutation).where(DeviceMutation.device_id == device.device_id)
                )
            }
        for write in self.writes:
            if write.device != device.index or write.outcome or write.mutation_id not in handled:
                continue
            answer = handled[write.mutation_id]
            write.notes.append(f"answer {answer.get('status')} {answer.get('code')}")
            with self.server() as session:
                row = self._server_record(session, write.entity, write.record_id)
                current = None if row is None else row._mapping
            if write.kind == "field" and current is not None and not current["deleted"]:
                value = _normalise(write.entity, write.record_id, current).get(write.field)
                if value == write.value:
                    write.outcome = "current"
                    continue
            if write.kind == "create" and current is not None:
                write.outcome = "current"
                continue
            if write.kind == "delete" and current is not None and current["deleted"]:
                write.outcome = "current"
                continue
            kept = self._kept(write)
            assert kept, f"silently lost: {write} (server row: {current and dict(current)})"
            write.outcome = "kept"

    def _track(self, write: Write) -> None:
        if write.kind == "field":
            # A device overwriting its own unsent value replaces it; that is no loss.
            self.writes = [
                w
                for w in self.writes
                if w.outcome
                or not (
                    w.device == write.device
                    and w.kind == "field"
                    and w.record_id == write.record_id
                    and w.field == write.field
                )
            ]
        self.writes.append(write)

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    # -- rules -----------------------------------------------------------------------------

    @rule(data=st.data(), which=st.integers(0, 2), name=st.sampled_from(EDITABLE))
    @guarded
    def edit_field(self, data: st.DataObject, which: int, name: str) -> None:
        device = self.devices[which]
        held = self._held(device)
        if not held:
            return
        client_id = data.draw(st.sampled_from(held), label="client")
        client = device.store.get(Client, client_id)
        assert client is not None
        if name == "participation_step":
            step = data.draw(st.integers(1, 6), label="step")
            changed = dataclasses.replace(client, participation_step=step)
            value: Any = step
        elif name == "phone":
            value = f"0595{self._next():06d}"
            changed = dataclasses.replace(client, phone=PhoneNumber(value))
        else:
            value = f"Modelstraat {self._next()}"
            changed = dataclasses.replace(
                client, address=dataclasses.replace(client.address, street=value)
            )
        if changed.to_fields()[name] == client.to_fields()[name]:
            return
        device.store.update(changed)
        self._track(
            Write(
                device=which,
                kind="field",
                entity="client",
                record_id=client_id,
                client_id=client_id,
                mutation_id=self._last_mutation(device),
                field=name,
                value=value,
            )
        )

    @rule(data=st.data(), which=st.integers(0, 2))
    @guarded
    def create_note(self, data: st.DataObject, which: int) -> None:
        device = self.devices[which]
        held = self._held(device)
        if not held:
            return
        client_id = data.draw(st.sampled_from(held), label="client")
        number = self._next()
        note = Note(
            # An id from the run's own counter: the notes are drawn from in id order, which
            # must be the same when hypothesis replays the run.
            id=str(uuid.UUID(int=number, version=4)),
            client_id=client_id,
            text=f"Notitie {number}",
            author=device.username,
            written_at=datetime.now(UTC),
        )
        device.store.create(note)
        self._track(Write(which, "create", "note", note.id, client_id, self._last_mutation(device)))

    @rule(data=st.data(), which=st.integers(0, 2))
    @guarded
    def delete_note(self, data: st.DataObject, which: int) -> None:
        device = self.devices[which]
        notes = [n for cid in self._held(device) for n in device.store.for_client(Note, cid)]
        if not notes:
            return
        note = data.draw(st.sampled_from(sorted(notes, key=lambda n: n.id)), label="note")
        device.store.delete(Note, note.id)
        self._track(
            Write(which, "delete", "note", note.id, note.client_id, self._last_mutation(device))
        )

    @rule(data=st.data())
    @guarded
    def reassign(self, data: st.DataObject) -> None:
        with self.server() as session:
            ids = sorted(str(i) for i in session.scalars(select(RECORD_TABLES["client"].c.id)))
        client_id = data.draw(st.sampled_from(ids), label="reassigned client")
        with self.server() as session:
            holder = assignments.current_caseworker(session, client_id)
            to = "m.bakker" if holder == "k.dijkstra" else "k.dijkstra"
            assignments.assign(session, client_id=client_id, caseworker=to, by="office")

    @rule(which=st.integers(0, 2))
    @guarded
    def sync(self, which: int) -> None:
        self._sync(self.devices[which])

    @rule(which=st.integers(0, 2), after=st.integers(0, 3), lose_answer=st.booleans())
    @guarded
    def crash_mid_sync(self, which: int, after: int, lose_answer: bool) -> None:
        device = self.devices[which]
        device.transport.crash_after = after
        device.transport.lose_answer = lose_answer
        with suppress(InjectedCrash):
            self._sync(device)
        device.transport.crash_after = None

    # -- the end ---------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            if self.broken:
                return
            for _round in range(2):
                for device in self.devices:
                    self._sync(device)
            self._check()
        finally:
            for device in self.devices:
                device.store.close()
            self.api.__exit__(None, None, None)
            self.app.state.engine.dispose()
            shutil.rmtree(self.home.parent, ignore_errors=True)

    def _device_records(self, device: Device) -> dict[tuple[str, str], dict[str, Any]]:
        found: dict[tuple[str, str], dict[str, Any]] = {}
        with store_access.connect(device.store) as conn:
            for entity, table in ENTITY_TABLES.items():
                for row in conn.execute(select(table).where(table.c.deleted.is_(False))):
                    fields = {k: v for k, v in row._mapping.items() if k not in NOT_FIELDS}
                    found[(entity, str(row.id))] = _normalise(entity, str(row.id), fields)
        return found

    def _server_records(self, username: str) -> dict[tuple[str, str], dict[str, Any]]:
        found: dict[tuple[str, str], dict[str, Any]] = {}
        with self.server() as session:
            scope = {
                str(cid)
                for cid in session.scalars(
                    select(Assignment.client_id)
                    .join(User, User.id == Assignment.caseworker_id)
                    .where(Assignment.ended_at.is_(None), User.username == username)
                )
            }
            for entity, table in RECORD_TABLES.items():
                key = table.c.id if entity == "client" else table.c.client_id
                rows = session.execute(
                    select(table).where(key.in_(sorted(scope)), table.c.deleted.is_(False))
                )
                for row in rows:
                    fields = {k: v for k, v in row._mapping.items() if k not in RECORD_BOOKKEEPING}
                    found[(entity, str(row.id))] = _normalise(entity, str(row.id), fields)
        return found

    def _check(self) -> None:
        for device in self.devices:
            with store_access.connect(device.store) as conn:
                pending = conn.execute(select(local_journal.c.seq)).all()
            assert not pending, f"device {device.index}: {len(pending)} entries never sent"
            mine = self._device_records(device)
            theirs = self._server_records(device.username)
            assert set(mine) == set(theirs), (
                f"device {device.index} ({device.username}) holds "
                f"{sorted(set(mine) - set(theirs))} too many and "
                f"{sorted(set(theirs) - set(mine))} too few"
            )
            for key, fields in theirs.items():
                assert mine[key] == fields, f"device {device.index} differs on {key}"
        for write in self.writes:
            assert write.outcome, f"never handled by the server: {write}"
            if write.outcome == "kept":
                assert self._kept(write), f"kept at first, lost later: {write}"


SyncModel.TestCase.settings = settings(
    derandomize=True,
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
test_sync_model = SyncModel.TestCase
