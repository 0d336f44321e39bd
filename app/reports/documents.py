"""What a printed document says: frozen values that the services build from stored records.

Every text here is already in its printed form (Dutch labels, masked BSN, display names), so the
documents only lay out and never look anything up. An empty text or tuple leaves its section out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# The same points the signature pad records and a plan stores: x, y in the pad's coordinates
# (y pointing down), pressure 0..1, milliseconds since the first point.
from app.domain.plan import Point, Stroke

__all__ = [
    "AccessReportDocument",
    "AccessRow",
    "ActionRow",
    "ClientPlanDocument",
    "DocumentMeta",
    "Party",
    "Point",
    "RadarChartData",
    "SignatureMark",
    "Stroke",
    "VisitReportDocument",
    "WmoReportDocument",
]


@dataclass(frozen=True, slots=True)
class SignatureMark:
    """One signature field. `method` None: not signed yet, printed as an empty line to sign on
    paper; "digital" draws `strokes`; "paper" and "refused" say so in words."""

    role: str  # caption, e.g. "Cliënt", "Klantmanager"
    name: str
    method: str | None  # "digital" | "paper" | "refused" | None
    signed_on: date | None = None
    strokes: tuple[Stroke, ...] = ()
    pad_width: float = 0.0  # the pad the strokes were drawn on, to scale them keeping aspect
    pad_height: float = 0.0
    reason: str = ""  # why the client did not sign (method "refused")


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    lines: tuple[str, ...] = ()  # address, masked BSN, date of birth, phone … already formatted


@dataclass(frozen=True, slots=True)
class ActionRow:
    description: str
    who: str  # "Cliënt", "Klantmanager" or a partner organisation's name
    due: date | None
    status: str  # already a Dutch label


@dataclass(frozen=True, slots=True)
class RadarChartData:
    labels: tuple[str, ...]  # the self-sufficiency domain names, one axis each
    current: tuple[int | None, ...]  # scores 1..max_score, None where not scored
    previous: tuple[int | None, ...] | None = None
    max_score: int = 5
    current_caption: str = "Deze intake"
    previous_caption: str = "Vorige intake"


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    # Which letterhead: a record from before 2019 keeps its former municipality (the caller's
    # choice); `app.reports.letterhead_for` raises ValueError for a name it does not know.
    municipality: str
    document_date: date
    reference: str  # record id (e.g. the plan's id), printed in the footer
    author: str  # the caseworker's display name, the PDF's author
    version: int | None = None
    content_hash: str = ""  # full sha256 hex; the footer prints its first 12 characters


@dataclass(frozen=True, slots=True)
class ClientPlanDocument:
    """Plan van aanpak, art. 44a Participatiewet."""

    meta: DocumentMeta
    client: Party
    caseworker: Party
    service_layer: str
    support_offered: str
    obligations: tuple[str, ...]  # the ticked work obligations (art. 9 lid 1, art. 18 lid 4)
    consequences: str  # of not meeting them
    goals: tuple[str, ...]
    actions: tuple[ActionRow, ...]
    agreements: str
    tegenprestatie: str
    own_words: str  # "Wat wil ik zelf", in the client's own words
    next_evaluation: date | None
    radar: RadarChartData | None
    signatures: tuple[SignatureMark, ...]


@dataclass(frozen=True, slots=True)
class VisitReportDocument:
    """Verslag van een huisbezoek: one page in normal use."""

    meta: DocumentMeta
    client: Party
    caseworker: Party
    kind: str  # "Intake", "Voortgang", "Heronderzoek", "Handhaving"
    visited_at: datetime  # aware
    place: str
    report: str
    next_visit: datetime | None = None
    signatures: tuple[SignatureMark, ...] = ()


@dataclass(frozen=True, slots=True)
class WmoReportDocument:
    """The written report of the Wmo onderzoek (art. 2.3.2 Wmo 2015) that the client receives."""

    meta: DocumentMeta
    client: Party
    caseworker: Party
    melding_date: date | None
    onderzoek_date: date | None
    topics: tuple[tuple[str, str], ...]  # (topic of art. 2.3.2 lid 4, what was found)
    told_client_support: bool  # free cliëntondersteuning
    told_personal_plan: bool  # right to hand in a personal plan within 7 days
    identity_checked: bool
    mantelzorger_present: bool
    conclusion: str
    report_given_on: date | None
    signatures: tuple[SignatureMark, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessRow:
    """One access to the dossier, as the client reads it."""

    moment: str  # "22-11-2026 14:05", local time
    category: str  # NEN 7513's kind, a Dutch label: "Inzien", "Wijzigen"
    what: str  # "Dossier geopend", "Notitie toegevoegd"
    who: str  # the person's name
    role: str  # "Klantmanager"
    on_behalf_of: str  # the team (or the person) the access was made for
    device: str  # the laptop's name, or the central server


@dataclass(frozen=True, slots=True)
class AccessReportDocument:
    """Who viewed or changed a client's dossier in a period (NEN 7513; art. 15 AVG)."""

    meta: DocumentMeta
    client: Party
    period: str  # "01-11-2026 t/m 30-11-2026", already in words
    rows: tuple[AccessRow, ...]
