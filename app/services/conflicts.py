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
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Literal

from app.domain.client import Relation
from app.domain.errors import ValidationError, VeldwerkError
from app.domain.formatting import date_text, moment_text
from app.domain.intake_fields import IntakeSection
from app.domain.local_time import ZONE
from app.domain.records import BY_ENTITY, Record
from app.domain.reference import (
    Scheme,
    ladder_label,
    plan_obligations,
    score_label,
    service_layers,
    taaleis_results,
)
from app.domain.schema import (
    COMMAND_FIELDS,
    FIELDS,
    FieldSpec,
    action_label,
    entity_label,
    field_label,
)
from app.domain.states import ActionStatus, IntakeStatus, PlanStatus, VisitStatus
from app.domain.visit import VisitPurpose
from app.storage import sync_state
from app.storage.queries.conflicts import RecordEdit, conflict_sources
from app.storage.store import Store

Choice = Literal["mine", "theirs", "new"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs", "new")

_STATUS_ENUMS = {
    "visit": VisitStatus,
    "intake": IntakeStatus,
    "client_plan": PlanStatus,
    "plan_action": ActionStatus,
}
_OWNER_LABELS = {
    "client": ("Cliënt", "Client"),
    "caseworker": ("Klantmanager", "Caseworker"),
    "partner": ("Partnerorganisatie", "Partner organisation"),
}

# Fields holding a code from a fixed list: shown by label, settled by choosing mine or theirs
# (typing a code by hand invites mistakes).
_CODED = {
    ("visit", "purpose"),
    ("visit", "legal_entry_consent"),
    ("household_member", "relation"),
    ("enrollment", "scheme"),
    ("client_plan", "service_layer"),
    ("plan_action", "owner"),
}
# Kinds a person can type a new value for.
_EDITABLE_KINDS = frozenset({"str", "text", "int", "bool", "date"})


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language.startswith("nl") else pair[1]


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
        if field == "command":
            return action_label(str(value), language)
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
        if entity == "intake" and field.startswith("score_"):
            return f"{int(value)} – {score_label(int(value), language)}"
        if entity == "intake" and field.startswith("pw_taal_"):
            return next(r.text(language) for r in taaleis_results() if r.key == value)
        if field == "section":
            return IntakeSection(str(value)).label(language)
        if entity == "plan_action" and field == "owner":
            return _pick(_OWNER_LABELS[str(value)], language)
        if field == "obligations" and isinstance(value, list):
            texts = {o.key: o.text(language) for o in plan_obligations()}
            return "; ".join(texts.get(str(v), str(v)) for v in value)
    except (ValueError, KeyError, StopIteration):
        pass  # an unknown code is shown as it is
    if isinstance(value, bool) or kind == "bool":
        return _yes_no(bool(value), language)
    if kind == "date":
        try:
            return date_text(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "datetime":
        try:
            return moment_text(str(value), zone=zone)
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
            return date_text(date.fromisoformat(str(value)))
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
    elif code == "client_destroyed":
        pair = (
            "Het dossier van deze cliënt is op kantoor vernietigd (bewaartermijn verstreken of op "
            "verzoek van de cliënt); uw wijziging is niet bewaard.",
            "This client's file was destroyed at the office (retention period ended or at the "
            "client's request); your change was not kept.",
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


# ------------------------------------------------------------------------------------ views


def _who_and_when(
    edits: tuple[RecordEdit, ...], conflict: sync_state.OpenConflict
) -> tuple[str | None, datetime | None]:
    """The last edit of this field here before sync found the conflict."""
    found: tuple[str | None, datetime | None] = (None, None)
    for event in edits:
        if event.record_id != conflict.record_id or event.at > conflict.created_at:
            continue
        if event.action == "create" or event.fields is None or conflict.field in event.fields:
            found = (event.actor, _parse_time(event.at))
    return found


def list_conflicts(store: Store, *, language: str = "nl") -> list[ConflictView]:
    """The open conflicts, oldest first, with labels and values ready to show."""
    sources = conflict_sources(store)
    names = {cid: name.display() for cid, name in sources.client_names.items()}
    views = []
    for c in sources.conflicts:
        exists = (c.entity, c.record_id) in sources.live_records
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
        who, when = _who_and_when(sources.edits, c)
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
        conflict = sync_state.open_conflict(tx, conflict_id)
        if conflict is None:
            raise ConflictGone()
        entity, field = conflict.entity, conflict.field
        if choice in ("mine", "new"):
            if (
                conflict.kind != "conflict"
                or entity not in BY_ENTITY
                or not _settable(entity, field)
            ):
                raise ChoiceNotPossible()
            if choice == "new" and (
                (entity, field) in _CODED
                or (spec := _spec(entity, field)) is None
                or spec.kind not in _EDITABLE_KINDS
            ):
                raise ChoiceNotPossible()
            record = tx.get(BY_ENTITY[entity], conflict.record_id)
            if record is None:
                raise ChoiceNotPossible()
            chosen = conflict.mine if choice == "mine" else parse_value(entity, field, value)
            tx.update(_with_field(record, field, chosen))
        settled = sync_state.mark_resolved(
            tx,
            conflict,
            choice=choice,
            by=store.actor,
            at=datetime.now(UTC).isoformat(),
        )
        tx.record_event(
            "resolve_conflict",
            entity,
            record_id=conflict.record_id,
            client_id=conflict.client_id,
            field=field,
            choice=choice,
            conflicts=settled,
        )
