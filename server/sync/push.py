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

from sqlalchemy import select
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
from server.crud.records import fields_of, insert_records, update_record
from server.models import (
    RECORD_TABLES,
    Conflict,
    DeviceMutation,
    OrphanedMutation,
    clients,
)
from server.policy import Action, Actor, allowed, in_scope
from server.sync.feed import mark_touched
from server.sync.pull import device_sync


def _answer(entry: Entry, status: Status, **kwargs: Any) -> Answer:
    return Answer(seq=entry.seq, mutation_id=entry.mutation_id, status=status, **kwargs)


def _rejected(entry: Entry, code: str, reason: str) -> Answer:
    return _answer(entry, Status.REJECTED, code=code, reason=reason)


def push(session: Session, actor: Actor, entries: list[Entry]) -> PushAnswer:
    assert actor.device_id is not None
    state = device_sync(session, actor.device_id)
    answers = []
    for entry in entries:
        stored = session.get(DeviceMutation, (actor.device_id, entry.seq))
        if stored is not None:
            if stored.mutation_id != entry.mutation_id:
                # A number used twice for different entries: refuse rather than let the stored
                # answer swallow the new entry (the device keeps it as a rejected change).
                answers.append(
                    _rejected(entry, "sequence_reused", "This entry number was used before.")
                )
                continue
            answers.append(Answer.model_validate(stored.answer))
            continue
        if entry.seq <= state.last_seq:
            # Seen before but its answer is gone: say so rather than apply it twice.
            answers.append(_rejected(entry, "already_applied", "This entry was applied before."))
            continue
        if entry.seq != state.last_seq + 1:
            answers.append(
                _rejected(
                    entry,
                    "sequence_gap",
                    f"Expected entry {state.last_seq + 1}; send again from there.",
                )
            )
            break
        savepoint = session.begin_nested()
        try:
            answer = _apply(session, actor, entry)
            savepoint.commit()
        except (SQLAlchemyError, VeldwerkError, ValueError, KeyError, TypeError) as error:
            savepoint.rollback()
            answer = _rejected(
                entry, "invalid_entry", f"The entry could not be applied ({type(error).__name__})."
            )
        session.add(
            DeviceMutation(
                device_id=actor.device_id,
                seq=entry.seq,
                mutation_id=entry.mutation_id,
                answer=answer.model_dump(mode="json"),
                at=datetime.now(UTC),
            )
        )
        state.last_seq = entry.seq
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
    session.flush()
    return PushAnswer(answers=answers, last_applied_seq=state.last_seq)


def _current(session: Session, entity: str, record_id: str) -> Mapping[str, Any] | None:
    table = RECORD_TABLES[entity]
    row = session.execute(select(table).where(table.c.id == record_id)).first()
    return dict(row._mapping) if row is not None else None


def _client_of(entity: str, record_id: str, current: Mapping[str, Any] | None, entry: Entry) -> str:
    if current is not None:
        return str(current["id"] if entity == "client" else current["client_id"])
    return entry.client_id


def _apply(session: Session, actor: Actor, entry: Entry) -> Answer:
    if entry.entity not in RECORD_TABLES:
        return _rejected(entry, "unknown_entity", "This kind of record does not exist here.")
    current = _current(session, entry.entity, entry.record_id)
    client_id = _client_of(entry.entity, entry.record_id, current, entry)
    is_review = entry.op is Op.COMMAND and entry.new_values.get("command") in ("approve", "return")
    action = Action.REVIEW_INTAKE if is_review else Action.WRITE_DOSSIER
    if not allowed(actor, action):
        return _rejected(entry, "forbidden", "Your role does not allow this change.")
    new_client = entry.entity == "client" and entry.op is Op.CREATE and current is None
    if not new_client and not in_scope(session, actor, client_id):
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
        return _create(session, actor, entry, current)
    if current is None:
        return _rejected(entry, "not_found", "The record does not exist on the server.")
    if entry.op is Op.DELETE:
        return _delete(session, actor, entry, current)
    if entry.op is Op.COMMAND:
        return _command(session, actor, entry, current)
    return _update(session, actor, entry, current)


def _record(entity: str, record_id: str, fields: Mapping[str, Any]) -> Any:
    # Validate the whole record through the domain before it is stored.
    return BY_ENTITY[entity].from_fields(record_id, dict(fields))


def _create(
    session: Session, actor: Actor, entry: Entry, current: Mapping[str, Any] | None
) -> Answer:
    if current is not None:
        # The same id again: ids are never reused, so treat it as an update of that record.
        return _update(session, actor, entry, current)
    fields = {k: v for k, v in entry.new_values.items() if k in field_names(entry.entity)}
    if entry.entity == "client":
        fields["caseworker"] = actor.username
    record = _record(entry.entity, entry.record_id, fields)
    if (
        entry.entity != "client"
        and session.execute(select(clients.c.id).where(clients.c.id == record.client_id)).first()
        is None
    ):
        return _rejected(entry, "unknown_client", "The client of this record does not exist.")
    insert_records(session, [record], by=actor.username)
    if entry.entity == "client":
        assign_many(session, [(record.id, actor.username)], by=actor.username)
    audit.record(
        session,
        actor=actor.username,
        action="create",
        entity=entry.entity,
        record_id=entry.record_id,
        device_id=actor.device_id,
    )
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


def _update(session: Session, actor: Actor, entry: Entry, current: Mapping[str, Any]) -> Answer:
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
        version, _changed = update_record(session, record, current, by=actor.username)
        audit.record(
            session,
            actor=actor.username,
            action="update",
            entity=entry.entity,
            record_id=entry.record_id,
            device_id=actor.device_id,
            fields=sorted(writes),
        )
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


def _delete(session: Session, actor: Actor, entry: Entry, current: Mapping[str, Any]) -> Answer:
    table = RECORD_TABLES[entry.entity]
    if current["deleted"]:
        return _answer(entry, Status.APPLIED, version=int(current["version"]))
    version = int(current["version"]) + 1
    session.execute(
        table.update()
        .where(table.c.id == entry.record_id)
        .values(
            deleted=True,
            version=version,
            updated_at=datetime.now(UTC),
            updated_by=actor.username,
            position=None,
        )
    )
    mark_touched(session, entry.entity)
    audit.record(
        session,
        actor=actor.username,
        action="delete",
        entity=entry.entity,
        record_id=entry.record_id,
        device_id=actor.device_id,
    )
    return _answer(entry, Status.APPLIED, version=version)


def _command(session: Session, actor: Actor, entry: Entry, current: Mapping[str, Any]) -> Answer:
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
                decided = intake.approve(reviewer=actor.username, at=now)
            else:
                comments = {
                    IntakeSection(k): str(v)
                    for k, v in dict(entry.new_values.get("comments") or {}).items()
                }
                decided = intake.return_for_changes(
                    reviewer=actor.username, at=now, comments=comments
                )
        elif entry.entity == "client_plan" and command in ("activate", "close"):
            plan = ClientPlan.from_fields(entry.record_id, stored)
            decided = plan.activate(at=now) if command == "activate" else plan.close(at=now)
        else:
            return _rejected(entry, "unknown_command", "This command does not exist here.")
    except DomainError as error:
        return _rejected(entry, error.code, error.message_en)
    version, _changed = update_record(session, decided, current, by=actor.username)
    audit.record(
        session,
        actor=actor.username,
        action=str(command),
        entity=entry.entity,
        record_id=entry.record_id,
        device_id=actor.device_id,
    )
    return _answer(entry, Status.APPLIED, version=version, server_values=decided.to_fields())
