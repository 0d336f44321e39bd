"""Push: apply a device's journal entries in order, each atomically, each answered once.

Per entry, in a savepoint: replay check (a seen mutation number returns its stored answer and
changes nothing), scope check (an edit for a client this user no longer holds is kept as an
orphan, never dropped), then create / update / delete / command. Updates merge field by field
against the device's base values (`app.domain.merge.merge_changes`): the server value stays
current where both sides changed a field, and the device value is kept as a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.errors import DomainError, VeldwerkError
from app.domain.intake import Intake, IntakeSection
from app.domain.merge import merge_changes, same_value
from app.domain.plan import ClientPlan
from app.domain.records import BY_ENTITY
from app.domain.schema import COMMAND_FIELDS, field_names
from app.sync.protocol import Answer, Entry, FieldConflictOut, Op, PushAnswer, Status
from server.crud import audit
from server.crud.assignments import assign_many
from server.crud.records import changed_values, fields_of, insert_records
from server.models import (
    RECORD_TABLES,
    Assignment,
    Conflict,
    DeviceMutation,
    OrphanedMutation,
)
from server.policy import Action, Actor, allowed, scope_client_ids
from server.sync.blobs import has_blobs
from server.sync.feed import mark_touched
from server.sync.pull import device_sync


def _answer(entry: Entry, status: Status, **kwargs: Any) -> Answer:
    return Answer(seq=entry.seq, mutation_id=entry.mutation_id, status=status, **kwargs)


def _rejected(entry: Entry, code: str, reason: str) -> Answer:
    return _answer(entry, Status.REJECTED, code=code, reason=reason)


class _Batch:
    """One push request: what the entries need from the database, read up front in a few
    queries, and the bookkeeping rows written in one statement each at the end. Per entry only
    its own write (inside its savepoint) goes to the database."""

    def __init__(
        self, session: Session, actor: Actor, entries: list[Entry], *, deferred: bool
    ) -> None:
        self.session = session
        self.actor = actor
        # Fast path: updates are kept here (the cache shows their result to later entries) and
        # written at the end in one statement per table and column set.
        self.deferred = deferred
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}
        self.rows: dict[tuple[str, str], Mapping[str, Any] | None] = {}
        self.audits: list[dict[str, Any]] = []
        self.pending_audits: list[dict[str, Any]] = []
        by_entity: dict[str, set[str]] = {}
        for entry in entries:
            if entry.entity in RECORD_TABLES:
                by_entity.setdefault(entry.entity, set()).add(entry.record_id)
        client_ids = {e.client_id for e in entries}
        for entity, ids in by_entity.items():
            table = RECORD_TABLES[entity]
            for chunk in _chunks(ids):
                for row in session.execute(select(table).where(table.c.id.in_(chunk))):
                    mapping = dict(row._mapping)
                    self.rows[(entity, str(mapping["id"]))] = mapping
                    client_ids.add(
                        str(mapping["id"] if entity == "client" else mapping["client_id"])
                    )
            for record_id in ids:
                self.rows.setdefault((entity, record_id), None)
        self.blobs = has_blobs(
            session,
            {
                str(e.new_values["sha256"])
                for e in entries
                if e.entity == "attachment" and isinstance(e.new_values.get("sha256"), str)
            },
        )
        self.scope: set[str] = set()
        for chunk in _chunks(client_ids):
            self.scope |= {
                str(cid)
                for cid in session.scalars(
                    scope_client_ids(actor).where(Assignment.client_id.in_(chunk))
                )
            }

    def current(self, entity: str, record_id: str) -> Mapping[str, Any] | None:
        key = (entity, record_id)
        if key not in self.rows:
            table = RECORD_TABLES[entity]
            row = self.session.execute(select(table).where(table.c.id == record_id)).first()
            self.rows[key] = dict(row._mapping) if row is not None else None
        return self.rows[key]

    def update(self, record: Any, current: Mapping[str, Any]) -> int:
        """Write a record's changes (see records.changed_values); returns its version."""
        values = changed_values(record, current, by=self.actor.username)
        if values is None:
            return int(current["version"])
        return self.write(str(record.ENTITY), str(record.id), current, values)

    def write(
        self, entity: str, record_id: str, current: Mapping[str, Any], values: dict[str, Any]
    ) -> int:
        key = (entity, record_id)
        if self.deferred:
            self.pending.setdefault(key, {}).update(values)
            self.rows[key] = {**current, **values}
            mark_touched(self.session, key[0])
        else:
            table = RECORD_TABLES[key[0]]
            self.session.execute(update(table).where(table.c.id == key[1]).values(**values))
            mark_touched(self.session, key[0])
            self.wrote(*key)
        return int(values["version"])

    def write_pending(self) -> None:
        """The kept updates, one executemany per table and set of columns."""
        groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        for (entity, record_id), values in self.pending.items():
            columns = tuple(sorted(values))
            groups.setdefault((entity, columns), []).append({"_id": record_id, **values})
        self.pending = {}
        for (entity, columns), rows in groups.items():
            table = RECORD_TABLES[entity]
            statement = (
                update(table)
                .where(table.c.id == bindparam("_id"))
                .values({column: bindparam(column) for column in columns})
            )
            self.session.execute(statement, rows)

    def wrote(self, entity: str, record_id: str) -> None:
        """The stored row changed: read it again when a later entry needs it."""
        self.rows.pop((entity, record_id), None)

    def audit(self, action: str, entry: Entry, **details: Any) -> None:
        self.pending_audits.append(
            audit.row(
                actor=self.actor.username,
                action=action,
                entity=entry.entity,
                record_id=entry.record_id,
                device_id=self.actor.device_id,
                **details,
            )
        )

    def entry_done(self, applied: bool) -> None:
        if applied:
            self.audits.extend(self.pending_audits)
        else:
            # What the failed entry read or assumed may be gone with its savepoint.
            self.rows.clear()
        self.pending_audits = []


