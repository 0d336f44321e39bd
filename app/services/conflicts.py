"""Conflicts: values of ours that the central office did not take, and how a person settles them.

Sync keeps a conflict row per field (app.storage.sync_state): the same field changed here and at
the office, an edit of a record the office deleted, or an entry the server refused. Nothing typed
is lost until someone chooses:

* "mine": keep the value typed on this device. Written as an ordinary update of that one field
  (journal + audit), so it reaches the office with the next sync like any edit.
* "theirs": keep the office's value. The row already holds it; no data changes.
* "new": type another value; validated by the domain and written like "mine".

In every case the conflict is marked resolved in the same local transaction, with an audit event
("resolve_conflict") that names the field and the choice, never the values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Literal

from sqlalchemy import Connection, Row, and_, select, update

from app.domain.client import Relation
from app.domain.errors import ValidationError, VeldwerkError
from app.domain.local_time import ZONE
from app.domain.records import BY_ENTITY, Record
from app.domain.reference import Scheme, ladder_label, service_layers
from app.domain.schema import COMMAND_FIELDS, FIELDS, FieldSpec
from app.domain.states import IntakeStatus, PlanStatus, VisitStatus
from app.domain.values import PersonName
from app.domain.visit import VisitPurpose
from app.storage import sync_state
from app.storage.store import Store
from app.storage.tables import ENTITY_TABLES, NOT_FIELDS, audit_events, clients, conflicts

Choice = Literal["mine", "theirs", "new"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs", "new")

# Times are shown as the caseworkers read them: in the Netherlands.

ENTITY_LABELS: dict[str, tuple[str, str]] = {
    "client": ("Cliënt", "Client"),
    "household_member": ("Gezinslid", "Household member"),
    "enrollment": ("Regeling", "Scheme"),
    "visit": ("Huisbezoek", "Home visit"),
    "intake": ("Intake", "Intake"),
    "client_plan": ("Plan van aanpak", "Client plan"),
    "note": ("Notitie", "Note"),
    "attachment": ("Bijlage", "Attachment"),
}

# Fields shared by several entities.
_COMMON: dict[str, tuple[str, str]] = {
    "client_id": ("Cliënt", "Client"),
    "bsn": ("BSN", "BSN"),
    "initials": ("Voorletters", "Initials"),
    "first_names": ("Voornamen", "First names"),
    "name_prefix": ("Tussenvoegsel", "Name prefix"),
    "surname": ("Achternaam", "Surname"),
    "date_of_birth": ("Geboortedatum", "Date of birth"),
    "caseworker": ("Klantmanager", "Caseworker"),
    "status": ("Status", "Status"),
}

FIELD_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "client": {
        "street": ("Straat", "Street"),
        "house_number": ("Huisnummer", "House number"),
        "house_number_addition": ("Huisnummertoevoeging", "House number addition"),
        "postcode": ("Postcode", "Postcode"),
        "village": ("Woonplaats", "Village"),
        "municipality": ("Gemeente", "Municipality"),
        "phone": ("Telefoonnummer", "Phone number"),
        "email": ("E-mailadres", "Email address"),
        "participation_step": ("Trede participatieladder", "Participation ladder step"),
    },
    "household_member": {"relation": ("Relatie", "Relation")},
    "enrollment": {
        "scheme": ("Regeling", "Scheme"),
        "start_date": ("Begindatum", "Start date"),
        "end_date": ("Einddatum", "End date"),
        "consent_given": ("Toestemming gegeven", "Consent given"),
        "consent_date": ("Datum toestemming", "Consent date"),
    },
    "visit": {
        "planned_at": ("Gepland op", "Planned at"),
        "purpose": ("Soort bezoek", "Kind of visit"),
        "legal_reason": ("Reden van het bezoek", "Reason for the visit"),
        "legal_identification_shown": ("Gelegitimeerd", "Identification shown"),
        "legal_purpose_stated": ("Doel genoemd", "Purpose stated"),
        "legal_entry_consent": ("Toestemming binnentreden", "Consent to enter"),
        "notes": ("Aantekeningen", "Notes"),
        "outcome": ("Uitkomst", "Outcome"),
        "recorded_at": ("Vastgelegd op", "Recorded at"),
    },
    "intake": {
        "domain_version": ("Versie zelfredzaamheidsmatrix", "Self-sufficiency matrix version"),
        "scores": ("Zelfredzaamheid", "Self-sufficiency"),
        "ladder_current": ("Huidige trede", "Current step"),
        "ladder_target": ("Doeltrede", "Target step"),
        "barriers": ("Belemmeringen", "Barriers"),
        "strengths": ("Krachten", "Strengths"),
        "submitted_at": ("Ingediend op", "Submitted at"),
        "reviewer": ("Beoordelaar", "Reviewer"),
        "reviewed_at": ("Beoordeeld op", "Reviewed at"),
        "review_comments": ("Opmerkingen bij terugsturen", "Review comments"),
    },
    "client_plan": {
        "revision": ("Versie", "Revision"),
        "service_layer": ("Dienstverleningslaag", "Service layer"),
        "goals": ("Doelen", "Goals"),
        "actions": ("Acties", "Actions"),
        "agreements": ("Afspraken", "Agreements"),
        "tegenprestatie": ("Tegenprestatie", "Tegenprestatie (community service)"),
        "client_signature": ("Handtekening cliënt", "Client's signature"),
        "caseworker_signature": ("Handtekening klantmanager", "Caseworker's signature"),
        "activated_at": ("Actief sinds", "Active since"),
        "closed_at": ("Afgesloten op", "Closed at"),
    },
    "note": {
        "text": ("Tekst", "Text"),
        "author": ("Auteur", "Author"),
        "written_at": ("Geschreven op", "Written at"),
    },
    "attachment": {
        "name": ("Bestandsnaam", "File name"),
        "media_type": ("Bestandstype", "File type"),
        "size": ("Grootte", "Size"),
        "sha256": ("Controlegetal", "Checksum"),
    },
}

# What a refused entry carried that is not a field: the whole change, or a command.
_PSEUDO_FIELDS: dict[str, tuple[str, str]] = {
    "*": ("Hele wijziging", "The whole change"),
    "command": ("Actie", "Action"),
    "comments": ("Opmerkingen", "Comments"),
}

_COMMANDS: dict[str, tuple[str, str]] = {
    "submit": ("Indienen", "Submit"),
    "approve": ("Goedkeuren", "Approve"),
    "return": ("Terugsturen", "Return"),
    "activate": ("Activeren", "Activate"),
    "close": ("Afsluiten", "Close"),
}

_STATUS_ENUMS = {"visit": VisitStatus, "intake": IntakeStatus, "client_plan": PlanStatus}

# Fields holding a code from a fixed list: shown by label, settled by choosing mine or theirs
# (typing a code by hand invites mistakes).
_CODED = {
    ("visit", "purpose"),
    ("visit", "legal_entry_consent"),
    ("household_member", "relation"),
    ("enrollment", "scheme"),
    ("client_plan", "service_layer"),
}
# Kinds a person can type a new value for.
_EDITABLE_KINDS = frozenset({"str", "text", "int", "bool", "date"})


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language.startswith("nl") else pair[1]


def entity_label(entity: str, language: str = "nl") -> str:
    pair = ENTITY_LABELS.get(entity)
    return _pick(pair, language) if pair else entity


def field_label(entity: str, field: str, language: str = "nl") -> str:
    pair = (
        FIELD_LABELS.get(entity, {}).get(field) or _COMMON.get(field) or _PSEUDO_FIELDS.get(field)
    )
    return _pick(pair, language) if pair else field


def _spec(entity: str, field: str) -> FieldSpec | None:
    return next((s for s in FIELDS.get(entity, ()) if s.name == field), None)


def _settable(entity: str, field: str) -> bool:
    """A plain field edit may set this field (no command field, no assignment, no parent)."""
    if _spec(entity, field) is None or field == "client_id":
        return False
    if field in COMMAND_FIELDS.get(entity, frozenset()):
        return False
    return not (entity == "client" and field == "caseworker")


def _yes_no(value: bool, language: str) -> str:
    return _pick(("Ja", "Yes") if value else ("Nee", "No"), language)


def format_value(
    entity: str, field: str, value: Any, language: str = "nl", *, zone: tzinfo = ZONE
) -> str:
    """A field value as a person reads it: labels for codes, 22-11-2026 for dates."""
    if value is None or value == "" or value == [] or value == {}:
        return _pick(("(leeg)", "(empty)"), language)
    spec = _spec(entity, field)
    kind = spec.kind if spec else None
    try:
        if field == "command" and str(value) in _COMMANDS:
            return _pick(_COMMANDS[str(value)], language)
        if field == "status" and entity in _STATUS_ENUMS:
            return _STATUS_ENUMS[entity](str(value)).label(language)
        if field == "purpose":
            return VisitPurpose(str(value)).label(language)
        if field == "relation":
            return Relation(str(value)).label(language)
        if field == "scheme":
            return Scheme(str(value)).label(language)
        if field == "service_layer":
            return next(s.text(language) for s in service_layers() if s.key == value)
        if field == "legal_entry_consent":
            pair = {"given": ("gegeven", "given"), "refused": ("geweigerd", "refused")}
            return _pick(pair[str(value)], language)
        if field in ("participation_step", "ladder_current", "ladder_target"):
            return f"{int(value)} – {ladder_label(int(value), language)}"
    except (ValueError, KeyError, StopIteration):
        pass  # an unknown code is shown as it is
    if isinstance(value, bool) or kind == "bool":
        return _yes_no(bool(value), language)
    if kind == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        except ValueError:
            return str(value)
    if kind == "datetime":
        try:
            return datetime.fromisoformat(str(value)).astimezone(zone).strftime("%d-%m-%Y %H:%M")
        except ValueError:
            return str(value)
    if field == "goals" and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def edit_text(entity: str, field: str, value: Any) -> str:
    """A value as the text a person edits when typing a new value (no labels, no '(leeg)')."""
    if value is None:
        return ""
    spec = _spec(entity, field)
    if spec is not None and spec.kind == "date":
        try:
            return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
        except ValueError:
            return str(value)
    if spec is not None and spec.kind == "bool":
        return "ja" if value else "nee"
    return str(value)


@dataclass(frozen=True, slots=True)
class ConflictView:
    """One open conflict, ready to show: labels and texts in the requested language."""

    id: int
    entity: str
    entity_label: str
    record_id: str
    client_id: str
    client_name: str
    field: str
    field_label: str
    kind: str  # "conflict" or "rejected"
    code: str | None
    explanation: str
    mine: Any
    theirs: Any
    mine_text: str  # "Uw waarde"
    theirs_text: str  # "Waarde op kantoor"
    mine_by: str | None  # who typed it here (from the audit trail)
    mine_at: datetime | None
    theirs_by: str | None  # the device is not told who changed it at the office
    detected_at: datetime  # when sync found the conflict
    record_exists: bool
    can_keep_mine: bool
    can_edit: bool
    edit_kind: str | None  # the field's kind when a new value can be typed
    edit_text: str  # mine, as editable text


def _explanation(kind: str, code: str | None, language: str) -> str:
    if code == "record_deleted":
        pair = (
            "Dit gegeven is op kantoor verwijderd; uw wijziging is daarom niet doorgevoerd.",
            "This record was deleted at the office, so your change was not made.",
        )
    elif kind == "conflict":
        pair = (
            "Dit veld is op kantoor en op dit apparaat verschillend gewijzigd.",
            "This field was changed differently at the office and on this device.",
        )
    elif code in ("forbidden", "command_field", "immutable_field"):
        pair = (
            "De server heeft deze wijziging geweigerd: dit veld kan niet zo worden gewijzigd. "
            "Op kantoor geldt de eerdere waarde.",
            "The server refused this change: this field cannot be changed this way. The "
            "office keeps the earlier value.",
        )
    elif code in ("not_found", "unknown_client", "client_mismatch"):
        # The server says no more than this on purpose: a record outside this caseworker's
        # caseload answers exactly like one that does not exist.
        pair = (
            "De server heeft deze wijziging geweigerd: het gegeven bestaat daar niet (meer), of "
            "hoort niet (meer) bij uw cliënten. Neem zo nodig contact op met functioneel beheer.",
            "The server refused this change: the record does not exist there (any more), or no "
            "longer belongs to your clients. Contact central office if needed.",
        )
    elif code == "too_long":
        pair = (
            "De server heeft deze wijziging geweigerd: de tekst is langer dan is toegestaan. "
            "Maak hem korter en probeer het opnieuw.",
            "The server refused this change: the text is longer than allowed. Shorten it and "
            "try again.",
        )
    elif code == "bsn_in_use":
        pair = (
            "De server heeft deze cliënt geweigerd: er staat al een cliënt met dit BSN in uw "
            "caseload.",
            "The server refused this client: a client with this BSN is already in your caseload.",
        )
    else:
        pair = (
            "De server heeft deze wijziging geweigerd. Op kantoor geldt de eerdere waarde.",
            "The server refused this change. The office keeps the earlier value.",
        )
    return _pick(pair, language)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------- storage
# Reads and writes below go straight to the local tables: the store has no query for them yet.
# They are candidates for app.storage (sync_state / store); see the module's report.


def client_names(conn: Connection, client_ids: Iterable[str]) -> dict[str, str]:
    """Display names ("Jan de Vries") of these clients, by id."""
    ids = sorted(set(client_ids))
    names: dict[str, str] = {}
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(
                clients.c.id,
                clients.c.surname,
                clients.c.first_names,
                clients.c.initials,
                clients.c.name_prefix,
            ).where(clients.c.id.in_(ids[start : start + 900]))
        )
        for row in rows:
            names[str(row.id)] = PersonName(
                surname=row.surname,
                first_names=row.first_names,
                initials=row.initials,
                prefix=row.name_prefix,
            ).display()
    return names


def live_record_ids(conn: Connection, wanted: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (entity, record id) pairs exist here and are not deleted."""
    by_entity: dict[str, set[str]] = {}
    for entity, record_id in wanted:
        if entity in ENTITY_TABLES:
            by_entity.setdefault(entity, set()).add(record_id)
    found: set[tuple[str, str]] = set()
    for entity, ids in by_entity.items():
        table = ENTITY_TABLES[entity]
        rows = conn.execute(
            select(table.c.id).where(table.c.id.in_(sorted(ids)), table.c.deleted.is_(False))
        )
        found.update((entity, str(r.id)) for r in rows)
    return found


