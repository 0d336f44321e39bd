"""Drafts: what was typed in a dossier's visit form but not yet planned or recorded.

A draft is kept per client in the encrypted database (a local setting: never synced, never in a
plain file) when the dossier closes, locks or switches, and put back in the form when the
dossier opens again, so nothing typed is lost. One draft per client: the form holds one visit.

Stored as a small dict under "draft.visit.<client id>", the form the visit form has always
written, so drafts made before this module existed still come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from app.domain.states import VisitStatus
from app.domain.visit import EntryConsent, Visit, VisitPurpose
from app.storage.store import Store

__all__ = [
    "VisitDraft",
    "discard_visit_draft",
    "draft_key",
    "load_visit_draft",
    "save_visit_draft",
    "worth_keeping",
]


@dataclass(frozen=True, slots=True)
class VisitDraft:
    """The visit form as it was left.

    `visit_id` is the planned visit being recorded, or None for a new visit (then `planned_at`
    and `purpose` are what was chosen for it). `purpose` is None when a stored draft names a
    kind of visit this version does not know: the typed text still comes back.
    """

    client_id: str
    visit_id: str | None
    planned_at: datetime  # aware
    purpose: VisitPurpose | None
    notes: str = ""
    outcome: str = ""
    # The legal basis of an enforcement visit, as far as it was filled in.
    legal_reason: str = ""
    identification_shown: bool = False
    purpose_stated: bool = False
    entry_consent: EntryConsent | None = None


_E = TypeVar("_E", VisitPurpose, EntryConsent)


def draft_key(client_id: str) -> str:
    """The local setting a client's visit draft is kept under."""
    return f"draft.visit.{client_id}"


def worth_keeping(draft: VisitDraft, visit: Visit | None) -> bool:
    """Whether the form holds anything a person would miss: text typed for a new visit, or a
    planned visit's notes, outcome or reason changed. A visit that is no longer planned cannot
    be recorded from the form, so nothing typed for it is kept."""
    if visit is None:
        return bool(draft.notes.strip() or draft.outcome.strip() or draft.legal_reason.strip())
    if visit.status is not VisitStatus.PLANNED:
        return False
    reason = visit.legal_basis.reason if visit.legal_basis else ""
    return (
        draft.notes != visit.notes
        or draft.outcome != visit.outcome
        or draft.legal_reason.strip() != reason.strip()
    )


def _to_setting(draft: VisitDraft) -> dict[str, Any]:
    return {
        "visit_id": draft.visit_id,
        "purpose": draft.purpose.value if draft.purpose is not None else None,
        "at": draft.planned_at.isoformat(),
        "notes": draft.notes,
        "outcome": draft.outcome,
        "legal_reason": draft.legal_reason,
        "identification_shown": draft.identification_shown,
        "purpose_stated": draft.purpose_stated,
        "entry_consent": draft.entry_consent.value if draft.entry_consent else None,
    }


def _enum_or_none(kind: type[_E], value: Any) -> _E | None:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def _from_setting(client_id: str, value: Any) -> VisitDraft | None:
    if not isinstance(value, dict):
        return None
    try:
        moment = datetime.fromisoformat(str(value["at"]))
    except (KeyError, ValueError):
        return None
    visit_id = value.get("visit_id")
    return VisitDraft(
        client_id=client_id,
        visit_id=str(visit_id) if visit_id is not None else None,
        planned_at=moment if moment.tzinfo else moment.replace(tzinfo=UTC),
        purpose=_enum_or_none(VisitPurpose, value.get("purpose")),
        notes=str(value.get("notes") or ""),
        outcome=str(value.get("outcome") or ""),
        legal_reason=str(value.get("legal_reason") or ""),
        identification_shown=bool(value.get("identification_shown")),
        purpose_stated=bool(value.get("purpose_stated")),
        entry_consent=_enum_or_none(EntryConsent, value.get("entry_consent")),
    )


def save_visit_draft(store: Store, draft: VisitDraft) -> None:
    """Keep the draft for its client, in place of any earlier one."""
    store.set_setting(draft_key(draft.client_id), _to_setting(draft))


def load_visit_draft(store: Store, client_id: str) -> VisitDraft | None:
    """The client's visit draft; None when there is none or it cannot be read."""
    return _from_setting(client_id, store.setting(draft_key(client_id)))


def discard_visit_draft(store: Store, client_id: str) -> None:
    """Forget the client's visit draft (after the visit was planned or recorded)."""
    store.set_setting(draft_key(client_id), None)