def _chunks(ids: set[str]) -> list[list[str]]:
    ordered = sorted(ids)
    return [ordered[i : i + 900] for i in range(0, len(ordered), 900)]


def push(
    session: Session, actor: Actor, entries: list[Entry], *, isolated: bool = True
) -> PushAnswer:
    """Apply the entries in order. `isolated`: each in its own savepoint, so a failing entry is
    answered `rejected` and the others stand. Not isolated (the fast path, two statements fewer
    per entry): any failure escapes, and the caller rolls the whole request back and runs it
    again isolated (`push_all`). Either way an entry and its bookkeeping commit together."""
    assert actor.device_id is not None
    device_id = actor.device_id
    state = device_sync(session, device_id)
    last_seq = state.last_seq
    stored: dict[int, tuple[str, dict[str, Any]]] = {
        int(m.seq): (m.mutation_id, m.answer)
        for m in session.scalars(
            select(DeviceMutation).where(
                DeviceMutation.device_id == device_id,
                DeviceMutation.seq.in_({e.seq for e in entries}),
            )
        )
    }
    batch = _Batch(session, actor, entries, deferred=not isolated)
    mutations: list[dict[str, Any]] = []
    answers = []
    for entry in entries:
        seen = stored.get(entry.seq)
        if seen is not None:
            if seen[0] != entry.mutation_id:
                # A number used twice for different entries: refuse rather than let the stored
                # answer swallow the new entry (the device keeps it as a rejected change).
                answers.append(
                    _rejected(entry, "sequence_reused", "This entry number was used before.")
                )
                continue
            answers.append(Answer.model_validate(seen[1]))
            continue
        if entry.seq <= last_seq:
            # Seen before but its answer is gone: say so rather than apply it twice.
            answers.append(_rejected(entry, "already_applied", "This entry was applied before."))
            continue
        if entry.seq != last_seq + 1:
            answers.append(
                _rejected(
                    entry,
                    "sequence_gap",
                    f"Expected entry {last_seq + 1}; send again from there.",
                )
            )
            break
        if _names_missing_blob(batch, entry):
            # Not applied and not remembered: the device uploads the bytes and sends it again.
            answers.append(_rejected(entry, "blob_missing", "Upload the attachment's bytes first."))
            break
        if not isolated:
            answer = _apply(batch, entry)
            batch.entry_done(applied=True)
        else:
            savepoint = session.begin_nested()
            try:
                answer = _apply(batch, entry)
                savepoint.commit()
                batch.entry_done(applied=True)
            except (SQLAlchemyError, VeldwerkError, ValueError, KeyError, TypeError) as error:
                savepoint.rollback()
                batch.entry_done(applied=False)
                answer = _rejected(
                    entry,
                    "invalid_entry",
                    f"The entry could not be applied ({type(error).__name__}).",
                )
        if answer.status is Status.REJECTED:
            answer = _with_server_state(batch, entry, answer)
        dumped = answer.model_dump(mode="json")
        mutations.append(
            {
                "device_id": device_id,
                "seq": entry.seq,
                "mutation_id": entry.mutation_id,
                "answer": dumped,
                "at": datetime.now(UTC),
            }
        )
        stored[entry.seq] = (entry.mutation_id, dumped)
        last_seq = entry.seq
        if answer.status is Status.REJECTED and entry.new_values:
            # Kept on the server too: the device may lose the client (scope exit) before a
            # person looks at its copy of the refused values.
            _keep_conflicts(
                session,
                actor,
                entry,
                entry.client_id,
                [
                    FieldConflictOut(
                        field=str(k), base=entry.base_values.get(k), device=v, server=None
                    )
                    for k, v in entry.new_values.items()
                ],
            )
        answers.append(answer)
    batch.write_pending()
    if mutations:
        session.execute(insert(DeviceMutation), mutations)
    audit.insert_rows(session, batch.audits)
    state.last_seq = last_seq
    session.flush()
    return PushAnswer(answers=answers, last_applied_seq=last_seq)