def edits_of(conn: Connection, record_ids: Iterable[str]) -> list[Row[Any]]:
    """Audit events that created or updated these records, oldest first."""
    ids = sorted(set(record_ids))
    if not ids:
        return []
    return list(
        conn.execute(
            select(
                audit_events.c.seq,
                audit_events.c.at,
                audit_events.c.actor,
                audit_events.c.action,
                audit_events.c.record_id,
                audit_events.c.details,
            )
            .where(
                audit_events.c.record_id.in_(ids),
                audit_events.c.action.in_(("create", "update")),
            )
            .order_by(audit_events.c.seq)
        )
    )


def conflict_row(conn: Connection, conflict_id: int) -> Row[Any] | None:
    return conn.execute(
        select(conflicts).where(conflicts.c.id == conflict_id, conflicts.c.resolved_at.is_(None))
    ).first()


def mark_resolved(
    conn: Connection,
    conflict: Row[Any],
    *,
    choice: Choice,
    by: str,
    at: str,
) -> list[int]:
    """Mark a conflict resolved, with the open conflicts of the same field of the same record
    (an earlier sync's disagreement about a field is settled by choosing its value now).
    Returns the ids marked."""
    same = and_(
        conflicts.c.entity == conflict.entity,
        conflicts.c.record_id == conflict.record_id,
        conflicts.c.field == conflict.field,
        conflicts.c.resolved_at.is_(None),
    )
    ids = [int(r.id) for r in conn.execute(select(conflicts.c.id).where(same))]
    for conflict_id in ids:
        resolution: dict[str, Any] = {"choice": choice, "by": by}
        if conflict_id != conflict.id:
            resolution["settled_with"] = int(conflict.id)
        conn.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict_id)
            .values(resolved_at=at, resolution=resolution)
        )
    return ids


