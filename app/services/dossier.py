"""The client dossier: what the dossier screen shows and every edit made on it.

Plain functions over a `Store`, no Qt: the screen calls them on the storage lane. Every edit is
written at once through the store, which keeps the journal entry (for sync) and the audit event
in the same transaction. State changes of a visit go through the domain's own methods, so the
visit state machine and the legal-basis rule for handhaving are never bypassed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import mimetypes
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from app.domain.access_log import describe_event
from app.domain.client import Client, Enrollment, HouseholdMember
from app.domain.errors import ValidationError, VeldwerkError
from app.domain.formatting import size_text
from app.domain.house_numbers import HouseNumberAddition, parse_house_number
from app.domain.local_time import local_today
from app.domain.notes import Attachment, Note
from app.domain.reference import Scheme
from app.domain.values import Address, EmailAddress, PersonName, PhoneNumber, Postcode
from app.domain.visit import LegalBasis, Visit, VisitPurpose
from app.storage.audit import AuditEvent
from app.storage.store import Dossier, RecordNotFound, Store

__all__ = [
    "CONTACT_FIELDS",
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "MAX_ATTACHMENT_SETTING",
    "AttachmentTooLarge",
    "DossierView",
    "FieldValidationError",
    "HistoryEntry",
    "add_attachment",
    "add_attachment_from_file",
    "add_note",
    "age_on",
    "attachment_bytes",
    "cancel_visit",
    "contact_values",
    "dossier_history",
    "edit_note",
    "load_dossier",
    "mark_not_home",
    "max_attachment_bytes",
    "plan_visit",
    "record_new_visit",
    "record_visit",
    "reload_dossier",
    "save_note",
    "size_text",
    "update_client_contact",
]

MAX_ATTACHMENT_SETTING: Final = "attachments.max_bytes"
DEFAULT_MAX_ATTACHMENT_BYTES: Final = 25 * 1024 * 1024


# ----------------------------------------------------------------------------------- errors


class AttachmentTooLarge(ValidationError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            "attachment_too_large",
            f"Dit bestand is {size_text(size, 'nl')}; een bijlage mag hoogstens "
            f"{size_text(limit, 'nl')} zijn.",
            f"This file is {size_text(size, 'en')}; an attachment may be at most "
            f"{size_text(limit, 'en')}.",
        )
        self.size = size
        self.limit = limit


class FieldValidationError(ValidationError):
    """A domain validation error, tied to the form field whose value caused it."""

    def __init__(self, field: str, error: VeldwerkError) -> None:
        super().__init__(error.code, error.message_nl, error.message_en)
        self.field = field


class NoteNotYours(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "note_not_yours",
            "Een notitie van een collega kunt u niet wijzigen; schrijf een nieuwe notitie.",
            "You cannot change a colleague's note; write a new note instead.",
        )


class AttachmentContentMissing(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "attachment_content_missing",
            "De inhoud van deze bijlage staat niet op dit apparaat.",
            "The content of this attachment is not on this device.",
        )


# ------------------------------------------------------------------------------------ views


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One audit event of the dossier, in a form people can read."""

    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    record_id: str | None
    fields: tuple[str, ...]

    def describe(self, language: str = "nl") -> str:
        return describe_event(self.action, self.entity, self.fields, language)


@dataclass(frozen=True, slots=True)
class DossierView:
    """Everything the dossier screen shows about one client. Attachments carry metadata only."""

    client: Client
    age: int
    household: tuple[HouseholdMember, ...]
    enrollments: tuple[Enrollment, ...]
    visits: tuple[Visit, ...]
    notes: tuple[Note, ...]
    attachments: tuple[Attachment, ...]
    history: tuple[HistoryEntry, ...]
    today: date

    @property
    def active_schemes(self) -> tuple[Scheme, ...]:
        """Schemes the client takes part in today, each once, in enrollment order."""
        seen: dict[Scheme, None] = {}
        for enrollment in self.enrollments:
            if enrollment.active_on(self.today):
                seen.setdefault(enrollment.scheme)
        return tuple(seen)

    @property
    def household_size(self) -> int:
        """The client and the members of their household."""
        return 1 + len(self.household)


