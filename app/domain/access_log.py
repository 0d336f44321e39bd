"""NEN 7513's five kinds of access to a dossier, and which kind each audit action of Veldwerk is.

The server's log and the devices' logs name an action by what the code did ("view", "sign",
"purge", "assign"). An access report groups them by NEN 7513's create / read / update / delete /
export and keeps the original name beside the category, so the grouping never hides anything.

The table is explicit, and a test checks that every action name the code writes is in it. An
action that is not (one added later, or sent by a newer device) is reported as a read: whatever it
was, it touched the record, and calling it a change would claim something that may not have
happened. Its own name stays with it, so the privacy officer sees what it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType

from app.domain.schema import Label, action_label, entity_label, field_label

__all__ = [
    "ACTION_CATEGORIES",
    "UNKNOWN_ACTION_CATEGORY",
    "AccessCategory",
    "category_of",
    "describe_event",
]


class AccessCategory(StrEnum):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"

    def label(self, language: str = "nl") -> str:
        label_nl, label_en = _CATEGORY_LABELS[self]
        return label_nl if language.startswith("nl") else label_en


_CATEGORY_LABELS: dict[AccessCategory, Label] = {
    AccessCategory.CREATE: ("Aanmaken", "Create"),
    AccessCategory.READ: ("Inzien", "Read"),
    AccessCategory.UPDATE: ("Wijzigen", "Update"),
    AccessCategory.DELETE: ("Verwijderen", "Delete"),
    AccessCategory.EXPORT: ("Exporteren", "Export"),
}

_C, _R, _U, _D, _E = (
    AccessCategory.CREATE,
    AccessCategory.READ,
    AccessCategory.UPDATE,
    AccessCategory.DELETE,
    AccessCategory.EXPORT,
)

ACTION_CATEGORIES: Mapping[str, AccessCategory] = MappingProxyType(
    {
        # Record changes, on a device (store.py) and as the server applies them (sync/push.py).
        "create": _C,
        "update": _U,
        "delete": _D,
        # Commands: state changes with rules (intake review, comment threads, plan signing).
        "submit": _U,
        "approve": _U,
        "return": _U,
        "resolve": _U,
        "reopen": _U,
        "sign": _U,
        "activate": _U,
        "close": _U,
        "resolve_conflict": _U,
        # The server's own handling of a dossier (crud/records.py, assignments.py, team.py ...).
        "approve_intake": _U,
        "return_intake": _U,
        "assign": _U,
        "collision_handled": _U,
        "orphaned_change_handled": _U,
        # Reading: a dossier opened (offline too), an attachment opened, a listing that showed it.
        "view": _R,
        # Data leaving the system: a saved file, a JSON export, paper.
        "export": _E,
        "print": _E,
        # A device removing its copy when a client leaves its caseload: the data left that
        # system, which is what NEN 7513 calls a deletion there.
        "purge": _D,
        # Retention and erasure (server.retention): a request or a hold changes how the dossier
        # is handled; destroying or erasing it is a deletion.
        "erasure_requested": _U,
        "erasure_refused": _U,
        "erasure_carried_out": _D,
        "legal_hold_placed": _U,
        "legal_hold_lifted": _U,
        "destroy": _D,
        "retention_run": _D,
        # Organisation and device administration: never about one client, listed for completeness
        # so that the test of this table can ask for every action the code writes.
        "enroll": _C,
        "issue_enrollment_code": _C,
        "demo_import": _C,
        "add_member": _U,
        "rotate_epoch": _U,
        "revoke": _D,
        "purge_tombstones": _D,
        "purge_blobs": _D,
        # The console (server.console) and its accounts: signing in and out, an account
        # deactivated, a password or second factor replaced.
        "console_sign_in": _R,
        "console_sign_out": _R,
        "deactivate": _U,
        "reset_password": _U,
        "set_second_factor": _U,
        # Figures for the councils (server.council): aggregates only, leaving the server.
        "council_report": _E,
    }
)

UNKNOWN_ACTION_CATEGORY = AccessCategory.READ


def category_of(action: str) -> AccessCategory:
    """The NEN 7513 category of an audit action; an unknown one counts as a read (see above)."""
    return ACTION_CATEGORIES.get(action, UNKNOWN_ACTION_CATEGORY)


# What happened when the record named in the event is not its subject: the dossier handed to a
# caseworker, a duplicate registration or a late edit dealt with, a listing that showed the client,
# the dossier's retention and erasure.
_PHRASES: dict[tuple[str, str | None], Label] = {
    ("view", "client"): ("Dossier geopend", "Dossier opened"),
    ("assign", None): (
        "Dossier toegewezen aan een klantmanager",
        "Dossier assigned to a caseworker",
    ),
    ("collision_handled", None): (
        "Dubbele registratie afgehandeld",
        "Duplicate registration dealt with",
    ),
    ("orphaned_change_handled", None): (
        "Te late wijziging afgehandeld",
        "Late change dealt with",
    ),
    ("erasure_requested", None): (
        "Verzoek om verwijdering ontvangen",
        "Request for erasure received",
    ),
    ("erasure_refused", None): ("Verzoek om verwijdering afgewezen", "Request for erasure refused"),
    ("erasure_carried_out", None): (
        "Gegevens verwijderd op verzoek van de cliënt",
        "Data erased at the client's request",
    ),
    ("legal_hold_placed", None): (
        "Vernietiging geblokkeerd (bewaarplicht)",
        "Destruction blocked (legal hold)",
    ),
    ("legal_hold_lifted", None): ("Blokkade van vernietiging opgeheven", "Legal hold lifted"),
    ("destroy", None): (
        "Dossier vernietigd (bewaartermijn verstreken)",
        "Dossier destroyed (retention period over)",
    ),
    ("view", "orphaned_change"): (
        "Overzicht van te late wijzigingen bekeken",
        "List of late changes viewed",
    ),
    ("view", "caseload"): (
        "Caseloadoverzicht bekeken (beheer)",
        "Caseload listing viewed (central office)",
    ),
}


def describe_event(
    action: str, entity: str, fields: Sequence[str] = (), language: str = "nl"
) -> str:
    """One audit event in words: "Dossier geopend", "Huisbezoek toegevoegd", "Cliëntgegevens
    gewijzigd (telefoonnummer)". An unknown action is named by its code ("Notitie: archive")."""
    phrase = _PHRASES.get((action, entity)) or _PHRASES.get((action, None))
    if phrase is not None:
        return phrase[0] if language.startswith("nl") else phrase[1]
    subject = entity_label(entity, language, details=True)
    verb = action_label(action, language, done=True, mid_sentence=True)
    text = f"{subject} {verb}" if verb != action else f"{subject}: {action}"
    if action == "update" and fields:
        names = ", ".join(field_label(entity, f, language, mid_sentence=True) for f in fields)
        text = f"{text} ({names})"
    return text