def _record_in(conn: Connection, entity: str, record_id: str) -> Record | None:
    table = ENTITY_TABLES[entity]
    row = conn.execute(
        select(table).where(table.c.id == record_id, table.c.deleted.is_(False))
    ).first()
    if row is None:
        return None
    fields = {k: v for k, v in row._mapping.items() if k not in NOT_FIELDS}
    return BY_ENTITY[entity].from_fields(str(row.id), fields)


# ------------------------------------------------------------------------------------ views


def _who_and_when(
    edits: list[Row[Any]], conflict: sync_state.OpenConflict
) -> tuple[str | None, datetime | None]:
    """The last edit of this field here before sync found the conflict."""
    found: tuple[str | None, datetime | None] = (None, None)
    for event in edits:
        if event.record_id != conflict.record_id or str(event.at) > conflict.created_at:
            continue
        fields = (event.details or {}).get("fields")
        if event.action == "create" or fields is None or conflict.field in fields:
            found = (str(event.actor), _parse_time(str(event.at)))
    return found


def list_conflicts(store: Store, *, language: str = "nl") -> list[ConflictView]:
    """The open conflicts, oldest first, with labels and values ready to show."""
    open_ = sync_state.open_conflicts(store)
    if not open_:
        return []
    with store.engine.connect() as conn:
        names = client_names(conn, (c.client_id for c in open_))
        live = live_record_ids(conn, ((c.entity, c.record_id) for c in open_))
        edits = edits_of(conn, (c.record_id for c in open_))
    views = []
    for c in open_:
        exists = (c.entity, c.record_id) in live
        # A refused entry is refused again if sent again, and a new value would be merged
        # against a base the office never had: only the office's value can be kept.
        settable = exists and c.kind == "conflict" and _settable(c.entity, c.field)
        spec = _spec(c.entity, c.field)
        editable = (
            settable
            and spec is not None
            and spec.kind in _EDITABLE_KINDS
            and (c.entity, c.field) not in _CODED
        )
        who, when = _who_and_when(edits, c)
        views.append(
            ConflictView(
                id=c.id,
                entity=c.entity,
                entity_label=entity_label(c.entity, language),
                record_id=c.record_id,
                client_id=c.client_id,
                client_name=names.get(c.client_id, ""),
                field=c.field,
                field_label=field_label(c.entity, c.field, language),
                kind=c.kind,
                code=c.code,
                explanation=_explanation(c.kind, c.code, language),
                mine=c.mine,
                theirs=c.theirs,
                mine_text=format_value(c.entity, c.field, c.mine, language),
                theirs_text=format_value(c.entity, c.field, c.theirs, language),
                mine_by=who,
                mine_at=when,
                theirs_by=None,
                detected_at=_parse_time(c.created_at) or datetime.now(UTC),
                record_exists=exists,
                can_keep_mine=settable,
                can_edit=editable,
                edit_kind=spec.kind if editable and spec is not None else None,
                edit_text=edit_text(c.entity, c.field, c.mine),
            )
        )
    return views