def age_on(born: date, day: date) -> int:
    years = day.year - born.year
    return years - 1 if (day.month, day.day) < (born.month, born.day) else years


def _history_entry(event: AuditEvent) -> HistoryEntry:
    fields = event.details.get("fields") if isinstance(event.details, dict) else None
    return HistoryEntry(
        seq=event.seq,
        at=datetime.fromisoformat(event.at).astimezone(UTC),
        actor=event.actor,
        action=event.action,
        entity=event.entity,
        record_id=event.record_id,
        fields=tuple(str(f) for f in fields) if isinstance(fields, list) else (),
    )


def dossier_history(store: Store, client_id: str) -> tuple[HistoryEntry, ...]:
    """The dossier's audit events, newest first."""
    events = store.audit_events(client_id=client_id)
    return tuple(_history_entry(e) for e in reversed(events))


def _view(store: Store, dossier: Dossier, today: date | None) -> DossierView:
    day = today or local_today()
    return DossierView(
        client=dossier.client,
        age=age_on(dossier.client.date_of_birth, day),
        household=dossier.household,
        enrollments=dossier.enrollments,
        visits=tuple(sorted(dossier.visits, key=lambda v: v.planned_at, reverse=True)),
        notes=tuple(sorted(dossier.notes, key=lambda n: n.written_at, reverse=True)),
        attachments=tuple(sorted(dossier.attachments, key=lambda a: a.name.casefold())),
        history=dossier_history(store, dossier.client.id),
        today=day,
    )


def load_dossier(store: Store, client_id: str, *, today: date | None = None) -> DossierView:
    """Open a client's dossier; the opening is audited (offline included)."""
    return _view(store, store.open_dossier(client_id), today)


def reload_dossier(store: Store, client_id: str, *, today: date | None = None) -> DossierView:
    """Read an already opened dossier again (after an edit) without auditing another opening."""
    return _view(store, store.read_dossier(client_id), today)


# ----------------------------------------------------------------------------------- visits


def _now(at: datetime | None) -> datetime:
    return at if at is not None else datetime.now(UTC)


def _visit(store: Store, visit_id: str) -> Visit:
    visit = store.get(Visit, visit_id)
    if visit is None:
        raise RecordNotFound(Visit.ENTITY)
    return visit


def plan_visit(
    store: Store, *, client_id: str, planned_at: datetime, purpose: VisitPurpose
) -> Visit:
    """A new planned home visit, by the caseworker using this store."""
    if store.get(Client, client_id) is None:
        raise RecordNotFound(Client.ENTITY)
    return store.create(
        Visit(client_id=client_id, planned_at=planned_at, purpose=purpose, caseworker=store.actor)
    )


def record_visit(
    store: Store,
    *,
    visit_id: str,
    notes: str,
    outcome: str,
    legal_basis: LegalBasis | None = None,
    at: datetime | None = None,
) -> Visit:
    """A planned visit took place. A handhaving visit needs its legal basis (the domain checks)."""
    visit = _visit(store, visit_id)
    return store.update(
        visit.record(at=_now(at), notes=notes, outcome=outcome, legal_basis=legal_basis)
    )


def record_new_visit(
    store: Store,
    *,
    client_id: str,
    held_at: datetime,
    purpose: VisitPurpose,
    notes: str,
    outcome: str,
    legal_basis: LegalBasis | None = None,
    at: datetime | None = None,
) -> Visit:
    """A visit that was not planned in advance: planned and recorded in one step (the domain
    still moves it from planned to done, so its rules apply)."""
    if store.get(Client, client_id) is None:
        raise RecordNotFound(Client.ENTITY)
    planned = Visit(
        client_id=client_id, planned_at=held_at, purpose=purpose, caseworker=store.actor
    )
    done = planned.record(at=_now(at), notes=notes, outcome=outcome, legal_basis=legal_basis)
    return store.create(done)


