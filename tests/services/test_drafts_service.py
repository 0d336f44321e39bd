"""Visit drafts: what was typed in the visit form comes back when the dossier opens again."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import keyring
import keyring.backends.null
import pytest

from app.domain.states import VisitStatus
from app.domain.visit import EntryConsent, Visit, VisitPurpose
from app.services import drafts
from app.services.drafts import VisitDraft
from app.storage.profiles import Profile
from app.storage.store import Store
from app.storage.vault import KdfParams

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AT = datetime(2026, 11, 23, 10, 30, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    null_backend = cast(Any, keyring.backends.null.Keyring)()  # keyring is untyped
    monkeypatch.setattr(keyring, "get_keyring", lambda: null_backend)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    _profile, opened = Profile.create(
        "drafts",
        passphrase="een lange wachtzin voor de test",
        username="k.dijkstra",
        role="caseworker",
        params=KdfParams(1024, 1, 1),
        home=tmp_path,
    )
    try:
        yield opened
    finally:
        opened.close()


def _draft(**changes: Any) -> VisitDraft:
    draft = VisitDraft(
        client_id="client-1",
        visit_id=None,
        planned_at=AT,
        purpose=VisitPurpose.HANDHAVING,
        notes="Sprak met de buurvrouw.",
        outcome="Terugkomen",
        legal_reason="Signaal samenwonen",
        identification_shown=True,
        purpose_stated=False,
        entry_consent=EntryConsent.GIVEN,
    )
    return dataclasses.replace(draft, **changes)


def test_save_load_discard_per_client(store: Store) -> None:
    assert drafts.load_visit_draft(store, "client-1") is None
    first, other = _draft(), _draft(client_id="client-2", visit_id="visit-9", notes="Ander")
    drafts.save_visit_draft(store, first)
    drafts.save_visit_draft(store, other)
    assert drafts.load_visit_draft(store, "client-1") == first
    assert drafts.load_visit_draft(store, "client-2") == other
    loaded = drafts.load_visit_draft(store, "client-1")
    assert loaded is not None and loaded.planned_at == AT and loaded.planned_at.tzinfo is not None

    drafts.save_visit_draft(store, dataclasses.replace(first, notes="Later bijgewerkt"))
    loaded = drafts.load_visit_draft(store, "client-1")
    assert loaded is not None and loaded.notes == "Later bijgewerkt"
    drafts.discard_visit_draft(store, "client-1")
    assert drafts.load_visit_draft(store, "client-1") is None
    assert drafts.load_visit_draft(store, "client-2") == other


def test_drafts_the_visit_form_wrote_before_come_back(store: Store) -> None:
    """The dict the visit form stored itself, under the same key."""
    store.set_setting(
        "draft.visit.client-1",
        {
            "visit_id": None,
            "purpose": "voortgang",
            "at": AT.isoformat(),
            "notes": "Oud concept",
            "outcome": "",
        },
    )
    draft = drafts.load_visit_draft(store, "client-1")
    assert draft == VisitDraft(
        client_id="client-1",
        visit_id=None,
        planned_at=AT,
        purpose=VisitPurpose.VOORTGANG,
        notes="Oud concept",
    )


def test_unreadable_or_unknown_parts(store: Store) -> None:
    store.set_setting("draft.visit.client-1", {"purpose": "voortgang"})  # no time
    assert drafts.load_visit_draft(store, "client-1") is None
    store.set_setting("draft.visit.client-1", "not a draft")
    assert drafts.load_visit_draft(store, "client-1") is None
    store.set_setting(
        "draft.visit.client-1",
        {"at": "2026-11-23T09:30:00", "purpose": "retired-kind", "notes": "Bewaard"},
    )
    draft = drafts.load_visit_draft(store, "client-1")
    assert draft is not None
    assert draft.purpose is None and draft.notes == "Bewaard"  # the typed text still comes back
    assert draft.planned_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_worth_keeping() -> None:
    empty = _draft(notes=" ", outcome="", legal_reason="")
    assert not drafts.worth_keeping(empty, None)
    assert drafts.worth_keeping(_draft(notes="", outcome="", legal_reason="Signaal"), None)
    assert drafts.worth_keeping(_draft(), None)

    planned = Visit(
        client_id="client-1",
        planned_at=AT,
        purpose=VisitPurpose.VOORTGANG,
        caseworker="k.dijkstra",
        notes="Sprak met de buurvrouw.",
        outcome="Terugkomen",
    )
    same = _draft(visit_id=planned.id, legal_reason="")
    assert not drafts.worth_keeping(same, planned)
    assert drafts.worth_keeping(dataclasses.replace(same, outcome="Anders"), planned)
    done = dataclasses.replace(planned, status=VisitStatus.DONE, recorded_at=AT)
    assert not drafts.worth_keeping(dataclasses.replace(same, outcome="Anders"), done)