# ------------------------------------------------------------------------------- resolving


class ConflictGone(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "conflict_gone",
            "Dit conflict is al opgelost of bestaat niet meer.",
            "This conflict has been resolved already or no longer exists.",
        )


class ChoiceNotPossible(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "conflict_choice_not_possible",
            "Deze keuze kan hier niet: het gegeven bestaat niet meer of dit veld kan niet "
            "worden gewijzigd. Behoud de waarde van kantoor.",
            "This choice is not possible here: the record no longer exists or this field "
            "cannot be changed. Keep the office's value.",
        )


def parse_value(entity: str, field: str, value: Any) -> Any:
    """Turn what a person typed into the field's stored form; the domain checks it further."""
    spec = _spec(entity, field)
    if spec is None:
        raise ChoiceNotPossible()
    if not isinstance(value, str):
        return value
    text = value.strip() if spec.kind != "text" else value
    if text.strip() == "" and spec.nullable:
        return None
    match spec.kind:
        case "int":
            try:
                return int(text)
            except ValueError:
                raise ValidationError(
                    "invalid_number", "Vul een geheel getal in.", "Enter a whole number."
                ) from None
        case "bool":
            lowered = text.casefold()
            if lowered in ("ja", "j", "yes", "y", "true", "1"):
                return True
            if lowered in ("nee", "n", "no", "false", "0"):
                return False
            raise ValidationError("invalid_yes_no", "Vul ja of nee in.", "Enter yes or no.")
        case "date":
            for form in ("%d-%m-%Y", "%Y-%m-%d"):
                try:
                    return datetime.strptime(text, form).date().isoformat()
                except ValueError:
                    continue
            raise ValidationError(
                "invalid_date",
                "Vul een datum in als 22-11-2026.",
                "Enter a date like 22-11-2026.",
            )
        case "str":
            if spec.length is not None and len(text) > spec.length:
                raise ValidationError(
                    "value_too_long",
                    f"Deze waarde is te lang (hoogstens {spec.length} tekens).",
                    f"This value is too long (at most {spec.length} characters).",
                )
            return text
    return text