def push_all(session: Session, actor: Actor, entries: list[Entry]) -> PushAnswer:
    """One push request, committed. Tried first without a savepoint per entry; if anything
    fails, everything is rolled back and the entries are applied again one savepoint each, so a
    bad entry is answered `rejected` without costing the others."""
    try:
        answer = push(session, actor, entries, isolated=False)
        session.commit()
        return answer
    except (SQLAlchemyError, VeldwerkError, ValueError, KeyError, TypeError):
        session.rollback()
    answer = push(session, actor, entries, isolated=True)
    session.commit()
    return answer


def _names_missing_blob(batch: _Batch, entry: Entry) -> bool:
    if entry.entity != "attachment" or entry.op not in (Op.CREATE, Op.UPDATE):
        return False
    digest = entry.new_values.get("sha256")
    return isinstance(digest, str) and digest not in batch.blobs


def _with_server_state(batch: _Batch, entry: Entry, answer: Answer) -> Answer:
    """A refused entry carries the record as the server holds it, so the device can put its
    copy back: otherwise the refused values would stay on the device until something else
    changed that record on the server."""
    if entry.entity not in RECORD_TABLES:
        return answer
    current = batch.current(entry.entity, entry.record_id)
    if current is None:
        return answer
    values = {k: v for k, v in fields_of(current).items() if k != "position"}
    return answer.model_copy(update={"version": int(current["version"]), "server_values": values})


def _client_of(entity: str, current: Mapping[str, Any] | None, entry: Entry) -> str:
    if current is not None:
        return str(current["id"] if entity == "client" else current["client_id"])
    return entry.client_id


def _apply(batch: _Batch, entry: Entry) -> Answer:
    session, actor = batch.session, batch.actor
    if entry.entity not in RECORD_TABLES:
        return _rejected(entry, "unknown_entity", "This kind of record does not exist here.")
    current = batch.current(entry.entity, entry.record_id)
    client_id = _client_of(entry.entity, current, entry)
    is_review = entry.op is Op.COMMAND and entry.new_values.get("command") in ("approve", "return")
    action = Action.REVIEW_INTAKE if is_review else Action.WRITE_DOSSIER
    if not allowed(actor, action):
        return _rejected(entry, "forbidden", "Your role does not allow this change.")
    new_client = entry.entity == "client" and entry.op is Op.CREATE and current is None
    if not new_client and client_id not in batch.scope:
        session.add(
            OrphanedMutation(
                device_id=actor.device_id or "",
                client_id=client_id,
                entry=entry.model_dump(mode="json"),
                created_at=datetime.now(UTC),
            )
        )
        return _answer(entry, Status.ORPHANED, code="not_in_scope")
    if entry.op is Op.CREATE:
        return _create(batch, entry, current)
    if current is None:
        return _rejected(entry, "not_found", "The record does not exist on the server.")
    if entry.op is Op.DELETE:
        return _delete(batch, entry, current)
    if entry.op is Op.COMMAND:
        return _command(batch, entry, current)
    return _update(batch, entry, current)


def _record(entity: str, record_id: str, fields: Mapping[str, Any]) -> Any:
    # Validate the whole record through the domain before it is stored.
    return BY_ENTITY[entity].from_fields(record_id, dict(fields))


def _create(batch: _Batch, entry: Entry, current: Mapping[str, Any] | None) -> Answer:
    session, actor = batch.session, batch.actor
    if current is not None:
        # The same id again: ids are never reused, so treat it as an update of that record.
        return _update(batch, entry, current)
    fields = {k: v for k, v in entry.new_values.items() if k in field_names(entry.entity)}
    if entry.entity == "client":
        fields["caseworker"] = actor.username
    record = _record(entry.entity, entry.record_id, fields)
    if entry.entity != "client" and batch.current("client", record.client_id) is None:
        return _rejected(entry, "unknown_client", "The client of this record does not exist.")
    insert_records(session, [record], by=actor.username)
    batch.wrote(entry.entity, entry.record_id)
    if entry.entity == "client":
        assign_many(session, [(record.id, actor.username)], by=actor.username)
        batch.scope.add(record.id)
    batch.audit("create", entry)
    return _answer(entry, Status.APPLIED, version=1)