def cancel_visit(
    store: Store, *, visit_id: str, reason: str = "", at: datetime | None = None
) -> Visit:
    visit = _visit(store, visit_id)
    return store.update(visit.cancel(at=_now(at), reason=reason))


def mark_not_home(
    store: Store, *, visit_id: str, notes: str = "", at: datetime | None = None
) -> Visit:
    visit = _visit(store, visit_id)
    return store.update(visit.client_not_home(at=_now(at), notes=notes))


# ------------------------------------------------------------------------------------ notes


def add_note(
    store: Store,
    *,
    client_id: str,
    text: str,
    note_id: str | None = None,
    at: datetime | None = None,
) -> Note:
    if store.get(Client, client_id) is None:
        raise RecordNotFound(Client.ENTITY)
    note = Note(client_id=client_id, text=text, author=store.actor, written_at=_now(at))
    if note_id is not None:
        note = dataclasses.replace(note, id=note_id)
    return store.create(note)


def edit_note(store: Store, *, note_id: str, text: str) -> Note:
    """Change the text of one's own note; colleagues' notes stay as they wrote them."""
    note = store.get(Note, note_id)
    if note is None:
        raise RecordNotFound(Note.ENTITY)
    if note.author != store.actor:
        raise NoteNotYours()
    return store.update(dataclasses.replace(note, text=text))


def save_note(store: Store, *, client_id: str, note_id: str, text: str) -> Note:
    """Save as you type: the first save creates the note under `note_id`, later saves edit it."""
    if store.get(Note, note_id) is None:
        return add_note(store, client_id=client_id, text=text, note_id=note_id)
    return edit_note(store, note_id=note_id, text=text)


# ------------------------------------------------------------------------------ attachments

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)


