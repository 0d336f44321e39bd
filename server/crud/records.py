"""Dossier records: the same field dicts the devices hold, with a version per record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.intake import Intake, IntakeSection
from app.domain.merge import same_value
from app.domain.records import Record
from server.crud import audit, review
from server.errors import ApiError, not_found
from server.models import RECORD_BOOKKEEPING, RECORD_TABLES, Assignment, User, clients, intakes
from server.policy import Action, Actor, require, scope_client_ids, visible_entities
from server.sync.feed import mark_touched


def fields_of(row: Row[Any] | Mapping[str, Any]) -> dict[str, Any]:
    """A stored row as the record's field dict (bookkeeping columns left out)."""
    mapping = row if isinstance(row, Mapping) else row._mapping
    return {k: v for k, v in mapping.items() if k not in RECORD_BOOKKEEPING}


def insert_records(session: Session, records: Sequence[Record], *, by: str) -> None:
    """New records at version 1, one statement per table (imports and seeding)."""
    now = datetime.now(UTC)
    by_table: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_table.setdefault(record.ENTITY, []).append(
            {
                "id": record.id,
                **record.to_fields(),
                "version": 1,
                "deleted": False,
                "updated_at": now,
                "updated_by": by,
            }
        )
    for entity, table in RECORD_TABLES.items():  # parents first
        if entity in by_table:
            session.execute(insert(table), by_table[entity])
            mark_touched(session, entity)


def changed_values(record: Record, current: Mapping[str, Any], *, by: str) -> dict[str, Any] | None:
    """What `update_record` writes: the fields that differ from `current` and the bookkeeping,
    with the version one up; None when nothing changes."""
    fields = record.to_fields()
    changed = {k: v for k, v in fields.items() if not same_value(current.get(k), v)}
    if not changed and not current["deleted"]:
        return None
    return {
        **changed,
        "version": int(current["version"]) + 1,
        "deleted": False,
        "updated_at": datetime.now(UTC),
        "updated_by": by,
        "position": None,
    }


def update_record(
    session: Session, record: Record, current: Mapping[str, Any], *, by: str
) -> tuple[int, bool]:
    """Write the fields that differ from `current` (the stored row), bumping the version once.
    An unchanged, undeleted record keeps its version, so repeating an import changes nothing."""
    values = changed_values(record, current, by=by)
    if values is None:
        return int(current["version"]), False
    table = RECORD_TABLES[record.ENTITY]
    session.execute(update(table).where(table.c.id == record.id).values(**values))
    mark_touched(session, record.ENTITY)
    return int(values["version"]), True


def upsert_record(session: Session, record: Record, *, by: str) -> tuple[int, bool]:
    """Store a record as central office has it. Returns (version, changed)."""
    table = RECORD_TABLES[record.ENTITY]
    row = session.execute(select(table).where(table.c.id == record.id)).first()
    if row is None:
        insert_records(session, [record], by=by)
        return 1, True
    return update_record(session, record, dict(row._mapping), by=by)


def client_id_by_bsn(session: Session, bsn: str) -> str | None:
    found = session.execute(
        select(clients.c.id).where(clients.c.bsn == bsn, clients.c.deleted.is_(False))
    ).first()
    return str(found.id) if found else None


def client_exists(session: Session, client_id: str) -> bool:
    query = select(clients.c.id).where(clients.c.id == client_id, clients.c.deleted.is_(False))
    return session.execute(query).first() is not None


def list_clients(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The clients an actor may read, as summaries (with the responsible caseworker)."""
    query = (
        select(
            clients.c.id,
            clients.c.bsn,
            clients.c.initials,
            clients.c.name_prefix,
            clients.c.surname,
            clients.c.village,
            clients.c.version,
            User.username.label("caseworker"),
        )
        .join(Assignment, (Assignment.client_id == clients.c.id) & Assignment.ended_at.is_(None))
        .join(User, User.id == Assignment.caseworker_id)
        .where(clients.c.id.in_(scope_client_ids(actor)), clients.c.deleted.is_(False))
        .order_by(clients.c.surname, clients.c.initials, clients.c.id)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def dossier(session: Session, actor: Actor, client_id: str) -> dict[str, list[dict[str, Any]]]:
    """What the actor may see of one client in scope (a team lead: what is shown beside an
    intake under review)."""
    require(session, actor, Action.READ_DOSSIER, client_id=client_id)
    records: dict[str, list[dict[str, Any]]] = {}
    for entity in visible_entities(actor.role):
        table = RECORD_TABLES[entity]
        key = table.c.id if entity == "client" else table.c.client_id
        rows = session.execute(
            select(table).where(key == client_id, table.c.deleted.is_(False)).order_by(table.c.id)
        ).all()
        records[entity] = [
            {"id": row.id, "version": row.version, "fields": fields_of(row)} for row in rows
        ]
    audit.record(
        session,
        actor=actor.username,
        action="view",
        entity="client",
        record_id=client_id,
        device_id=actor.device_id,
    )
    return records


def list_intakes(session: Session, actor: Actor, *, status: str | None) -> list[dict[str, Any]]:
    query = select(intakes).where(
        intakes.c.client_id.in_(scope_client_ids(actor)), intakes.c.deleted.is_(False)
    )
    if status is not None:
        query = query.where(intakes.c.status == status)
    rows = session.execute(query.order_by(intakes.c.submitted_at, intakes.c.id)).all()
    return [{"id": row.id, "version": row.version, "fields": fields_of(row)} for row in rows]


def review_intake(
    session: Session,
    actor: Actor,
    *,
    intake_id: str,
    approve: bool,
    comments: dict[str, str],
) -> tuple[Intake, int]:
    """A team lead's decision, checked by the domain's state machine and the policy."""
    row = session.execute(
        select(intakes).where(intakes.c.id == intake_id, intakes.c.deleted.is_(False))
    ).first()
    if row is None:
        raise not_found("intake")
    # Scope on the stored client, then role: another team's intake looks like no intake at all.
    require(session, actor, Action.REVIEW_INTAKE, client_id=str(row.client_id), entity="intake")
    intake = Intake.from_fields(str(row.id), fields_of(row))
    if set(comments) - {section.value for section in IntakeSection}:
        raise ApiError(422, "invalid_section", "Unknown intake section in the comments.")
    try:
        outcome = review.decided(
            session, reviewer=actor.username, intake=intake, approve=approve, comments=comments
        )
    except DomainError as error:
        raise ApiError.from_domain(error, status=409) from error
    created = [r for r in (outcome.new_round, *outcome.threads) if r is not None]
    insert_records(session, created, by=actor.username)
    if outcome.decided_round is not None:
        record, current = outcome.decided_round
        update_record(session, record, current, by=actor.username)
    decided = outcome.intake
    version, _ = upsert_record(session, decided, by=actor.username)
    audit.record(
        session,
        actor=actor.username,
        action="approve_intake" if approve else "return_intake",
        entity="intake",
        record_id=intake_id,
        device_id=actor.device_id,
    )
    return decided, version
