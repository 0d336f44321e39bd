"""Push: apply a device's journal entries in order, each atomically, each answered once.

Per entry: replay check (a seen mutation number returns its stored answer and changes nothing),
then the trust boundary (server.policy), on the record's *stored* client (for a create, the one
that will be stored):

1. scope — a record of a client outside the actor's scope gets the same answer, word for word,
   as a record that does not exist (`not_found`, no version, no values) and nothing is stored;
   except that an edit for a client this device held before is kept as an orphan for the
   client's new caseworker and team lead (SYNC.md rule 9), never dropped — unless that client's
   file was destroyed (retention or erasure, server.retention): then nothing of the edit may be
   kept, and the device that held the client is told so (`client_destroyed`);
2. what only the server writes (an intake's rounds) is refused for every role (`server_written`);
   role — an act the role never allows is refused (`forbidden`);
3. shape — only the entity's own fields, within their lengths; parent and owner keys never move;
   status, review and signature fields change only through their commands, also on create.

Then create / update / delete / command. Updates merge field by field against the device's base
values (`app.domain.merge.merge_changes`): the server value stays current where both sides
changed a field, and the device value is kept as a conflict. A refusal of a record in scope
carries the record as the server holds it, so the device can put its copy back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.errors import DomainError, VeldwerkError
from app.domain.intake import Intake
from app.domain.merge import merge_changes, same_value
from app.domain.plan import ClientPlan, PlanAction, Signature, SignerRole, content_hash
from app.domain.records import BY_ENTITY
from app.domain.review import ReviewComment
from app.domain.schema import (
    COMMAND_FIELDS,
    CREATED_AS,
    FIXED_AFTER_CREATE,
    OWNER_FIELDS,
    PARENT_FIELD,
    SERVER_WRITTEN,
    field_names,
    too_long,
)
from app.domain.states import PlanStatus
from app.sync.protocol import Answer, Entry, FieldConflictOut, Op, PushAnswer, Status
from server.crud import audit, review
from server.crud.assignments import assign_many
from server.crud.records import changed_values, fields_of, insert_records
from server.models import (
    RECORD_TABLES,
    Conflict,
    DestroyedClient,
    DeviceHeldClient,
    DeviceMutation,
    OrphanedMutation,
    UniquenessCollision,
    clients,
)
from server.policy import Action, Actor, allowed, clients_in_scope, may_see, visible_entities
from server.sync.blobs import usable
from server.sync.feed import mark_touched
from server.sync.pull import device_sync, owe_client_again, remember_held

# The one answer for "outside your scope" and for "no such record": nothing tells them apart.
NOT_FOUND = "not_found"
NOT_FOUND_REASON = "No such record, or not yours to change."
REVIEW_COMMANDS = ("approve", "return")
# The keys a command entry may carry besides "command".
COMMAND_KEYS: dict[tuple[str, str], frozenset[str]] = {
    ("intake", "submit"): frozenset(),
    ("intake", "approve"): frozenset(),
    ("intake", "return"): frozenset({"comments"}),
    ("client_plan", "sign"): frozenset({"role", "signature"}),
    ("client_plan", "activate"): frozenset(),
    ("client_plan", "close"): frozenset(),
    ("review_comment", "resolve"): frozenset(),
    ("review_comment", "reopen"): frozenset(),
}

# What a push request does before and after its entries (server.api.routes.sync.push).
B = TypeVar("B")
A = TypeVar("A")


def _answer(entry: Entry, status: Status, **kwargs: Any) -> Answer:
    return Answer(seq=entry.seq, mutation_id=entry.mutation_id, status=status, **kwargs)


def _rejected(entry: Entry, code: str, reason: str) -> Answer:
    return _answer(entry, Status.REJECTED, code=code, reason=reason)


def _not_found(entry: Entry) -> Answer:
    return _rejected(entry, NOT_FOUND, NOT_FOUND_REASON)


@dataclass(frozen=True, slots=True)
class _Outcome:
    answer: Answer
    # The entry named a record the actor may see: a refusal may carry its stored state and the
    # refused values are kept as conflicts. Outside scope nothing is returned or stored.
    in_scope: bool


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
                    client_ids.add(_stored_client(entity, mapping))
            for record_id in ids:
                self.rows.setdefault((entity, record_id), None)
        self.blobs = usable(
            session,
            actor,
            {
                str(e.new_values["sha256"])
                for e in entries
                if e.entity == "attachment" and isinstance(e.new_values.get("sha256"), str)
            },
        )
        self.entities = frozenset(visible_entities(actor.role))
        self.scope = clients_in_scope(session, actor, client_ids)
        self.held: set[str] = set()
        self.destroyed: set[str] = set()
        for chunk in _chunks(client_ids - self.scope):
            self.destroyed |= {
                str(cid)
                for cid in session.scalars(
                    select(DestroyedClient.client_id).where(DestroyedClient.client_id.in_(chunk))
                )
            }
        if actor.device_id is not None:
            for chunk in _chunks(client_ids - self.scope):
                self.held |= {
                    str(cid)
                    for cid in session.scalars(
                        select(DeviceHeldClient.client_id).where(
                            DeviceHeldClient.device_id == actor.device_id,
                            DeviceHeldClient.client_id.in_(chunk),
                        )
                    )
                }

    def sees(self, entity: str, client_id: str) -> bool:
        return entity in self.entities and client_id in self.scope

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


def _stored_client(entity: str, row: Mapping[str, Any]) -> str:
    return str(row["id"] if entity == "client" else row[PARENT_FIELD])


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
            # Not applied and not remembered: the device uploads the bytes (proving it has
            # them) and sends the entry again.
            answers.append(_rejected(entry, "blob_missing", "Upload the attachment's bytes first."))
            break
        # Read before applying, from what the batch holds already (no query of its own).
        about = _client_of(batch, entry) if entry.entity in RECORD_TABLES else None
        if not isolated:
            outcome = _apply(batch, entry)
            batch.entry_done(applied=True)
        else:
            savepoint = session.begin_nested()
            try:
                outcome = _apply(batch, entry)
                savepoint.commit()
                batch.entry_done(applied=True)
            except (SQLAlchemyError, VeldwerkError, ValueError, KeyError, TypeError) as error:
                savepoint.rollback()
                batch.entry_done(applied=False)
                outcome = _Outcome(
                    _rejected(
                        entry,
                        "invalid_entry",
                        f"The entry could not be applied ({type(error).__name__}).",
                    ),
                    in_scope=_in_scope(batch, entry),
                )
        answer = outcome.answer
        if answer.status is Status.REJECTED and outcome.in_scope:
            answer = _with_server_state(batch, entry, answer)
            # Kept on the server too: the device may lose the client (scope exit) before a
            # person looks at its copy of the refused values.
            _keep_conflicts(
                session,
                actor,
                entry,
                _client_of(batch, entry),
                [
                    FieldConflictOut(
                        field=str(k), base=entry.base_values.get(k), device=v, server=None
                    )
                    for k, v in entry.new_values.items()
                    if k in field_names(entry.entity)
                ],
            )
        dumped = answer.model_dump(mode="json")
        mutations.append(
            {
                "device_id": device_id,
                "seq": entry.seq,
                "mutation_id": entry.mutation_id,
                "answer": dumped,
                "at": datetime.now(UTC),
                # Its values go when this client's file is destroyed (server.retention).
                "client_id": about,
            }
        )
        stored[entry.seq] = (entry.mutation_id, dumped)
        last_seq = entry.seq
        answers.append(answer)
    batch.write_pending()
    if mutations:
        # Core, not the ORM's bulk path: the rows are plain values, and its bookkeeping per
        # row cost more than the statement.
        session.execute(insert(cast(Table, DeviceMutation.__table__)), mutations)
    audit.insert_rows(session, batch.audits)
    state.last_seq = last_seq
    session.flush()
    return PushAnswer(answers=answers, last_applied_seq=last_seq)


def push_all(
    session: Session,
    actor: Actor,
    entries: list[Entry],
    *,
    before: Callable[[Session], B],
    after: Callable[[Session], A],
) -> tuple[B, PushAnswer, A]:
    """One push request, committed, in one transaction with what `before` and `after` write
    (the round's hello, its audit events), whose answers it returns beside its own. Tried first
    without a savepoint per entry; if anything fails, everything is rolled back and done again
    with the entries applied one savepoint each, so a bad entry is answered `rejected` without
    costing the others."""
    try:
        first = before(session)
        answer = push(session, actor, entries, isolated=False)
        last = after(session)
        session.commit()
        return first, answer, last
    except (SQLAlchemyError, VeldwerkError, ValueError, KeyError, TypeError):
        session.rollback()
    first = before(session)
    answer = push(session, actor, entries, isolated=True)
    last = after(session)
    session.commit()
    return first, answer, last


def _names_missing_blob(batch: _Batch, entry: Entry) -> bool:
    """An attachment this device may write names bytes it has not proven to hold. Asked after
    scope and role (an entry refused for those is refused, whatever bytes it names)."""
    if entry.entity != "attachment" or entry.op not in (Op.CREATE, Op.UPDATE):
        return False
    digest = entry.new_values.get("sha256")
    if not isinstance(digest, str) or digest in batch.blobs:
        return False
    return _in_scope(batch, entry) and allowed(batch.actor, Action.WRITE_DOSSIER)


def _with_server_state(batch: _Batch, entry: Entry, answer: Answer) -> Answer:
    """A refused entry carries the record as the server holds it, so the device can put its
    copy back: otherwise the refused values would stay on the device until something else
    changed that record on the server. Only ever for a record in the actor's scope."""
    current = batch.current(entry.entity, entry.record_id)
    if current is None:
        return answer
    values = {k: v for k, v in fields_of(current).items() if k != "position"}
    return answer.model_copy(update={"version": int(current["version"]), "server_values": values})


def _client_of(batch: _Batch, entry: Entry) -> str:
    """The record's stored client; for a record not stored yet, the one it would be stored
    under (a new client is its own)."""
    current = batch.current(entry.entity, entry.record_id)
    if current is not None:
        return _stored_client(entry.entity, current)
    return entry.record_id if entry.entity == "client" else entry.client_id


def _in_scope(batch: _Batch, entry: Entry) -> bool:
    if entry.entity not in RECORD_TABLES:
        return False
    return batch.sees(entry.entity, _client_of(batch, entry))


def _is_review(entry: Entry) -> bool:
    return entry.op is Op.COMMAND and entry.new_values.get("command") in REVIEW_COMMANDS


def _action(entry: Entry) -> Action:
    if entry.entity == "review_comment":
        return Action.COMMENT_REVIEW
    return Action.REVIEW_INTAKE if _is_review(entry) else Action.WRITE_DOSSIER


def _apply(batch: _Batch, entry: Entry) -> _Outcome:
    actor = batch.actor
    if entry.entity not in RECORD_TABLES:
        return _Outcome(
            _rejected(entry, "unknown_entity", "This kind of record does not exist here."),
            in_scope=False,
        )
    current = batch.current(entry.entity, entry.record_id)
    client_id = _client_of(batch, entry)
    if client_id in batch.destroyed:
        return _Outcome(_destroyed(batch, entry, client_id), in_scope=False)
    if entry.entity == "client" and entry.op is Op.CREATE and current is None:
        return _new_client(batch, entry)
    action = _action(entry)
    if not batch.sees(entry.entity, client_id):
        # A caseworker's late edit of a client this device held is kept for whoever holds the
        # client now; anything else outside scope (a write of what only the server writes
        # included) is refused, stored nowhere.
        if (
            client_id in batch.held
            and action is Action.WRITE_DOSSIER
            and entry.entity not in SERVER_WRITTEN
            and allowed(actor, action)
        ):
            return _Outcome(_orphan(batch, entry, client_id), in_scope=False)
        return _Outcome(_not_found(entry), in_scope=False)
    if entry.entity in SERVER_WRITTEN:
        # No device writes these, whatever its role.
        return _Outcome(
            _rejected(entry, "server_written", "Only the server writes this kind of record."),
            in_scope=True,
        )
    if not allowed(actor, action):
        return _Outcome(
            _rejected(entry, "forbidden", "Your role does not allow this change."), in_scope=True
        )
    return _Outcome(_in_scope_entry(batch, entry, current), in_scope=True)


def _destroyed(batch: _Batch, entry: Entry, client_id: str) -> Answer:
    """An entry for a destroyed client's file: stored nowhere (not even as an orphan: the file
    must be gone). A device that held the client learns why, and purges it at its next pull;
    to any other the id means nothing, as ever."""
    if client_id not in batch.held:
        return _not_found(entry)
    return _rejected(
        entry,
        "client_destroyed",
        "This client's file was destroyed (retention period or the client's request).",
    )


def _in_scope_entry(batch: _Batch, entry: Entry, current: Mapping[str, Any] | None) -> Answer:
    shape = _shape_problem(entry)
    if shape is not None:
        return shape
    if current is not None and _not_the_author(batch, entry, current):
        return _rejected(
            entry, "not_author", "Only the person who wrote a comment may change or remove it."
        )
    if entry.entity == "plan_action":
        refused = _plan_action_problem(batch, entry, current)
        if refused is not None:
            return refused
    if entry.entity == "client_plan" and entry.op is Op.CREATE and current is None:
        refused = _plan_version_problem(batch, entry)
        if refused is not None:
            return refused
    if entry.entity == "client_plan" and entry.op is Op.DELETE and current is not None:
        stored = ClientPlan.from_fields(entry.record_id, fields_of(current))
        if not current["deleted"] and not stored.editable:
            # What was signed stays, as the record of the agreement.
            return _rejected(
                entry, "plan_signed", "A signed, active or closed plan is kept; it is not deleted."
            )
    if entry.op is Op.CREATE:
        if current is None:
            return _create(batch, entry)
        # The same id again: ids are never reused, so treat it as an update of that record.
        return _update(batch, entry, current)
    if current is None:
        return _not_found(entry)
    if entry.op is Op.DELETE:
        return _delete(batch, entry, current)
    if entry.op is Op.COMMAND:
        return _command(batch, entry, current)
    return _update(batch, entry, current)


def _plan_of(batch: _Batch, plan_id: Any, client_id: str) -> Mapping[str, Any] | None:
    plan = batch.current("client_plan", str(plan_id or ""))
    if plan is None or plan["deleted"] or str(plan[PARENT_FIELD]) != client_id:
        return None
    return plan


def _plan_action_problem(
    batch: _Batch, entry: Entry, current: Mapping[str, Any] | None
) -> Answer | None:
    """An action belongs to a plan of its own client and changes with it: while the plan is an
    unsigned draft, anything; while it is active, only its progress (what was signed stays)."""
    client_id = str(current[PARENT_FIELD]) if current is not None else entry.client_id
    plan_id = current["plan_id"] if current is not None else entry.new_values.get("plan_id")
    plan = _plan_of(batch, plan_id, client_id)
    if plan is None:
        return _rejected(entry, "no_such_plan", "The action names no plan of this client.")
    stored = ClientPlan.from_fields(str(plan["id"]), fields_of(plan))
    if stored.editable:
        return None
    progress_only = entry.op is Op.UPDATE and set(entry.new_values) <= {"status"}
    if stored.status is PlanStatus.ACTIVE and progress_only and current is not None:
        return None
    return _rejected(
        entry,
        "plan_signed",
        "This plan version is signed or no longer a draft; change it by a new version.",
    )


def _plan_version_problem(batch: _Batch, entry: Entry) -> Answer | None:
    """A new version names the version it replaces, of the same client."""
    previous = entry.new_values.get("previous_id")
    if previous and _plan_of(batch, previous, entry.client_id) is None:
        return _rejected(
            entry, "no_such_plan", "The plan names a previous version this client does not have."
        )
    return None


def _plan_content_hash(batch: _Batch, plan: ClientPlan) -> str:
    """The hash of the plan's content as stored here, with its actions as stored here: what a
    signature is checked against (the device's word about what was signed is not taken)."""
    batch.write_pending()
    table = RECORD_TABLES["plan_action"]
    rows = batch.session.execute(
        select(table).where(table.c.plan_id == plan.id, table.c.deleted.is_(False))
    )
    actions = [PlanAction.from_fields(str(r.id), fields_of(r)) for r in rows]
    return content_hash(plan, actions)


def _not_the_author(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> bool:
    """A comment is someone's signed words: its text changes, and it goes, only by its author.
    Resolving or reopening a thread is anyone's in scope (a command, not an edit)."""
    return (
        entry.entity == "review_comment"
        and entry.op is not Op.COMMAND
        and str(current["author"]) != batch.actor.username
    )


def _orphan(batch: _Batch, entry: Entry, client_id: str) -> Answer:
    batch.session.add(
        OrphanedMutation(
            device_id=batch.actor.device_id or "",
            client_id=client_id,
            entry=entry.model_dump(mode="json"),
            created_at=datetime.now(UTC),
        )
    )
    # The device holds a row the server did not take: its next pull sends the client again, as
    # an exit, or whole if it is back in this device's scope by then.
    owe_client_again(batch.session, batch.actor.device_id or "", client_id)
    return _answer(entry, Status.ORPHANED, code="not_in_scope")


def _shape_problem(entry: Entry) -> Answer | None:
    """Only the entity's own fields (a command: its own keys), each within its length."""
    if entry.op is Op.COMMAND:
        command = entry.new_values.get("command")
        allowed_keys = COMMAND_KEYS.get((entry.entity, str(command)))
        if allowed_keys is None:
            return _rejected(entry, "unknown_command", "This command does not exist here.")
        if set(entry.new_values) - {"command"} - allowed_keys:
            return _rejected(
                entry, "unknown_field", "The entry names fields this server does not know."
            )
        return None
    known = set(field_names(entry.entity))
    if set(entry.new_values) - known or set(entry.base_values) - known:
        return _rejected(
            entry, "unknown_field", "The entry names fields this server does not know."
        )
    found = too_long(entry.entity, entry.new_values)
    if found is not None:
        name, limit = found
        return _rejected(
            entry, "too_long", f"The field '{name}' is longer than {limit} characters allows."
        )
    return None


def _record(entity: str, record_id: str, fields: Mapping[str, Any]) -> Any:
    # Validate the whole record through the domain before it is stored.
    return BY_ENTITY[entity].from_fields(record_id, dict(fields))


def _created_fields(batch: _Batch, entry: Entry) -> dict[str, Any]:
    """What a device's create stores: its fields, under the client it was checked against,
    owned by the signed-in user, starting as a draft."""
    fields = dict(entry.new_values)
    if entry.entity != "client":
        fields[PARENT_FIELD] = entry.client_id
    owner = OWNER_FIELDS.get(entry.entity)
    if owner is not None:
        fields[owner] = batch.actor.username
    fields.update(CREATED_AS.get(entry.entity, {}))
    if entry.entity == "review_comment":
        fields["author_role"] = batch.actor.role
    return fields


def _applied_create(batch: _Batch, entry: Entry, record: Any) -> Answer:
    """Applied at version 1; where the stored record differs from what the device sent (owner,
    draft status), the answer carries the stored values so the device's copy follows."""
    stored = record.to_fields()
    differs = {
        k: v
        for k, v in stored.items()
        if k in entry.new_values and not same_value(entry.new_values[k], v)
    }
    differs.update({k: v for k, v in stored.items() if k not in entry.new_values})
    batch.audit("create", entry)
    return _answer(entry, Status.APPLIED, version=1, server_values=differs)


def _create(batch: _Batch, entry: Entry) -> Answer:
    if PARENT_FIELD in entry.new_values and entry.new_values[PARENT_FIELD] != entry.client_id:
        return _rejected(entry, "client_mismatch", "The entry names two different clients.")
    fields = _created_fields(batch, entry)
    if entry.entity == "review_comment":
        refused = _comment_problem(batch, entry, fields)
        if refused is not None:
            return refused
    record = _record(entry.entity, entry.record_id, fields)
    insert_records(batch.session, [record], by=batch.actor.username)
    batch.wrote(entry.entity, entry.record_id)
    return _applied_create(batch, entry, record)


def _comment_problem(batch: _Batch, entry: Entry, fields: dict[str, Any]) -> Answer | None:
    """A comment hangs under an intake of its own client, in that intake's current round, and
    an answer under a thread of that intake: otherwise it would show beside nothing."""
    intake = batch.current("intake", str(fields.get("intake_id")))
    if intake is None or intake["deleted"] or str(intake[PARENT_FIELD]) != entry.client_id:
        return _rejected(entry, "no_such_intake", "The comment names no intake of this client.")
    fields["round"] = int(intake["round"])
    thread_id = str(fields.get("thread_id") or entry.record_id)
    if thread_id != entry.record_id:
        start = batch.current("review_comment", thread_id)
        if (
            start is None
            or start["intake_id"] != fields["intake_id"]
            or start["deleted"]
            # An answer hangs under a thread's first comment, not under another answer.
            or start["thread_id"] != start["id"]
        ):
            return _rejected(entry, "no_such_thread", "The answer names no thread of this intake.")
        # An answer sits in its thread's section, whatever the device said.
        fields["section"] = start["section"]
    return None


def _new_client(batch: _Batch, entry: Entry) -> _Outcome:
    """A client this device registers: it becomes the device user's own. A BSN that belongs to a
    client outside the user's scope is not explained (that would tell whose it is): the generic
    refusal, and the collision is kept for central office to act on."""
    session, actor = batch.session, batch.actor
    if not allowed(actor, Action.WRITE_DOSSIER):
        return _Outcome(_not_found(entry), in_scope=False)
    if entry.client_id not in (entry.record_id, ""):
        return _Outcome(
            _rejected(entry, "client_mismatch", "The entry names two different clients."),
            in_scope=False,
        )
    shape = _shape_problem(entry)
    if shape is not None:
        return _Outcome(shape, in_scope=False)
    bsn = entry.new_values.get("bsn")
    if isinstance(bsn, str) and bsn:
        existing = session.scalars(select(clients.c.id).where(clients.c.bsn == bsn)).first()
        if existing is not None:
            if may_see(session, actor, str(existing)):
                return _Outcome(
                    _rejected(
                        entry, "bsn_in_use", "A client with this BSN is already in your caseload."
                    ),
                    in_scope=False,
                )
            session.add(
                UniquenessCollision(
                    at=datetime.now(UTC),
                    device_id=actor.device_id or "",
                    username=actor.username,
                    entity="client",
                    record_id=entry.record_id,
                    field="bsn",
                    existing_client_id=str(existing),
                )
            )
            return _Outcome(_not_found(entry), in_scope=False)
    record = _record("client", entry.record_id, _created_fields(batch, entry))
    insert_records(session, [record], by=actor.username)
    batch.wrote("client", entry.record_id)
    assign_many(session, [(record.id, actor.username)], by=actor.username)
    batch.scope.add(record.id)
    if actor.device_id is not None:
        remember_held(session, actor.device_id, [record.id])
    return _Outcome(_applied_create(batch, entry, record), in_scope=True)


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


def _fixed_field(entry: Entry, stored: Mapping[str, Any]) -> Answer | None:
    """Status, review and signature fields move only by command; the parent and the owner of a
    record never move by a field edit."""
    guarded = set(entry.new_values) & COMMAND_FIELDS.get(entry.entity, frozenset())
    if guarded:
        return _rejected(
            entry,
            "command_field",
            "Status, review and signature fields change only through their commands.",
        )
    if entry.entity == "client" and "caseworker" in entry.new_values:
        return _rejected(entry, "command_field", "Assignments are made by central office.")
    fixed = (
        PARENT_FIELD,
        OWNER_FIELDS.get(entry.entity),
        *FIXED_AFTER_CREATE.get(entry.entity, ()),
    )
    for name in fixed:
        if (
            name
            and name in entry.new_values
            and not same_value(entry.new_values[name], stored[name])
        ):
            return _rejected(
                entry, "immutable_field", f"The field '{name}' cannot change after creation."
            )
    return None


def _update(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> Answer:
    session, actor = batch.session, batch.actor
    stored = fields_of(current)
    fixed = _fixed_field(entry, stored)
    if fixed is not None:
        return fixed
    client_id = _stored_client(entry.entity, current)
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


def _intake_command(
    batch: _Batch, entry: Entry, current: Mapping[str, Any], command: str, now: datetime
) -> Answer:
    """Submit keeps the round; approve and return decide it (and a return may open threads)."""
    intake = Intake.from_fields(entry.record_id, fields_of(current))
    # The checks below read the database (open threads, enrollments): earlier entries of this
    # push (a thread resolved just before approving) must be there first.
    batch.write_pending()
    if command == "submit":
        outcome = review.submitted(batch.session, intake, at=now)
    else:
        comments = {str(k): str(v) for k, v in dict(entry.new_values.get("comments") or {}).items()}
        outcome = review.decided(
            batch.session,
            reviewer=batch.actor.username,
            intake=intake,
            approve=command == "approve",
            comments=comments,
            at=now,
        )
    created = [r for r in (outcome.new_round, *outcome.threads) if r is not None]
    if created:
        insert_records(batch.session, created, by=batch.actor.username)
        for record in created:
            batch.wrote(record.ENTITY, record.id)
    if outcome.decided_round is not None:
        batch.update(*outcome.decided_round)
    version = batch.update(outcome.intake, current)
    batch.audit(command, entry)
    return _answer(entry, Status.APPLIED, version=version, server_values=outcome.intake.to_fields())


def _signature(value: Any) -> Signature | None:
    return Signature.from_json(value) if value is not None else None


def _command(batch: _Batch, entry: Entry, current: Mapping[str, Any]) -> Answer:
    """State changes with rules: checked by the domain, not taken as plain field edits."""
    command = str(entry.new_values.get("command"))
    stored = fields_of(current)
    now = datetime.now(UTC)
    decided: Any
    try:
        if entry.entity == "intake":
            return _intake_command(batch, entry, current, command, now)
        if entry.entity == "review_comment":
            comment = ReviewComment.from_fields(entry.record_id, stored)
            decided = (
                comment.resolved(by=batch.actor.username, at=now)
                if command == "resolve"
                else comment.reopened()
            )
        else:
            plan = ClientPlan.from_fields(entry.record_id, stored)
            if command == "sign":
                signature = _signature(entry.new_values.get("signature"))
                role = str(entry.new_values.get("role"))
                if signature is None or role not in set(SignerRole):
                    return _rejected(
                        entry, "invalid_entry", "A signature names its signer's role and itself."
                    )
                decided = plan.sign(
                    SignerRole(role),
                    signature,
                    content=_plan_content_hash(batch, plan),
                )
            elif command == "activate":
                decided = plan.activate(at=now)
            else:
                decided = plan.close(at=now)
    except DomainError as error:
        return _rejected(entry, error.code, error.message_en)
    version = batch.update(decided, current)
    batch.audit(command, entry)
    return _answer(entry, Status.APPLIED, version=version, server_values=decided.to_fields())