def media_type_of(filename: str, data: bytes) -> str:
    """The media type from the content's signature, else from the name, else octet-stream."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    guessed, _encoding = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def max_attachment_bytes(store: Store) -> int:
    """The size limit for attachments: the store setting, or 25 MB."""
    value: Any = store.setting(MAX_ATTACHMENT_SETTING, DEFAULT_MAX_ATTACHMENT_BYTES)
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MAX_ATTACHMENT_BYTES
    return limit if limit > 0 else DEFAULT_MAX_ATTACHMENT_BYTES


def _base_name(filename: str) -> str:
    return re.split(r"[\\/]", filename)[-1].strip()


def add_attachment(
    store: Store,
    client_id: str,
    filename: str,
    data: bytes,
    *,
    max_bytes: int | None = None,
) -> Attachment:
    """Store a scan or photo encrypted in the database (content and metadata in one transaction).

    `max_bytes` defaults to the store's setting `attachments.max_bytes` (25 MB when unset).
    """
    limit = max_attachment_bytes(store) if max_bytes is None else max_bytes
    if len(data) > limit:
        raise AttachmentTooLarge(len(data), limit)
    if store.get(Client, client_id) is None:
        raise RecordNotFound(Client.ENTITY)
    name = _base_name(filename)
    attachment = Attachment(
        client_id=client_id,
        name=name,
        media_type=media_type_of(name, data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    with store.transaction() as tx:
        tx.put_blob(data)
        tx.create(attachment)
    return attachment


def add_attachment_from_file(
    store: Store, client_id: str, path: str | os.PathLike[str], *, max_bytes: int | None = None
) -> Attachment:
    """Read a file the user chose and add it; the size is checked before the file is read."""
    limit = max_attachment_bytes(store) if max_bytes is None else max_bytes
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > limit:
            raise AttachmentTooLarge(size, limit)
        data = file.read_bytes()
    except OSError as error:
        raise VeldwerkError(
            "attachment_unreadable",
            "Het bestand kon niet worden gelezen.",
            "The file could not be read.",
        ) from error
    return add_attachment(store, client_id, file.name, data, max_bytes=limit)


def attachment_bytes(store: Store, attachment_id: str) -> bytes:
    """The content of an attachment, from the encrypted store; opening it is audited."""
    attachment = store.get(Attachment, attachment_id)
    if attachment is None:
        raise RecordNotFound(Attachment.ENTITY)
    data = store.get_blob(attachment.sha256)
    if data is None:
        raise AttachmentContentMissing()
    store.record_event(
        "view", Attachment.ENTITY, record_id=attachment.id, client_id=attachment.client_id
    )
    return data


# -------------------------------------------------------------------------- client contact

CONTACT_FIELDS: Final = (
    "first_names",
    "initials",
    "name_prefix",
    "surname",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "village",
    "municipality",
    "phone",
    "email",
)


def contact_values(client: Client) -> dict[str, str]:
    """The editable fields of a client as the form shows them."""
    name, address = client.name, client.address
    return {
        "first_names": name.first_names,
        "initials": name.initials,
        "name_prefix": name.prefix,
        "surname": name.surname,
        "street": address.street,
        "house_number": str(address.house_number),
        "house_number_addition": address.house_number_addition,
        "postcode": address.postcode.value,
        "village": address.village,
        "municipality": address.municipality,
        "phone": client.phone.value if client.phone else "",
        "email": client.email.value if client.email else "",
    }


def _checked(field: str, make: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return make(*args, **kwargs)
    except ValidationError as error:
        raise FieldValidationError(field, error) from None


def _house_number(values: Mapping[str, str], changes: Mapping[str, str]) -> tuple[int, str]:
    """The number and the addition in its stored form, typed as people write them: "12a" in
    the number field, "a-1" or "hs" in the addition field (app/domain/house_numbers.py)."""
    number, glued = _checked("house_number", parse_house_number, values["house_number"])
    if "house_number_addition" not in changes and not glued:
        # Untouched: an older record's longer addition stays as it is (Address keeps it).
        return number, values["house_number_addition"]
    apart = _checked(
        "house_number_addition", HouseNumberAddition.parse, values["house_number_addition"]
    )
    if glued and apart and glued != apart:
        raise FieldValidationError(
            "house_number",
            ValidationError(
                "ambiguous_house_number_addition",
                "Het huisnummer heeft een huisletter of toevoeging die verschilt van het veld "
                "toevoeging; laat er één weg.",
                "The house number has a house letter or addition that differs from the addition "
                "field; leave one of them out.",
            ),
        )
    return number, (glued or apart).stored


_ADDRESS_ERROR_FIELDS: Final = {
    "street_required": "street",
    "invalid_house_number": "house_number",
    "invalid_house_number_addition": "house_number_addition",
    "village_required": "village",
}


def update_client_contact(store: Store, *, client_id: str, changes: Mapping[str, str]) -> Client:
    """Change a client's name, address, phone or e-mail; each value is validated by the domain.

    Raises `FieldValidationError` (with `.field`) for the first invalid value; nothing is saved
    then.
    """
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise VeldwerkError(
            "not_editable",
            "Dit gegeven kan hier niet worden gewijzigd.",
            "This detail cannot be changed here.",
        )
    client = store.get(Client, client_id)
    if client is None:
        raise RecordNotFound(Client.ENTITY)
    values = {**contact_values(client), **{k: v.strip() for k, v in changes.items()}}
    name = _checked(
        "surname",
        PersonName,
        surname=values["surname"],
        first_names=values["first_names"],
        initials=values["initials"],
        prefix=values["name_prefix"],
    )
    postcode = _checked("postcode", Postcode, values["postcode"])
    house_number, addition = _house_number(values, changes)
    try:
        address = Address(
            street=values["street"],
            house_number=house_number,
            postcode=postcode,
            village=values["village"],
            municipality=values["municipality"],
            house_number_addition=addition,
        )
    except ValidationError as error:
        field = _ADDRESS_ERROR_FIELDS.get(error.code, "street")
        if error.code == "village_required" and values["village"]:
            field = "municipality"
        raise FieldValidationError(field, error) from None
    phone = _checked("phone", PhoneNumber, values["phone"]) if values["phone"] else None
    email = _checked("email", EmailAddress, values["email"]) if values["email"] else None
    updated = dataclasses.replace(client, name=name, address=address, phone=phone, email=email)
    return store.update(updated)
