"""The dossier service: reading a dossier and every edit made on it, without Qt.

All names, addresses and BSNs are made up (the BSNs pass the 11-check but belong to no one).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import keyring
import keyring.backends.null
import pytest

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.errors import TransitionError, ValidationError
from app.domain.reference import Scheme
from app.domain.states import VisitStatus
from app.domain.values import Address, Bsn, PersonName, PhoneNumber, Postcode
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose
from app.services import dossier
from app.storage.profiles import Profile
from app.storage.store import RecordNotFound, Store
from app.storage.vault import KdfParams
from tests import store_access

FAST = KdfParams(1024, 1, 1)
USERNAME = "k.dijkstra"
WHEN = datetime(2026, 3, 12, 14, 5, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    null_backend = cast(Any, keyring.backends.null.Keyring)()
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)
    _profile, opened = Profile.create(
        "dossier",
        passphrase="een lange wachtzin voor de dossiertest",
        username=USERNAME,
        role="caseworker",
        params=FAST,
        home=tmp_path / "home",
    )
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(store: Store) -> Client:
    """A client as the central office delivered it: synced, so nothing is pending yet."""
    made = Client(
        bsn=Bsn("111222333"),
        name=PersonName(surname="Dijkstra", first_names="Jan Willem"),
        date_of_birth=date(1984, 5, 17),
        address=Address(
            street="Hoofdstraat",
            house_number=12,
            postcode=Postcode("9974 AB"),
            village="Zoutkamp",
            municipality="Het Hogeland",
        ),
        caseworker=USERNAME,
        phone=PhoneNumber("0595 123456"),
    )
    with store.transaction() as tx:
        tx.apply_remote(made, version=1)
        tx.apply_remote(
            HouseholdMember(
                client_id=made.id,
                relation=Relation.CHILD,
                name=PersonName(surname="Dijkstra", first_names="Fenna"),
                date_of_birth=date(2015, 9, 1),
            ),
            version=1,
        )
        tx.apply_remote(
            Enrollment(
                client_id=made.id,
                scheme=Scheme.PARTICIPATIEWET,
                start_date=date(2025, 1, 5),
                caseworker=USERNAME,
                consent_given=True,
                consent_date=date(2025, 1, 5),
            ),
            version=1,
        )
        tx.apply_remote(
            Enrollment(
                client_id=made.id,
                scheme=Scheme.WMO,
                start_date=date(2024, 1, 1),
                end_date=date(2024, 12, 31),
                caseworker=USERNAME,
                consent_given=False,
            ),
            version=1,
        )
    return made


def basis() -> LegalBasis:
    return LegalBasis(
        reason="Twijfel over de woonsituatie",
        identification_shown=True,
        purpose_stated=True,
        entry_consent=EntryConsent.GIVEN,
    )


def handhaving(store: Store, client: Client) -> Visit:
    return dossier.plan_visit(
        store, client_id=client.id, planned_at=WHEN, purpose=VisitPurpose.HANDHAVING
    )


# ---------------------------------------------------------------------------------- reading


def test_load_dossier_shows_the_client_and_audits_the_opening(store: Store, client: Client) -> None:
    view = dossier.load_dossier(store, client.id, today=date(2026, 5, 16))
    assert view.client == client
    assert view.age == 41  # the 42nd birthday is the next day
    assert dossier.age_on(date(1984, 5, 17), date(2026, 5, 17)) == 42
    assert view.household_size == 2
    assert [m.name.display() for m in view.household] == ["Fenna Dijkstra"]
    assert view.active_schemes == (Scheme.PARTICIPATIEWET,)
    consent = {e.scheme: e.consent_given for e in view.enrollments}
    assert consent == {Scheme.PARTICIPATIEWET: True, Scheme.WMO: False}
    opened = view.history[0]
    assert (opened.action, opened.entity, opened.actor) == ("view", "client", USERNAME)
    assert opened.describe("nl") == "Dossier geopend"
    assert opened.describe("en") == "Dossier opened"
    assert [e.action for e in store.audit_events(client_id=client.id)] == ["view"]


def test_reload_does_not_audit_another_opening(store: Store, client: Client) -> None:
    dossier.load_dossier(store, client.id)
    again = dossier.reload_dossier(store, client.id)
    assert [e.action for e in again.history] == ["view"]
    with pytest.raises(RecordNotFound):
        dossier.load_dossier(store, "no-such-client")


# ----------------------------------------------------------------------------------- visits


def test_handhaving_visit_without_legal_basis_is_refused(store: Store, client: Client) -> None:
    visit = handhaving(store, client)
    pending = store.pending_count()
    with pytest.raises(ValidationError) as refused:
        dossier.record_visit(
            store, visit_id=visit.id, notes="Gesprek", outcome="Geen bijzonderheden"
        )
    assert refused.value.code == "legal_basis_required"
    assert "wettelijke grondslag" in refused.value.message("nl")
    assert "legal basis" in refused.value.message("en")
    assert store.pending_count() == pending
    assert store.get(Visit, visit.id) == visit


def test_incomplete_legal_basis_is_refused_by_the_domain() -> None:
    with pytest.raises(ValidationError) as refused:
        LegalBasis(
            reason="Controle",
            identification_shown=False,
            purpose_stated=True,
            entry_consent=EntryConsent.REFUSED,
        )
    assert refused.value.code == "legal_basis_incomplete"


def test_handhaving_visit_with_legal_basis_is_recorded_journaled_and_audited(
    store: Store, client: Client
) -> None:
    visit = handhaving(store, client)
    pending = store.pending_count()
    recorded = dossier.record_visit(
        store,
        visit_id=visit.id,
        notes="Gesprek aan de keukentafel",
        outcome="Woonsituatie klopt",
        legal_basis=basis(),
        at=WHEN,
    )
    assert recorded.status is VisitStatus.DONE
    assert store.get(Visit, visit.id) == recorded
    assert store.pending_count() == pending + 1
    entry = store.journal_entries()[-1]
    assert (entry.entity, entry.record_id, entry.op) == ("visit", visit.id, "update")
    assert entry.new_values["status"] == "done"
    assert entry.new_values["legal_reason"] == "Twijfel over de woonsituatie"
    assert entry.new_values["legal_entry_consent"] == "given"
    event = store.audit_events(client_id=client.id)[-1]
    assert (event.action, event.entity, event.record_id) == ("update", "visit", visit.id)
    assert "legal_reason" in event.details["fields"]
    described = dossier.reload_dossier(store, client.id).history[0].describe("nl")
    assert described.startswith("Huisbezoek gewijzigd (")
    assert "reden" in described


def test_unplanned_visit_is_planned_and_recorded_in_one_step(store: Store, client: Client) -> None:
    with pytest.raises(ValidationError):
        dossier.record_new_visit(
            store,
            client_id=client.id,
            held_at=WHEN,
            purpose=VisitPurpose.HANDHAVING,
            notes="",
            outcome="",
        )
    assert store.for_client(Visit, client.id) == []
    done = dossier.record_new_visit(
        store,
        client_id=client.id,
        held_at=WHEN,
        purpose=VisitPurpose.VOORTGANG,
        notes="Loopt goed",
        outcome="Volgende maand weer",
    )
    assert store.get(Visit, done.id) == done
    assert done.status is VisitStatus.DONE and done.planned_at == WHEN
    assert store.journal_entries()[-1].op == "create"


def test_a_cancelled_visit_cannot_be_recorded_afterwards(store: Store, client: Client) -> None:
    visit = dossier.plan_visit(
        store, client_id=client.id, planned_at=WHEN, purpose=VisitPurpose.INTAKE
    )
    cancelled = dossier.cancel_visit(store, visit_id=visit.id, reason="Cliënt ziek")
    assert cancelled.status is VisitStatus.CANCELLED and cancelled.outcome == "Cliënt ziek"
    with pytest.raises(TransitionError):
        dossier.record_visit(store, visit_id=visit.id, notes="", outcome="")
    other = dossier.plan_visit(
        store, client_id=client.id, planned_at=WHEN, purpose=VisitPurpose.HERONDERZOEK
    )
    assert dossier.mark_not_home(store, visit_id=other.id).status is VisitStatus.NOT_HOME


# ------------------------------------------------------------------------------------ notes


def test_note_is_added_and_edited(store: Store, client: Client) -> None:
    note = dossier.add_note(store, client_id=client.id, text="Eerste versie", at=WHEN)
    edited = dossier.edit_note(store, note_id=note.id, text="Tweede versie")
    assert edited.text == "Tweede versie" and edited.written_at == WHEN
    assert dossier.reload_dossier(store, client.id).notes == (edited,)
    entry = store.journal_entries()[-1]
    assert entry.op == "update" and entry.new_values == {"text": "Tweede versie"}
    with pytest.raises(ValidationError) as empty:
        dossier.edit_note(store, note_id=note.id, text="   ")
    assert empty.value.code == "note_empty"


def test_save_note_creates_once_then_edits(store: Store, client: Client) -> None:
    first = dossier.save_note(store, client_id=client.id, note_id="n-1", text="Bel")
    second = dossier.save_note(store, client_id=client.id, note_id="n-1", text="Bel terug")
    assert first.id == second.id == "n-1"
    assert [n.text for n in dossier.reload_dossier(store, client.id).notes] == ["Bel terug"]
    assert [e.op for e in store.journal_entries()] == ["create", "update"]


def test_a_colleagues_note_stays_as_written(store: Store, client: Client) -> None:
    note = dossier.add_note(store, client_id=client.id, text="Van mij")
    colleague = store_access.as_user(store, "a.bakker")
    with pytest.raises(dossier.NoteNotYours):
        dossier.edit_note(colleague, note_id=note.id, text="Van een ander")
    assert store.get(type(note), note.id) == note


# ------------------------------------------------------------------------------ attachments


def test_too_large_attachment_is_refused_in_both_languages(store: Store, client: Client) -> None:
    with pytest.raises(dossier.AttachmentTooLarge) as refused:
        dossier.add_attachment(store, client.id, "scan.pdf", b"%PDF-" + b"x" * 2000, max_bytes=1024)
    error = refused.value
    assert error.code == "attachment_too_large"
    assert "mag hoogstens" in error.message("nl")
    assert "at most" in error.message("en")
    assert dossier.reload_dossier(store, client.id).attachments == ()
    assert store.pending_count() == 0


def test_size_limit_comes_from_the_store_setting(
    store: Store, client: Client, tmp_path: Path
) -> None:
    assert dossier.max_attachment_bytes(store) == 25 * 1024 * 1024
    store.set_setting(dossier.MAX_ATTACHMENT_SETTING, 10)
    with pytest.raises(dossier.AttachmentTooLarge) as refused:
        dossier.add_attachment(store, client.id, "foto.jpg", b"\xff\xd8\xff" + b"0" * 20)
    assert refused.value.limit == 10
    big = tmp_path / "groot.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    with pytest.raises(dossier.AttachmentTooLarge):
        dossier.add_attachment_from_file(store, client.id, big)


def test_attachment_bytes_round_trip_encrypted_store(store: Store, client: Client) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    attachment = dossier.add_attachment(store, client.id, r"C:\scans\paspoort.png", data)
    assert attachment.name == "paspoort.png"
    assert attachment.media_type == "image/png"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert dossier.reload_dossier(store, client.id).attachments == (attachment,)
    assert dossier.attachment_bytes(store, attachment.id) == data
    event = store.audit_events(client_id=client.id)[-1]
    assert (event.action, event.entity, event.record_id) == ("view", "attachment", attachment.id)
    assert dossier.reload_dossier(store, client.id).history[0].describe("nl") == "Bijlage geopend"
    with pytest.raises(RecordNotFound):
        dossier.attachment_bytes(store, "no-such-attachment")


def test_attachment_from_file_keeps_its_name_and_type(
    store: Store, client: Client, tmp_path: Path
) -> None:
    source = tmp_path / "huurcontract.pdf"
    source.write_bytes(b"%PDF-1.7 made-up contract")
    attachment = dossier.add_attachment_from_file(store, client.id, source)
    assert (attachment.name, attachment.media_type) == ("huurcontract.pdf", "application/pdf")
    assert dossier.attachment_bytes(store, attachment.id) == source.read_bytes()


# --------------------------------------------------------------------------- client contact


def test_contact_edit_is_validated_and_saved(store: Store, client: Client) -> None:
    updated = dossier.update_client_contact(
        store,
        client_id=client.id,
        changes={"postcode": "9974ac", "phone": "06-12345678", "email": "jan@example.org"},
    )
    assert updated.address.postcode.value == "9974 AC"
    assert dossier.contact_values(updated)["phone"] == "0612345678"
    assert store.get(Client, client.id) == updated
    entry = store.journal_entries()[-1]
    assert entry.op == "update" and set(entry.new_values) == {"postcode", "phone", "email"}
    cleared = dossier.update_client_contact(store, client_id=client.id, changes={"email": ""})
    assert cleared.email is None


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("postcode", "99 AB", "invalid_postcode"),
        ("house_number", "twaalf", "invalid_house_number"),
        ("house_number", "0", "invalid_house_number"),
        ("surname", " ", "surname_required"),
        ("municipality", "", "village_required"),
        ("phone", "123", "invalid_phone"),
        ("email", "jan@", "invalid_email"),
    ],
)
def test_invalid_contact_value_names_its_field(
    store: Store, client: Client, field: str, value: str, code: str
) -> None:
    with pytest.raises(dossier.FieldValidationError) as refused:
        dossier.update_client_contact(store, client_id=client.id, changes={field: value})
    assert (refused.value.field, refused.value.code) == (field, code)
    assert refused.value.message("nl") != refused.value.message("en")
    assert store.get(Client, client.id) == client
    assert store.pending_count() == 0


@pytest.mark.parametrize(
    ("changes", "number", "stored", "shown"),
    [
        ({"house_number_addition": "a"}, 12, "A", "Hoofdstraat 12A"),
        ({"house_number_addition": "-1"}, 12, "1", "Hoofdstraat 12-1"),
        ({"house_number_addition": "a 2"}, 12, "A-2", "Hoofdstraat 12A-2"),
        ({"house_number_addition": "1 hg"}, 12, "1HG", "Hoofdstraat 12-1HG"),
        ({"house_number": "14a-1"}, 14, "A-1", "Hoofdstraat 14A-1"),
        (
            {"house_number": "14 bis", "house_number_addition": "bis"},
            14,
            "BIS",
            "Hoofdstraat 14-BIS",
        ),
    ],
)
def test_contact_edit_takes_house_numbers_as_people_write_them(
    store: Store, client: Client, changes: dict[str, str], number: int, stored: str, shown: str
) -> None:
    # The same rule as central office's import (app/domain/house_numbers.py), so a device and
    # the server store one form of an address.
    updated = dossier.update_client_contact(store, client_id=client.id, changes=changes)

    assert (updated.address.house_number, updated.address.house_number_addition) == (
        number,
        stored,
    )
    assert updated.address.street_line() == shown
    assert store.caseload()[0].street_line == shown


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        (
            {"house_number_addition": "1 hoog"},
            "house_number_addition",
            "invalid_house_number_addition",
        ),
        (
            {"house_number_addition": "1hoog"},
            "house_number_addition",
            "invalid_house_number_addition",
        ),
        (
            {"house_number_addition": "a.1"},
            "house_number_addition",
            "invalid_house_number_addition",
        ),
        (
            {"house_number": "12a", "house_number_addition": "b"},
            "house_number",
            "ambiguous_house_number_addition",
        ),
        ({"house_number": "12 1 hoog"}, "house_number", "invalid_house_number_addition"),
    ],
)
def test_contact_edit_refuses_what_no_bag_address_can_be(
    store: Store, client: Client, changes: dict[str, str], field: str, code: str
) -> None:
    with pytest.raises(dossier.FieldValidationError) as refused:
        dossier.update_client_contact(store, client_id=client.id, changes=changes)

    assert (refused.value.field, refused.value.code) == (field, code)
    assert store.pending_count() == 0


def test_an_older_records_longer_addition_does_not_block_other_edits(
    store: Store, client: Client
) -> None:
    # Six letters or digits were accepted before the BAG rule; such a record must stay editable.
    older = dataclasses.replace(
        client, address=dataclasses.replace(client.address, house_number_addition="1HOOG")
    )
    with store.transaction() as tx:
        tx.apply_remote(older, version=2)

    updated = dossier.update_client_contact(
        store, client_id=client.id, changes={"phone": "0595 654321"}
    )

    assert updated.address.house_number_addition == "1HOOG"
    assert updated.address.street_line() == "Hoofdstraat 12-1HOOG"