def _keep_conflicts(
    session: Session,
    actor: Actor,
    entry: Entry,
    client_id: str,
    items: list[FieldConflictOut],
) -> None:
    now = datetime.now(UTC)
    for item in items:
        session.add(
            Conflict(
                entity=entry.entity,
                record_id=entry.record_id,
                client_id=client_id,
                field=item.field,
                base=item.base,
                server_value=item.server,
                device_value=item.device,
                device_id=actor.device_id or "",
                mutation_id=entry.mutation_id,
                created_at=now,
            )
        )


def _update(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> Answer:
    session, actor = batch.session, batch.actor
    known = set(field_names(entry.entity))
    unknown = set(entry.new_values) - known
    if unknown:
        return _rejected(
            entry, "unknown_field", "The entry names fields this server does not know."
        )
    guarded = set(entry.new_values) & COMMAND_FIELDS.get(entry.entity, frozenset())
    if guarded:
        return _rejected(
            entry,
            "command_field",
            "Status and review fields change only through their commands.",
        )
    stored = fields_of(current)
    client_id = str(current["id"] if entry.entity == "client" else current["client_id"])
    frozen_when_decided = hasattr(BY_ENTITY[entry.entity], "editable")
    if (
        frozen_when_decided
        and not current["deleted"]
        and not getattr(_record(entry.entity, entry.record_id, stored), "editable", True)
    ):
        # The domain's own rule, checked here too: a submitted or approved intake is frozen.
        return _rejected(
            entry, "not_editable", "This record can no longer be changed in its current state."
        )
    if current["deleted"]:
        # Update against delete: the delete wins, every changed value becomes a conflict.
        items = [
            FieldConflictOut(field=k, base=entry.base_values.get(k), device=v, server=None)
            for k, v in entry.new_values.items()
        ]
        _keep_conflicts(session, actor, entry, client_id, items)
        return _answer(
            entry,
            Status.CONFLICT,
            version=int(current["version"]),
            conflicts=items,
            code="record_deleted",
        )
    if entry.entity == "client" and "caseworker" in entry.new_values:
        return _rejected(entry, "command_field", "Assignments are made by central office.")
    base = {k: entry.base_values.get(k) for k in entry.new_values}
    writes, found = merge_changes(base=base, changed=entry.new_values, current=stored)
    items = [
        FieldConflictOut(field=c.field, base=c.base, device=c.mine, server=c.theirs) for c in found
    ]
    version = int(current["version"])
    if writes:
        record = _record(entry.entity, entry.record_id, {**stored, **writes})
        version = batch.update(record, current)
        batch.audit("update", entry, fields=sorted(writes))
    if items:
        _keep_conflicts(session, actor, entry, client_id, items)
        return _answer(
            entry,
            Status.CONFLICT,
            version=version,
            conflicts=items,
            server_values={i.field: i.server for i in items},
        )
    moved = any(not same_value(base.get(k), stored.get(k)) for k in entry.new_values)
    return _answer(entry, Status.MERGED if moved else Status.APPLIED, version=version)


def _delete(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> Answer:
    if current["deleted"]:
        return _answer(entry, Status.APPLIED, version=int(current["version"]))
    version = batch.write(
        entry.entity,
        entry.record_id,
        current,
        {
            "deleted": True,
            "version": int(current["version"]) + 1,
            "updated_at": datetime.now(UTC),
            "updated_by": batch.actor.username,
            "position": None,
        },
    )
    batch.audit("delete", entry)
    return _answer(entry, Status.APPLIED, version=version)


def _command(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> Answer:
    """State changes with rules: checked by the domain, not taken as plain field edits."""
    command = entry.new_values.get("command")
    stored = fields_of(current)
    now = datetime.now(UTC)
    try:
        if entry.entity == "intake" and command in ("submit", "approve", "return"):
            intake = Intake.from_fields(entry.record_id, stored)
            if command == "submit":
                decided: Any = intake.submit(at=now)
            elif command == "approve":
                decided = intake.approve(reviewer=batch.actor.username, at=now)
            else:
                comments = {
                    IntakeSection(k): str(v)
                    for k, v in dict(entry.new_values.get("comments") or {}).items()
                }
                decided = intake.return_for_changes(
                    reviewer=batch.actor.username, at=now, comments=comments
                )
        elif entry.entity == "client_plan" and command in ("activate", "close"):
            plan = ClientPlan.from_fields(entry.record_id, stored)
            decided = plan.activate(at=now) if command == "activate" else plan.close(at=now)
        else:
            return _rejected(entry, "unknown_command", "This command does not exist here.")
    except DomainError as error:
        return _rejected(entry, error.code, error.message_en)
    version = batch.update(decided, current)
    batch.audit(str(command), entry)
    return _answer(entry, Status.APPLIED, version=version, server_values=decided.to_fields())