def _with_field(record: Record, field: str, value: Any) -> Record:
    """The record with one field changed, validated (and normalised) by the domain."""
    fields = record.to_fields()
    fields[field] = value
    return type(record).from_fields(record.id, fields)


def resolve_conflict(
    store: Store,
    conflict_id: int,
    *,
    choice: Choice,
    value: Any = None,
) -> None:
    """Settle one conflict. "mine" and "new" write an ordinary update of the field (journal and
    audit, synced like any edit); "theirs" changes no data. All in one local transaction."""
    if choice not in CHOICES:
        raise ValueError(f"unknown choice {choice!r}")
    with store.transaction() as tx:
        conflict = conflict_row(tx.conn, conflict_id)
        if conflict is None:
            raise ConflictGone()
        entity, field = str(conflict.entity), str(conflict.field)
        if choice in ("mine", "new"):
            if (
                conflict.kind != "conflict"
                or entity not in ENTITY_TABLES
                or not _settable(entity, field)
            ):
                raise ChoiceNotPossible()
            if choice == "new" and (
                (entity, field) in _CODED
                or (spec := _spec(entity, field)) is None
                or spec.kind not in _EDITABLE_KINDS
            ):
                raise ChoiceNotPossible()
            record = _record_in(tx.conn, entity, str(conflict.record_id))
            if record is None:
                raise ChoiceNotPossible()
            chosen = conflict.mine if choice == "mine" else parse_value(entity, field, value)
            tx.update(_with_field(record, field, chosen))
        settled = mark_resolved(
            tx.conn,
            conflict,
            choice=choice,
            by=store.actor,
            at=datetime.now(UTC).isoformat(),
        )
        tx.record_event(
            "resolve_conflict",
            entity,
            record_id=str(conflict.record_id),
            client_id=str(conflict.client_id),
            field=field,
            choice=choice,
            conflicts=settled,
        )
